/** Plain lists the pages show and the schemas check, apart from the zod schemas so a page can use them without shipping zod. */
export const COMMENT_STANCES = ["support", "oppose", "neutral", "question"] as const;
export type CommentStance = (typeof COMMENT_STANCES)[number];
export const COMMENT_REACTIONS = ["agree", "disagree"] as const;
export const COMMENT_SORTS = ["newest", "oldest", "agreed", "stance"] as const;
export type CommentSort = (typeof COMMENT_SORTS)[number];
export const REPORT_REASONS = ["abuse", "personal_info", "off_topic", "false_info"] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
