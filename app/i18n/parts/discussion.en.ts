import type { discussionZhCN } from "./discussion.zh-CN";

/** Links between the room, its minutes and the matter's discussion; reports of statements and matter text (issue 20). */
export const discussionEn: Record<keyof typeof discussionZhCN, string> = {
  "discussion.commentsLink": "Discussion before the meeting (comments)",
  "discussion.commentsBeside": "The discussion before the meeting stays readable:",
} as const;
