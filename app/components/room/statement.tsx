import { errorsOf, type Reply } from "~/components/simple-form";
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { REACTIONS } from "~/modules/matters/room/choices";
import type { StatementView } from "~/modules/matters/room/state";
import { Button, RoomForm, type Live } from "./room-form";

/** One statement: who, stance, words (or the hiding note), marks, and the moderator's tools. */
export function Statement({
  s,
  replyTo,
  me,
  mod,
  open,
  reply,
  send,
  live,
}: Live & {
  s: StatementView;
  replyTo?: StatementView;
  me: number;
  mod: boolean;
  open: boolean;
  reply: Reply;
}) {
  const t = useT();
  const f = { send, live };
  const who = s.speakerName ? `${s.speakerName}（${t("room.recordedFor", { name: s.speakerName, staff: s.recordedByName ?? "" })}）` : (s.authorName ?? "");
  return (
    <li id={`s-${s.id}`} className="card statement" data-stance={s.stance} data-hidden={s.hidden ? "1" : "0"}>
      <p>
        <strong>#{s.id}</strong> <span className="tag">{t(`room.stance.${s.stance}`)}</span> {who} · {t.time(s.createdAt)}
        {s.pinned ? <span className="tag"> {t("room.pinned")}</span> : null}
      </p>
      {replyTo ? (
        <p className="hint">
          <a href={`#s-${replyTo.id}`}>{t("room.replyToShort", { id: replyTo.id })}</a>
        </p>
      ) : null}
      {s.hidden ? (
        <p className="hidden-note">{s.authorId === me ? t("room.hiddenYours", { reason: s.hiddenReason ?? "" }) : t("room.hiddenWithReason", { reason: s.hiddenReason ?? "" })}</p>
      ) : null}
      {s.body ? <p className="statement-body">{s.body}</p> : null}
      <p className="counts" data-counts={`${s.counts.agree},${s.counts.disagree},${s.counts.pass}`}>
        {t("room.countsShort", { ...s.counts })}
        {s.mine ? ` · ${t("room.yourMark", { mark: t(`room.reaction.${s.mine}`) })}` : ""}
      </p>
      {open && !s.hidden ? (
        <div className="button-row">
          {REACTIONS.map((r) => (
            <RoomForm key={r} intent="react" {...f} className="inline-form">
              <input type="hidden" name="statementId" value={s.id} />
              <input type="hidden" name="value" value={r} />
              <button type="submit" className={s.mine === r ? undefined : "secondary"} aria-pressed={s.mine === r}>
                {t(`room.reaction.${r}` as MessageKey)}
                <span className="visually-hidden"> #{s.id}</span>
              </button>
            </RoomForm>
          ))}
        </div>
      ) : null}
      {mod && open ? (
        <details>
          <summary>{t("room.moderation")}</summary>
          <RoomForm intent={s.pinned ? "unpin" : "pin"} {...f}>
            <input type="hidden" name="statementId" value={s.id} />
            <Button secondary>{s.pinned ? t("room.unpin") : t("room.pin")}</Button>
          </RoomForm>
          {!s.hidden ? (
            <RoomForm intent="hide" {...f}>
              <input type="hidden" name="statementId" value={s.id} />
              <HideReason id={s.id} reply={reply} />
              <Button secondary>{t("room.hide")}</Button>
            </RoomForm>
          ) : null}
          {s.authorId && s.authorId !== me ? (
            <RoomForm intent="mute" {...f}>
              <input type="hidden" name="userId" value={s.authorId} />
              <Button secondary>
                {t("room.mute")} {s.authorName}
              </Button>
            </RoomForm>
          ) : null}
        </details>
      ) : null}
    </li>
  );
}

function HideReason({ id, reply }: { id: number; reply: Reply }) {
  const t = useT();
  const err = errorsOf(reply, "hide").reason?.[0];
  const fid = `hide-reason-${id}`;
  return (
    <div className={`field${err ? " field--error" : ""}`}>
      <label htmlFor={fid}>{t("room.hideReason")}</label>
      {err ? (
        <p className="field-error" id={`${fid}-error`}>
          {t.msg(err)}
        </p>
      ) : null}
      <input id={fid} name="reason" required aria-invalid={err ? true : undefined} aria-describedby={err ? `${fid}-error` : undefined} />
    </div>
  );
}
