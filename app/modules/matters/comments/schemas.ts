import * as z from "zod";
import { msg, text } from "../../shared/validation";
import { COMMENT_STANCES, COMMENT_REACTIONS, COMMENT_SORTS, REPORT_REASONS } from "./choices";

export { COMMENT_STANCES, COMMENT_REACTIONS, COMMENT_SORTS, REPORT_REASONS } from "./choices";
export type { CommentStance, CommentSort, ReportReason } from "./choices";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const id = z.coerce.number({ error: msg("errors.invalid") }).int({ error: msg("errors.invalid") }).positive({ error: msg("errors.invalid") }).max(2_147_483_647, { error: msg("errors.invalid") });

/** The longest comment, in characters. */
export const MAX_COMMENT = 2000;
/** Top-level comments on one page, and replies shown under each before "show all replies". */
export const THREADS_PER_PAGE = 20;
export const REPLIES_SHOWN = 5;
export const REPLIES_PER_PAGE = 100;

const stance = z.enum(COMMENT_STANCES, { error: msg("comments.errors.stance") });

export const PostCommentSchema = z.object({
  stance,
  body: text(MAX_COMMENT),
  /** the comment answered; a reply to a reply stays in the thread and says whom it answers */
  replyTo: z.preprocess(blankToUndefined, id.optional()),
});
export type PostCommentInput = z.output<typeof PostCommentSchema>;

export const EditCommentSchema = z.object({ commentId: id, stance, body: text(MAX_COMMENT) });
export const ReactCommentSchema = z.object({ commentId: id, value: z.enum(COMMENT_REACTIONS, { error: msg("errors.invalid") }) });
export const MarkAnsweredSchema = z.object({ commentId: id, answered: z.enum(["yes", "no"], { error: msg("errors.invalid") }).transform((v) => v === "yes") });

/** What a page of comments asks for in its query string; anything odd falls back to the first page. */
export const CommentPageSchema = z.object({
  sort: z.enum(COMMENT_SORTS).catch("newest").default("newest"),
  stance: z.enum(COMMENT_STANCES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
  thread: z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined),
});
export type CommentPageQuery = z.output<typeof CommentPageSchema>;

const optionalNote = z.preprocess(blankToUndefined, text(500).optional());

export const ReportCommentSchema = z.object({ commentId: id, reason: z.enum(REPORT_REASONS, { error: msg("comments.errors.reportReason") }), note: optionalNote });
/** The committee's decision on a reported comment, with the reason everyone will read. */
export const DecideReportSchema = z.object({ commentId: id, decision: z.enum(["keep", "hide"], { error: msg("errors.invalid") }), reason: text(500) });
/** The author's one appeal to the town against a hidden comment. */
export const AppealSchema = z.object({ commentId: id, text: text(1000) });
export const DecideAppealSchema = z.object({ commentId: id, decision: z.enum(["uphold", "overturn"], { error: msg("errors.invalid") }), reason: text(500) });
