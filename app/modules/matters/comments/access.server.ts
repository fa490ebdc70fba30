/** Shared by the comment commands: a comment with its matter as permissions see it, or not found. */
import { eq } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { areas, comments, matters } from "../../../../db/schema";
import type { Actor } from "../../accounts/actor";
import { can, type Resource } from "../../accounts/permissions";
import { DomainError } from "../../shared/errors";

export type CommentRow = typeof comments.$inferSelect;
export interface LoadedComment {
  c: CommentRow;
  matterTitle: string;
  communityId: number;
  resource: Extract<Resource, { type: "comment" }>;
}

/**
 * The comment and its matter (locked with `forUpdate`, for commands that change counters); a
 * comment on a matter the actor may not read does not exist for them.
 */
export async function loadComment(db: Db, actor: Actor | null, commentId: number, forUpdate = false): Promise<LoadedComment> {
  const q = db
    .select({ c: comments, path: areas.path, state: matters.state, proposerId: matters.proposerId, communityId: matters.communityId, title: matters.title })
    .from(comments)
    .innerJoin(matters, eq(matters.id, comments.matterId))
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .where(eq(comments.id, commentId));
  const [row] = forUpdate ? await q.for("update", { of: comments }) : await q;
  if (!row) throw new DomainError("not_found", "comments.errors.notFound");
  const resource: LoadedComment["resource"] = {
    type: "comment",
    id: row.c.id,
    authorId: row.c.authorId,
    status: row.c.status,
    matter: { type: "matter", id: row.c.matterId, communityId: row.communityId, communityPath: row.path, proposerId: row.proposerId, state: row.state },
  };
  if (!can(actor, "matter.view", resource.matter)) throw new DomainError("not_found", "comments.errors.notFound");
  return { c: row.c, matterTitle: row.title, communityId: row.communityId, resource };
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  return actor;
}
