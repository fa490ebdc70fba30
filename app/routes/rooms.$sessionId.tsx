import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useState, type FormEvent, type ReactNode } from "react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, type Reply } from "~/components/simple-form";
import type { MessageKey } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { useRoom, useServerNow, type Ack } from "~/realtime/use-room";
import { rankBoard } from "~/modules/matters/room/board";
import { act, getRoom } from "~/modules/matters/room/room.server";
import { REACTIONS, RoomActionSchema, STANCES } from "~/modules/matters/room/schemas";
import { itemClock, mmss, secondsLeft, type StatementView } from "~/modules/matters/room/state";
import { commandContext, formAction, idFromParams, intentOf, loaderGuard, requireActor } from "~/modules/shared/http.server";
import { roomFormBudget } from "~/modules/shared/rate-limit.server";

export const meta = titleMeta("room.title", (d) => ({ title: (d as { matter?: { title: string } })?.matter?.title ?? "" }));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.sessionId);
  requireActor(context, request);
  return json(await loaderGuard(() => getRoom(commandContext(context), id)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.sessionId);
  requireActor(context, request);
  const intent = await intentOf(request);
  return formAction(
    request,
    RoomActionSchema,
    async (value) => {
      const ctx = commandContext(context);
      // the same budget a socket has: a script posting the form in a loop is told to wait
      if (ctx.actor) await roomFormBudget.take(ctx.actor.id);
      const r = await act(ctx, id, value);
      return redirect(`/rooms/${id}?saved=${r.seq}${r.statementId ? `#s-${r.statementId}` : ""}`);
    },
    intent,
  );
}

type Send = (action: Record<string, unknown>) => Promise<Ack>;

/**
 * A form that posts plainly without JavaScript; with a live connection it goes over the socket
 * (retried with one key) and the page updates from the room's events.
 */
function RoomForm({ intent, send, live, children, className, label }: { intent: string; send: Send; live: boolean; children: ReactNode; className?: string; label?: string }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    if (!live) return;
    e.preventDefault();
    const form = e.currentTarget;
    const action = Object.fromEntries(new FormData(form).entries());
    setBusy(true);
    const r = await send(action);
    setBusy(false);
    if (r.ok) {
      setError(null);
      if (intent === "post" || intent === "ask" || intent === "hide") form.reset();
    } else setError(r.error.message);
  };
  return (
    <Form method="post" className={className} noValidate onSubmit={onSubmit} aria-label={label} aria-busy={busy || undefined}>
      <input type="hidden" name="intent" value={intent} />
      {error ? (
        <p className="field-error" role="alert">
          {t.msg(error)}
        </p>
      ) : null}
      {children}
    </Form>
  );
}

function Button({ children, secondary }: { children: ReactNode; secondary?: boolean }) {
  return (
    <button type="submit" className={secondary ? "secondary" : undefined}>
      {children}
    </button>
  );
}

export default function Room() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const viewer = { userId: data.me.id, staff: data.access.moderator };
  const { state, connected, presence, offset, send } = useRoom(data.state, viewer, data.serverNow);
  const now = useServerNow(offset, data.serverNow);
  const mod = data.access.moderator;
  const panel = data.access.panel;
  const open = state.status === "open";
  const muted = state.muted.some((m) => m.userId === data.me.id);
  const errs = (intent: string) => errorsOf(reply, intent);
  const f = { send, live: connected };

  const clock = itemClock(state, now);
  const turnLeft = state.floor ? secondsLeft(state.floor.turnStartedAt, state.floor.turnSeconds, now) : null;
  const board = rankBoard(state.statements);
  const byId = new Map(state.statements.map((s) => [s.id, s]));
  const myHand = state.hands.some((h) => h.userId === data.me.id);

  return (
    <>
      <IntentErrorSummary data={reply} />
      <p>
        <Link to={`/matters/${data.matter.id}`}>
          #{data.matter.id} {data.matter.title}
        </Link>
      </p>
      <h1>{t("room.title", { title: data.matter.title })}</h1>
      <p>
        <span className="tag" id="room-status" data-status={state.status}>
          {t(`room.status.${state.status}`)}
        </span>{" "}
        {t("room.youAre", { role: t(`room.role.${data.role}`) })}
      </p>
      {search.get("saved") ? <Notice>{t("room.saved")}</Notice> : null}
      <p className="live-status" role="status" aria-live="polite" id="live-status" data-live={connected ? "1" : "0"}>
        {connected ? t("room.live") : t("room.reloadHint")}
      </p>
      {presence ? (
        <p id="presence" aria-live="polite">
          {presence.panel.length
            ? t("room.presence", { names: presence.panel.join("、"), count: presence.observers })
            : t("room.presenceNone", { count: presence.observers })}
        </p>
      ) : null}
      {muted ? <Notice>{t("room.youAreMuted")}</Notice> : null}
      {state.votes.length ? (
        <div className="notice" id="room-votes">
          {state.votes.map((v) => (
            <p key={v.id}>
              {t("room.voteOpen", { question: v.question })} <Link to={`/votes/${v.id}`}>{t("room.goVote")}</Link>
            </p>
          ))}
        </div>
      ) : null}

      {state.status === "scheduled" ? (
        <section aria-labelledby="start-title">
          <h2 id="start-title">{t("room.notStarted", { time: t.time(data.session.scheduledAt) })}</h2>
          {data.access.committee ? (
            <RoomForm intent="open" {...f}>
              <p className="hint">{t("room.openHint")}</p>
              <Button>{t("room.open")}</Button>
            </RoomForm>
          ) : null}
        </section>
      ) : null}
      {state.status === "closed" ? (
        <Notice>
          {t("room.endedSee")} <Link to={`/rooms/${state.sessionId}/minutes`}>{t("room.minutes")}</Link>
        </Notice>
      ) : null}

      <section aria-labelledby="agenda-title">
        <h2 id="agenda-title">{t("room.agenda")}</h2>
        {clock ? (
          <p className="room-clock" id="item-clock">
            <strong>{t("room.current")}:</strong> {clock.item.title} — {t("room.itemLeft", { time: mmss(clock.left ?? 0) })}
          </p>
        ) : null}
        <ol>
          {state.items.map((i) => (
            <li key={i.id} aria-current={i.id === state.currentItemId ? "step" : undefined}>
              {i.title} ({i.minutes} min)
            </li>
          ))}
        </ol>
        {mod && open ? (
          <div className="button-row">
            <RoomForm intent="prevItem" {...f}>
              <Button secondary>{t("room.prevItem")}</Button>
            </RoomForm>
            <RoomForm intent="extendItem" {...f}>
              <Button secondary>{t("room.extendItem")}</Button>
            </RoomForm>
            <RoomForm intent="nextItem" {...f}>
              <Button>{t("room.nextItem")}</Button>
            </RoomForm>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="floor-title">
        <h2 id="floor-title">{t("room.floor")}</h2>
        <p id="floor" data-user={state.floor?.userId ?? ""}>
          {state.floor ? t("room.floorHolder", { name: state.floor.name, time: mmss(turnLeft ?? 0) }) : t("room.floorNone")}
        </p>
        {state.floor && open && (mod || state.floor.userId === data.me.id) ? (
          <div className="button-row">
            {mod ? (
              <RoomForm intent="extendTurn" {...f}>
                <input type="hidden" name="seconds" value="60" />
                <Button secondary>{t("room.extendTurn")}</Button>
              </RoomForm>
            ) : null}
            <RoomForm intent="endTurn" {...f}>
              <Button secondary>{t("room.endTurn")}</Button>
            </RoomForm>
          </div>
        ) : null}
        <h3>{t("room.queue")}</h3>
        {state.hands.length === 0 ? <p>{t("room.queueEmpty")}</p> : null}
        <ol id="queue">
          {state.hands.map((h) => (
            <li key={h.userId}>
              {h.name}
              {mod && open ? (
                <RoomForm intent="giveFloor" {...f} className="inline-form">
                  <input type="hidden" name="userId" value={h.userId} />
                  <Button>{t("room.giveFloor", { name: h.name })}</Button>
                </RoomForm>
              ) : null}
            </li>
          ))}
        </ol>
        {panel && open && !muted && state.floor?.userId !== data.me.id ? (
          <RoomForm intent={myHand ? "lowerHand" : "raiseHand"} {...f}>
            <Button secondary={myHand}>{myHand ? t("room.lowerHand") : t("room.raiseHand")}</Button>
          </RoomForm>
        ) : null}
      </section>

      {(panel || mod) && open && !muted ? <PostForm reply={reply} mod={mod} send={send} live={connected} /> : null}

      <section aria-labelledby="board-title">
        <h2 id="board-title">{t("room.board")}</h2>
        {board.agreed.length + board.divisive.length === 0 ? <p>{t("room.boardEmpty")}</p> : null}
        <BoardList id="board-agreed" title={t("room.boardAgreed")} items={board.agreed} />
        <BoardList id="board-divisive" title={t("room.boardDivisive")} items={board.divisive} />
      </section>

      <section aria-labelledby="statements-title">
        <h2 id="statements-title">{t("room.statements")}</h2>
        {state.statements.length === 0 ? <p>{t("room.noStatements")}</p> : null}
        <ol className="card-list" id="statements" aria-live="polite">
          {state.statements.map((s) => (
            <Statement key={s.id} s={s} replyTo={s.replyToId ? byId.get(s.replyToId) : undefined} me={data.me.id} mod={mod} open={open} reply={reply} send={send} live={connected} />
          ))}
        </ol>
      </section>

      <section aria-labelledby="questions-title">
        <h2 id="questions-title">{t("room.questions")}</h2>
        <ul id="questions">
          {state.questions.map((q) => (
            <li key={q.id}>
              {q.body} {q.authorName ? `— ${q.authorName}` : ""} {q.surfaced ? <span className="tag">{t("room.surfaced")}</span> : null}
              {mod && open && !q.surfaced ? (
                <RoomForm intent="surface" {...f} className="inline-form">
                  <input type="hidden" name="questionId" value={q.id} />
                  <Button secondary>{t("room.surface")}</Button>
                </RoomForm>
              ) : null}
            </li>
          ))}
        </ul>
        {open && !mod && !muted ? (
          <RoomForm intent="ask" {...f} label={t("room.ask")}>
            <IntentField intent="ask" name="body" label="room.askBody" errors={errs("ask")} textarea />
            <Button>{t("room.askSend")}</Button>
          </RoomForm>
        ) : null}
      </section>

      {open && (mod || panel) ? (
        <section aria-labelledby="checkin-title">
          <h2 id="checkin-title">{t("room.checkin")}</h2>
          <p>
            {t("room.inPerson")}: {state.inPerson.map((p) => p.name).join("、") || "—"}
          </p>
          {mod ? (
            <>
              <p>
                <strong>{t("room.checkinCodeShow", { code: data.session.checkinCode ?? "" })}</strong>
              </p>
              <RoomForm intent="checkin" {...f}>
                <div className="field">
                  <label htmlFor="checkin-userId">{t("room.checkinList")}</label>
                  <select id="checkin-userId" name="userId" defaultValue="">
                    <option value="">—</option>
                    {data.panel.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </div>
                <IntentField intent="checkin" name="name" label="room.checkinName" errors={errs("checkin")} required={false} />
                <Button>{t("room.checkinSend")}</Button>
              </RoomForm>
            </>
          ) : (
            <RoomForm intent="checkinCode" {...f}>
              <IntentField intent="checkinCode" name="code" label="room.checkinCode" hint="room.checkinCodeHint" errors={errs("checkinCode")} type="text" />
              <Button>{t("room.checkinSend")}</Button>
            </RoomForm>
          )}
        </section>
      ) : null}

      {mod && state.muted.length ? (
        <section aria-labelledby="muted-title">
          <h2 id="muted-title">{t("room.mutedList")}</h2>
          <ul>
            {state.muted.map((m) => (
              <li key={m.userId}>
                {m.name}
                {open ? (
                  <RoomForm intent="unmute" {...f} className="inline-form">
                    <input type="hidden" name="userId" value={m.userId} />
                    <Button secondary>{t("room.unmute")}</Button>
                  </RoomForm>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {mod && open ? (
        <RoomForm intent="close" {...f}>
          <Button>{t("room.close")}</Button>
        </RoomForm>
      ) : null}
    </>
  );
}

function PostForm({ reply, mod, send, live }: { reply: Reply; mod: boolean; send: Send; live: boolean }) {
  const t = useT();
  const errs = errorsOf(reply, "post");
  const stanceErr = errs.stance?.[0];
  return (
    <section aria-labelledby="post-title">
      <h2 id="post-title">{t("room.post")}</h2>
      <RoomForm intent="post" send={send} live={live}>
        <fieldset className={`radios${stanceErr ? " field--error" : ""}`} aria-describedby={stanceErr ? "post-stance-error" : undefined}>
          <legend>{t("room.stanceLabel")}</legend>
          {stanceErr ? (
            <p className="field-error" id="post-stance-error">
              {t.msg(stanceErr)}
            </p>
          ) : null}
          {STANCES.map((s, i) => (
            <label key={s}>
              <input type="radio" name="stance" value={s} id={i === 0 ? "post-stance" : undefined} defaultChecked={s === "neutral"} /> {t(`room.stance.${s}`)}
            </label>
          ))}
        </fieldset>
        <IntentField intent="post" name="body" label="room.body" hint="room.bodyHint" errors={errs} textarea />
        <IntentField intent="post" name="replyTo" label="room.replyTo" errors={errs} required={false} type="number" />
        {mod ? <IntentField intent="post" name="speaker" label="room.speaker" hint="room.speakerHint" errors={errs} required={false} /> : null}
        <Button>{t("room.send")}</Button>
      </RoomForm>
    </section>
  );
}

function Statement({
  s,
  replyTo,
  me,
  mod,
  open,
  reply,
  send,
  live,
}: {
  s: StatementView;
  replyTo?: StatementView;
  me: number;
  mod: boolean;
  open: boolean;
  reply: Reply;
  send: Send;
  live: boolean;
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

/** One ranking of the board (widest agreement, most divisive), each entry linking to its statement. */
function BoardList({ id, title, items }: { id: string; title: string; items: { id: number; body: string; counts: { agree: number; disagree: number; pass: number } }[] }) {
  const t = useT();
  if (!items.length) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul id={id}>
        {items.map((s) => (
          <li key={s.id}>
            <a href={`#s-${s.id}`}>#{s.id}</a> {s.body} ({t("room.countsShort", { ...s.counts })})
          </li>
        ))}
      </ul>
    </>
  );
}
