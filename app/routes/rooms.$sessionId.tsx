import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Confirmed, ConfirmStep } from "~/components/confirm-step";
import { Notice } from "~/components/notice";
import { AgendaSection } from "~/components/room/agenda-section";
import { AttendanceSection, MutedSection } from "~/components/room/attendance-section";
import { BoardSection } from "~/components/room/board-section";
import { FloorSection } from "~/components/room/floor-section";
import { PostForm } from "~/components/room/post-form";
import { QuestionsSection } from "~/components/room/questions-section";
import { Button, RoomForm } from "~/components/room/room-form";
import { Statement } from "~/components/room/statement";
import { IntentErrorSummary, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { useRoom, useServerNow } from "~/realtime/use-room";
import { act } from "~/modules/matters/room/act.server";
import { getRoom } from "~/modules/matters/room/view.server";
import { RoomActionSchema } from "~/web/action-schemas.server";
import { commandContext, formAction, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";
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
  const f = { send, live: connected };
  const byId = new Map(state.statements.map((s) => [s.id, s]));

  return (
    <>
      <IntentErrorSummary data={reply} />
      <p>
        <Link to={`/matters/${data.matter.id}`}>
          #{data.matter.id} {data.matter.title}
        </Link>{" "}
        · <Link to={`/matters/${data.matter.id}/comments`}>{t("discussion.commentsLink")}</Link>
      </p>
      <h1>{t("room.title", { title: data.matter.title })}</h1>
      <p>
        <span className="tag" id="room-status" data-status={state.status}>
          {t(`room.status.${state.status}`)}
        </span>{" "}
        {t("room.youAre", { role: t(data.role === "panel" && (data.matter.form === "meeting" || data.matter.form === "household_vote") ? "room.role.speaker" : `room.role.${data.role}`) })}
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
          {t("room.endedSee")} <Link to={`/rooms/${state.sessionId}/minutes`}>{t("room.minutes")}</Link> ·{" "}
          <Link to={`/matters/${data.matter.id}/comments`}>{t("discussion.commentsLink")}</Link>
        </Notice>
      ) : null}

      <AgendaSection state={state} now={now} mod={mod} {...f} />
      <FloorSection state={state} now={now} me={data.me.id} mod={mod} panel={panel} muted={muted} {...f} />
      {(panel || mod) && open && !muted ? <PostForm reply={reply} mod={mod} {...f} /> : null}
      <BoardSection statements={state.statements} />

      <section aria-labelledby="statements-title">
        <h2 id="statements-title">{t("room.statements")}</h2>
        {state.statements.length === 0 ? <p>{t("room.noStatements")}</p> : null}
        <ol className="card-list" id="statements" aria-live="polite">
          {state.statements.map((s) => (
            <Statement key={s.id} s={s} replyTo={s.replyToId ? byId.get(s.replyToId) : undefined} me={data.me.id} mod={mod} open={open} reply={reply} {...f} />
          ))}
        </ol>
      </section>

      <QuestionsSection state={state} mod={mod} muted={muted} reply={reply} {...f} />
      {open && (mod || panel) ? <AttendanceSection state={state} mod={mod} code={data.session.checkinCode} panel={data.panel} reply={reply} {...f} /> : null}
      {mod && state.muted.length ? <MutedSection state={state} {...f} /> : null}

      {mod && open ? (
        <ConfirmStep what="close" label={t("room.close")} consequence={t("room.closeConsequence")}>
          <RoomForm intent="close" {...f}>
            <Confirmed />
            <button type="submit" className="warning">
              {t("confirm.do", { action: t("room.close") })}
            </button>
          </RoomForm>
        </ConfirmStep>
      ) : null}
    </>
  );
}
