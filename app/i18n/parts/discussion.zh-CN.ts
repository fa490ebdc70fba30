/** Links between the room, its minutes and the matter's discussion; reports of statements and matter text (issue 20). */
export const discussionZhCN = {
  "discussion.commentsLink": "会前讨论（评论）",
  "discussion.commentsBeside": "会前的讨论仍可查看：",
} as const;
