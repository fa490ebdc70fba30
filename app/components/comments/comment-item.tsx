import { Link } from "@remix-run/react";
import { IntentField, IntentForm, IntentSelect, errorsOf, type Reply } from "~/components/simple-form";
import { useT } from "~/i18n/use-t";
import type { CommentView, ThreadView } from "~/modules/matters/comments/list.server";
import { COMMENT_STANCES, REPORT_REASONS } from "~/modules/matters/comments/choices";

/** The stance a comment takes, as a tag; the class lets the stylesheet colour it. */
export function StanceTag({ stance }: { stance: CommentView["stance"] }) {
  const t = useT();
  return <span className={`tag stance stance-${stance}`}>{t(`comments.stance.${stance}`)}</span>;
}

/** Stance select and text: the one form for a new comment, a reply and an edit (each its own intent). */
export function CommentFields({ intent, data, stance, body, label }: { intent: string; data: Reply; stance?: string; body?: string; label?: "comments.bodyLabel" | "comments.replyLabel" }) {
  const t = useT();
  const errors = errorsOf(data, intent);
  return (
    <>
      <IntentSelect
        intent={intent}
        name="stance"
        label="comments.stanceLabel"
        errors={errors}
        defaultValue={stance}
        options={[{ value: "", label: "—" }, ...COMMENT_STANCES.map((s) => ({ value: s, label: t(`comments.stance.${s}`) }))]}
      />
      <IntentField intent={intent} name="body" label={label ?? "comments.bodyLabel"} hint="comments.bodyHint" textarea errors={errors} defaultValue={body} />
    </>
  );
}

/** One comment with what this reader may do with it; every action is a small form that works without JavaScript. */
export function CommentItem({ c, data, threadId }: { c: CommentView | ThreadView; data: Reply; threadId: number }) {
  const t = useT();
  const replyOpen = data?.intent === `reply-${c.id}`;
  const editOpen = data?.intent === `edit-${c.id}`;
  return (
    <article className={`comment comment-${c.status}`} id={`comment-${c.id}`} aria-labelledby={`comment-${c.id}-by`}>
      <header>
        <strong id={`comment-${c.id}-by`}>{c.authorName}</strong> <StanceTag stance={c.stance} />{" "}
        <span className="muted">{t.time(c.createdAt)}</span>
        {c.editedAt ? <span className="muted"> · {t("comments.edited")}</span> : null}
        {c.answered ? <span className="tag answered"> {t("comments.answered")}</span> : null}
      </header>
      {c.replyingTo ? (
        <p className="muted">
          <a href={`#comment-${c.replyingTo.id}`}>{t("comments.replyingTo", { name: c.replyingTo.name })}</a>
        </p>
      ) : null}
      {c.status === "pending" && c.body === null ? <p className="muted">{t("comments.pending")}</p> : null}
      {c.status === "hidden" && c.body === null ? <p className="muted">{t("comments.hidden", { reason: c.hiddenReason ?? "" })}</p> : null}
      {c.body !== null ? (
        <div className="prose">
          {c.status !== "visible" ? <p className="muted">{t("comments.yoursPending")}</p> : null}
          {c.body.split("\n").map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
      ) : null}
      <div className="actions comment-actions">
        {c.may.react ? (
          <>
            <IntentForm intent="react">
              <input type="hidden" name="commentId" value={c.id} />
              <button type="submit" name="value" value="agree" className="secondary" aria-pressed={c.mine === "agree"}>
                {t("comments.agree", { count: c.agree })}
              </button>
            </IntentForm>
            <IntentForm intent="react">
              <input type="hidden" name="commentId" value={c.id} />
              <button type="submit" name="value" value="disagree" className="secondary" aria-pressed={c.mine === "disagree"}>
                {t("comments.disagree", { count: c.disagree })}
              </button>
            </IntentForm>
          </>
        ) : c.status === "visible" ? (
          <span className="muted">
            {t("comments.agreeCount", { count: c.agree })} · {t("comments.disagreeCount", { count: c.disagree })}
          </span>
        ) : null}
        {c.may.answer ? (
          <IntentForm intent="answer">
            <input type="hidden" name="commentId" value={c.id} />
            <input type="hidden" name="answered" value={c.answered ? "no" : "yes"} />
            <button type="submit" className="secondary">
              {t(c.answered ? "comments.unmarkAnswered" : "comments.markAnswered")}
            </button>
          </IntentForm>
        ) : null}
      </div>
      {c.may.react && c.status === "visible" ? (
        <details open={replyOpen}>
          <summary>{t("comments.reply")}</summary>
          <IntentForm intent={`reply-${c.id}`}>
            <input type="hidden" name="replyTo" value={c.id} />
            <input type="hidden" name="thread" value={threadId} />
            <CommentFields intent={`reply-${c.id}`} data={data} label="comments.replyLabel" />
            <button type="submit">{t("comments.replySubmit")}</button>
          </IntentForm>
        </details>
      ) : null}
      {c.may.report ? (
        <details open={data?.intent === `report-${c.id}`}>
          <summary>{t("comments.report")}</summary>
          <IntentForm intent={`report-${c.id}`}>
            <input type="hidden" name="commentId" value={c.id} />
            <IntentSelect
              intent={`report-${c.id}`}
              name="reason"
              label="comments.reportReason"
              errors={errorsOf(data, `report-${c.id}`)}
              options={[{ value: "", label: "—" }, ...REPORT_REASONS.map((r) => ({ value: r, label: t(`comments.reason.${r}`) }))]}
            />
            <IntentField intent={`report-${c.id}`} name="note" label="comments.reportNote" required={false} errors={errorsOf(data, `report-${c.id}`)} />
            <button type="submit" className="secondary">
              {t("comments.reportSubmit")}
            </button>
          </IntentForm>
        </details>
      ) : null}
      {c.may.appeal ? (
        <details open={data?.intent === `appeal-${c.id}`}>
          <summary>{t("comments.appeal")}</summary>
          <IntentForm intent={`appeal-${c.id}`}>
            <input type="hidden" name="commentId" value={c.id} />
            <IntentField intent={`appeal-${c.id}`} name="text" label="comments.appealText" hint="comments.appealHint" textarea errors={errorsOf(data, `appeal-${c.id}`)} />
            <button type="submit">{t("comments.appealSubmit")}</button>
          </IntentForm>
        </details>
      ) : null}
      {c.may.edit && c.body !== null ? (
        <details open={editOpen}>
          <summary>{t("comments.edit")}</summary>
          <IntentForm intent={`edit-${c.id}`}>
            <input type="hidden" name="commentId" value={c.id} />
            <CommentFields intent={`edit-${c.id}`} data={data} stance={c.stance} body={c.body} />
            <button type="submit">{t("comments.editSave")}</button>
          </IntentForm>
        </details>
      ) : null}
    </article>
  );
}

/** A top-level comment with the replies shown under it and a link to the rest of the thread. */
export function Thread({ thread, data, matterId, full }: { thread: ThreadView; data: Reply; matterId: number; full?: boolean }) {
  const t = useT();
  const more = thread.replyCount - thread.replies.length;
  return (
    <li className="thread">
      <CommentItem c={thread} data={data} threadId={thread.id} />
      {thread.replies.length ? (
        <ol className="replies">
          {thread.replies.map((r) => (
            <li key={r.id}>
              <CommentItem c={r} data={data} threadId={thread.id} />
            </li>
          ))}
        </ol>
      ) : null}
      {!full && more > 0 ? (
        <p>
          <Link to={`/matters/${matterId}/comments?thread=${thread.id}`}>{t("comments.moreReplies", { count: thread.replyCount })}</Link>
        </p>
      ) : null}
    </li>
  );
}

/** The stance balance at the top of a discussion: counts per stance, readable without colour. */
export function StanceBalance({ balance, total, level = 3 }: { balance: Record<CommentView["stance"], number>; total: number; level?: 2 | 3 }) {
  const t = useT();
  // under the discussion page's h1 it is an h2; in the matter page's discussion section an h3
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <div className="stance-balance" aria-labelledby="stance-balance-title">
      <Heading id="stance-balance-title">{t("comments.balance")}</Heading>
      <p>{t("comments.count", { count: total })}</p>
      <ul className="balance-list">
        {COMMENT_STANCES.map((s) => (
          <li key={s} className={`stance-${s}`}>
            {t("comments.balanceItem", { stance: t(`comments.stance.${s}`), count: balance[s] })}
          </li>
        ))}
      </ul>
    </div>
  );
}
