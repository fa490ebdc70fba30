import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { CommentFields, StanceBalance, Thread } from "~/components/comments/comment-item";
import { LiveComments } from "~/components/comments/live-comments";
import { Notice } from "~/components/forms";
import { IntentErrorSummary, IntentForm, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { markAnswered } from "~/modules/matters/comments/answer.server";
import { editComment } from "~/modules/matters/comments/edit.server";
import { listComments } from "~/modules/matters/comments/list.server";
import { postComment } from "~/modules/matters/comments/post.server";
import { reactToComment } from "~/modules/matters/comments/react.server";
import { reportComment } from "~/modules/matters/comments/report.server";
import { appealHiddenComment } from "~/modules/matters/comments/appeal.server";
import { COMMENT_SORTS, COMMENT_STANCES, AppealSchema, CommentPageSchema, EditCommentSchema, ReportCommentSchema, MarkAnsweredSchema, PostCommentSchema, ReactCommentSchema } from "~/modules/matters/comments/schemas";
import { commentFormBudget } from "~/modules/shared/rate-limit.server";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, queryOf, requireActor } from "~/web/http.server";

export const meta = titleMeta("comments.pageTitle", (d) => ({ title: (d as { title?: string } | undefined)?.title ?? "" }));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  const q = queryOf(request, z.object({}).passthrough().transform((v) => CommentPageSchema.parse(v)));
  return json(await loaderGuard(() => listComments(commandContext(context), id, q)));
}

/** Where a change returns to: the thread it happened in, or the discussion, with the comment in view. */
function back(matterId: number, what: "posted" | "saved" | "reported" | "appealed", commentId: number, thread?: number | null) {
  const q = new URLSearchParams({ done: what, ...(thread ? { thread: String(thread) } : {}) });
  return redirect(`/matters/${matterId}/comments?${q}#comment-${commentId}`);
}

const ThreadField = /* @__PURE__ */ z.object({ thread: z.coerce.number().int().positive().optional().catch(undefined) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  const spend = async () => {
    // the budget a socket has: a script posting the form in a loop is told to wait
    if (ctx.actor) await commentFormBudget.take(ctx.actor.id);
  };
  if (intent === "post" || /^reply-\d{1,10}$/.test(intent)) {
    return formAction(request, PostCommentSchema.and(ThreadField), async ({ thread, ...v }) => {
      await spend();
      const r = await postComment(ctx, id, v);
      return back(id, "posted", r.id, thread ?? r.threadId);
    }, intent);
  }
  if (/^edit-\d{1,10}$/.test(intent)) {
    return formAction(request, EditCommentSchema, async (v) => (await spend(), await editComment(ctx, v), back(id, "saved", v.commentId)), intent);
  }
  if (intent === "react") {
    return formAction(request, ReactCommentSchema, async (v) => (await spend(), await reactToComment(ctx, v), back(id, "saved", v.commentId)), intent);
  }
  if (intent === "answer") {
    return formAction(request, MarkAnsweredSchema, async (v) => (await markAnswered(ctx, v), back(id, "saved", v.commentId)), intent);
  }
  if (/^report-\d{1,10}$/.test(intent)) {
    return formAction(request, ReportCommentSchema, async (v) => (await spend(), await reportComment(ctx, v), back(id, "reported", v.commentId)), intent);
  }
  if (/^appeal-\d{1,10}$/.test(intent)) {
    return formAction(request, AppealSchema, async (v) => (await appealHiddenComment(ctx, v), back(id, "appealed", v.commentId)), intent);
  }
  httpError(400, "errors.badRequest");
}

export default function Comments() {
  const t = useT();
  const p = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const done = search.get("done");
  const pageLink = (page: number) => {
    const q = new URLSearchParams(search);
    q.delete("done");
    q.set("page", String(page));
    return `?${q}`;
  };
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to={`/matters/${p.matterId}`}>{t("comments.backToMatter", { title: p.title })}</Link>
      </p>
      <h1>{t("comments.pageTitle", { title: p.title })}</h1>
      {done === "posted" || done === "saved" || done === "reported" || done === "appealed" ? <Notice>{t(`comments.${done}`)}</Notice> : null}
      <StanceBalance balance={p.balance} total={p.total} level={2} />
      <LiveComments matterId={p.matterId} />
      {p.thread ? (
        <p>
          <Link to={`/matters/${p.matterId}/comments`}>{t("comments.backToAll")}</Link>
        </p>
      ) : (
        <Form method="get" className="filters">
          <label htmlFor="comments-sort">{t("comments.sort")}</label>{" "}
          <select id="comments-sort" name="sort" defaultValue={p.sort}>
            {COMMENT_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`comments.sort.${s}`)}
              </option>
            ))}
          </select>{" "}
          <label htmlFor="comments-stance">{t("comments.filterStance")}</label>{" "}
          <select id="comments-stance" name="stance" defaultValue={p.stance ?? ""}>
            <option value="">{t("comments.filterAll")}</option>
            {COMMENT_STANCES.map((s) => (
              <option key={s} value={s}>
                {t(`comments.stance.${s}`)}
              </option>
            ))}
          </select>{" "}
          <button type="submit" className="secondary">
            {t("comments.apply")}
          </button>
        </Form>
      )}
      {p.threads.length === 0 ? <p>{t("comments.none")}</p> : null}
      <ol className="threads" aria-label={p.thread ? t("comments.threadTitle") : t("comments.title")}>
        {p.threads.map((th) => (
          <Thread key={th.id} thread={th} data={data} matterId={p.matterId} full={!!p.thread} />
        ))}
      </ol>
      {p.pages > 1 ? (
        <nav aria-label={t("comments.page", { page: p.page, pages: p.pages })} className="pagination">
          {p.page > 1 ? <Link to={pageLink(p.page - 1)}>{t("comments.prev")}</Link> : null} <span>{t("comments.page", { page: p.page, pages: p.pages })}</span>{" "}
          {p.page < p.pages ? <Link to={pageLink(p.page + 1)}>{t("comments.next")}</Link> : null}
        </nav>
      ) : null}
      {p.canPost && !p.thread ? (
        <section aria-labelledby="comment-write-title">
          <h2 id="comment-write-title">{t("comments.write")}</h2>
          <IntentForm intent="post">
            <CommentFields intent="post" data={data} />
            <button type="submit">{t("comments.submit")}</button>
          </IntentForm>
        </section>
      ) : !p.open ? (
        <p className="muted">{t("comments.closedNote")}</p>
      ) : !p.canPost ? (
        <p className="muted">{t("comments.signIn")}</p>
      ) : null}
    </>
  );
}
