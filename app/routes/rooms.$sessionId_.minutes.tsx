import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { confirmMinutes, correctMinutes } from "~/modules/matters/room/confirm.server";
import { getMinutes, respondToMinutes, writeSummary } from "~/modules/matters/room/minutes.server";
import { ConfirmMinutesSchema, CorrectionSchema, MinutesResponseSchema, STANCES, SummarySchema } from "~/modules/matters/room/schemas";
import { MinutesStatus } from "~/components/room/minutes-status";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("room.title", (d) => ({ title: (d as { matter?: { title: string } })?.matter?.title ?? "" }));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.sessionId);
  requireActor(context, request);
  return json({ sessionId: id, ...(await loaderGuard(() => getMinutes(commandContext(context), id))) });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.sessionId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  const back = redirect(`/rooms/${id}/minutes?saved=1`);
  if (intent === "summary") return formAction(request, SummarySchema, async (v) => (await writeSummary(ctx, id, v), back), intent);
  if (intent === "respond") return formAction(request, MinutesResponseSchema, async (v) => (await respondToMinutes(ctx, id, v), back), intent);
  if (intent === "confirm") return formAction(request, ConfirmMinutesSchema, async (v) => (await confirmMinutes(ctx, id, v.confirm), back), intent);
  if (intent === "correct") return formAction(request, CorrectionSchema, async (v) => (await correctMinutes(ctx, id, v), back), intent);
  httpError(400, "errors.badRequest");
}

export default function Minutes() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const m = d.minutes;
  const all = new Map(STANCES.flatMap((s) => m.statements[s]).map((s) => [s.id, s]));
  return (
    <>
      <IntentErrorSummary data={reply} />
      <p>
        <Link to={`/matters/${d.matter.id}`}>
          #{d.matter.id} {d.matter.title}
        </Link>
      </p>
      <h1>
        {t("room.minutesTitle")}: {m.session.matterTitle}
      </h1>
      {search.get("saved") ? <Notice>{t("room.saved")}</Notice> : null}
      <p className="button-row no-print">
        <a className="button" href={`/rooms/${d.sessionId}/minutes.md`} download>
          {t("room.exportMd")}
        </a>
        <a className="button" href={`/rooms/${d.sessionId}/minutes.csv`} download>
          {t("room.exportCsv")}
        </a>
        <Link to={`/rooms/${d.sessionId}`}>{t("room.enter")}</Link>
      </p>
      <p className="no-print">
        {t("discussion.commentsBeside")} <Link to={`/matters/${d.matter.id}/comments`}>{t("discussion.commentsLink")}</Link>
      </p>
      <MinutesStatus d={d} reply={reply} />
      <dl className="facts">
        <div>
          <dt>{t("room.scheduledAt")}</dt>
          <dd>{t.time(m.session.scheduledAt)}</dd>
        </div>
        <div>
          <dt>{t("room.opened")}</dt>
          <dd>{m.session.openedAt ? t.time(m.session.openedAt) : "—"}</dd>
        </div>
        <div>
          <dt>{t("room.closedAt")}</dt>
          <dd>{m.session.closedAt ? t.time(m.session.closedAt) : "—"}</dd>
        </div>
        {m.session.place ? (
          <div>
            <dt>{t("room.place")}</dt>
            <dd>{m.session.place}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("room.moderator")}</dt>
          <dd>{m.session.moderator}</dd>
        </div>
      </dl>

      <section aria-labelledby="summary-title">
        <h2 id="summary-title">{t("room.summary")}</h2>
        {d.summary ? <p className="statement-body">{d.summary}</p> : <p>{t("room.noSummary")}</p>}
        {d.canSummarise ? (
          <IntentForm intent="summary" className="no-print">
            <IntentField intent="summary" name="summary" label="room.summaryWrite" errors={errorsOf(reply, "summary")} textarea defaultValue={d.summary ?? undefined} />
            <button type="submit">{t("room.summarySave")}</button>
          </IntentForm>
        ) : null}
      </section>

      <section aria-labelledby="attendance-title">
        <h2 id="attendance-title">{t("room.attendance")}</h2>
        <p id="attendance-online">
          {t("room.online")}: {m.attendance.online.map((a) => `${a.name}（${t(`room.role.${a.role as "panel"}`)}）`).join("、") || "—"}
        </p>
        <p id="attendance-in-person">
          {t("room.inPerson")}: {m.attendance.inPerson.map((a) => a.name).join("、") || "—"}
        </p>
      </section>

      <section aria-labelledby="agenda-title">
        <h2 id="agenda-title">{t("room.agenda")}</h2>
        <ol>
          {m.agenda.map((i, n) => (
            <li key={n}>
              {i.title} ({i.minutes} min): {i.startedAt ? t.time(i.startedAt) : "—"} – {i.endedAt ? t.time(i.endedAt) : "—"}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="speakers-title">
        <h2 id="speakers-title">{t("room.speakers")}</h2>
        <ul>
          {m.speakers.map((s) => (
            <li key={s.name}>
              {s.name}: {t("room.speakerTime", { turns: s.turns, seconds: s.seconds })}
            </li>
          ))}
        </ul>
      </section>

      {STANCES.map((stance) => (
        <section key={stance} aria-labelledby={`stance-${stance}`}>
          <h2 id={`stance-${stance}`}>{t(`room.stance.${stance}`)}</h2>
          <ul className="card-list">
            {m.statements[stance].map((s) => (
              <li key={s.id} id={`s-${s.id}`}>
                <strong>#{s.id}</strong> {s.recordedBy ? t("room.recordedFor", { name: s.speaker, staff: s.recordedBy }) : s.speaker}
                {s.replyToId ? ` · ${t("room.replyToShort", { id: s.replyToId })}` : ""}
                <p className="statement-body">{s.body ?? t("room.hiddenWithReason", { reason: s.hiddenReason ?? "" })}</p>
                <p className="muted">{t("room.countsShort", { ...s.counts })}</p>
              </li>
            ))}
          </ul>
        </section>
      ))}

      <section aria-labelledby="board-title">
        <h2 id="board-title">{t("room.board")}</h2>
        <h3>{t("room.boardAgreed")}</h3>
        <ul>
          {m.board.agreed.map((id) => (
            <li key={id}>
              #{id} {all.get(id)?.body}
            </li>
          ))}
        </ul>
        <h3>{t("room.boardDivisive")}</h3>
        <ul>
          {m.board.divisive.map((id) => (
            <li key={id}>
              #{id} {all.get(id)?.body}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="moderation-title">
        <h2 id="moderation-title">{t("room.moderation")}</h2>
        <ul id="moderation">
          {m.moderation.map((a) => (
            <li key={a.seq}>
              {t.time(a.at)} {a.by} {t(`room.event.${a.kind}` as "room.event.statement.hidden")} {a.detail}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="responses-title">
        <h2 id="responses-title">{t("room.responses")}</h2>
        <ul>
          {d.responses.map((r) => (
            <li key={r.userId}>
              {r.name}: {t(`room.response.${r.kind}`)}
              {r.comment ? ` — ${r.comment}` : ""}
            </li>
          ))}
        </ul>
        {d.canRespond ? (
          <IntentForm intent="respond" className="no-print">
            <fieldset className="radios">
              <legend>{t("room.responseKind")}</legend>
              {(["confirm", "comment"] as const).map((k, i) => (
                <label key={k}>
                  <input type="radio" name="kind" value={k} id={i === 0 ? "respond-kind" : undefined} defaultChecked={(d.mine?.kind ?? "confirm") === k} /> {t(`room.response.${k}`)}
                </label>
              ))}
            </fieldset>
            <IntentField intent="respond" name="comment" label="room.responseComment" errors={errorsOf(reply, "respond")} textarea required={false} defaultValue={d.mine?.comment ?? undefined} />
            <button type="submit">{t("room.responseSend")}</button>
          </IntentForm>
        ) : null}
      </section>
      <p className="no-print">
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t("room.print")}
        </button>
      </p>
    </>
  );
}
