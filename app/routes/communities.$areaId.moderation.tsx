import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { IntentErrorSummary, IntentField, IntentForm, errorsOf, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { decideAppeal } from "~/modules/matters/comments/appeal.server";
import { decideReport } from "~/modules/matters/comments/moderate.server";
import { listModerationQueue, type QueueItem } from "~/modules/matters/comments/queue.server";
import { DecideAppealSchema, DecideReportSchema, type ReportReason } from "~/modules/matters/comments/schemas";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("moderation.title", (d) => ({ name: (d as { area?: { name: string } } | undefined)?.area?.name ?? "" }));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  return json(await loaderGuard(() => listModerationQueue(commandContext(context), id)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  const done = () => redirect(`/communities/${id}/moderation?done=1`);
  if (/^decide-\d{1,10}$/.test(intent)) return formAction(request, DecideReportSchema, async (v) => (await decideReport(ctx, v), done()), intent);
  if (/^appeal-\d{1,10}$/.test(intent)) return formAction(request, DecideAppealSchema, async (v) => (await decideAppeal(ctx, v), done()), intent);
  httpError(400, "errors.badRequest");
}

function Item({ q, data, kind }: { q: QueueItem; data: Reply; kind: "decide" | "appeal" }) {
  const t = useT();
  const intent = `${kind}-${q.commentId}`;
  return (
    <li className="card" id={`case-${kind}-${q.commentId}`}>
      <p>
        <span className="tag">{t(`moderation.status.${q.status}`)}</span> {t("moderation.reportsCount", { count: q.reportCount })} ·{" "}
        {(Object.entries(q.reasons) as [ReportReason, number][]).map(([r, n]) => t("moderation.reasonCount", { reason: t(`comments.reason.${r}`), count: n })).join("，")}
      </p>
      <p className="muted">
        {t("moderation.on", { title: q.matterTitle })} · {t("moderation.by", { name: q.authorName })} · {t.time(q.openedAt)} ·{" "}
        <Link to={`/matters/${q.matterId}/comments?thread=${q.threadId ?? q.commentId}#comment-${q.commentId}`}>{t("moderation.viewInThread")}</Link>
      </p>
      <blockquote>{q.body}</blockquote>
      {kind === "appeal" ? (
        <>
          <p>{t("moderation.committeeReason", { reason: q.publicReason ?? "" })}</p>
          <p>{t("moderation.appealText", { text: q.appealText ?? "" })}</p>
        </>
      ) : null}
      <IntentForm intent={intent}>
        <input type="hidden" name="commentId" value={q.commentId} />
        <IntentField intent={intent} name="reason" label="moderation.publicReason" hint="moderation.publicReasonHint" errors={errorsOf(data, intent)} />
        <div className="actions">
          <button type="submit" name="decision" value={kind === "decide" ? "keep" : "overturn"} className="secondary">
            {t(kind === "decide" ? "moderation.keep" : "moderation.overturn")}
          </button>
          <button type="submit" name="decision" value={kind === "decide" ? "hide" : "uphold"}>
            {t(kind === "decide" ? "moderation.hide" : "moderation.uphold")}
          </button>
        </div>
      </IntentForm>
    </li>
  );
}

export default function Moderation() {
  const t = useT();
  const q = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  return (
    <>
      <IntentErrorSummary data={data} />
      <h1>{t("moderation.title", { name: q.area.name })}</h1>
      {search.get("done") ? <Notice>{t("moderation.decided")}</Notice> : null}
      {q.moderate ? (
        <section aria-labelledby="moderation-reports">
          <h2 id="moderation-reports">{t("moderation.reports")}</h2>
          {q.reports.length ? (
            <ol className="card-list">
              {q.reports.map((r) => (
                <Item key={r.commentId} q={r} data={data} kind="decide" />
              ))}
            </ol>
          ) : (
            <p>{t("moderation.none")}</p>
          )}
        </section>
      ) : null}
      {q.appeals ? (
        <section aria-labelledby="moderation-appeals">
          <h2 id="moderation-appeals">{t("moderation.appeals")}</h2>
          {q.pendingAppeals.length ? (
            <ol className="card-list">
              {q.pendingAppeals.map((r) => (
                <Item key={r.commentId} q={r} data={data} kind="appeal" />
              ))}
            </ol>
          ) : (
            <p>{t("moderation.none")}</p>
          )}
        </section>
      ) : null}
    </>
  );
}
