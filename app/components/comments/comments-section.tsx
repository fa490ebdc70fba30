import { Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import type { CommentSummary } from "~/modules/matters/comments/list.server";
import { StanceBalance, StanceTag } from "./comment-item";

/** The discussion as the matter's page shows it: the balance, the newest few, and the way in. */
export function CommentsSection({ matterId, summary }: { matterId: number; summary: CommentSummary }) {
  const t = useT();
  if (!summary.total && !summary.open) return null;
  return (
    <section aria-labelledby="comments-title" className="comments-summary">
      <h2 id="comments-title">{t("comments.title")}</h2>
      <StanceBalance balance={summary.balance} total={summary.total} />
      {summary.latest.length ? (
        <ul className="card-list">
          {summary.latest.map((c) => (
            <li key={c.id}>
              <strong>{c.authorName}</strong> <StanceTag stance={c.stance} /> <span className="muted">{t.time(c.createdAt)}</span>
              <p>{c.body}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("comments.none")}</p>
      )}
      <p>
        <Link className="button secondary" to={`/matters/${matterId}/comments`}>
          {summary.canPost ? t("comments.write") : t("comments.all", { count: summary.total })}
        </Link>
      </p>
    </section>
  );
}
