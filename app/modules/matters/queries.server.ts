/** What people read about matters: one matter's page and a community's list. Each checks who may see it. */
import { aliasedTable, and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { areas, categories, cosigns, follows, matterEvents, matterMaterials, matters, users } from "../../../db/schema";
import { can, type Resource } from "../accounts/permissions";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { availableCommands } from "./lifecycle";
import type { MatterListQuerySchema } from "./schemas";
import { PUBLIC_STATES, STATES, type MatterState } from "./states";
import { facts, matterResource } from "./transition.server";

export const PAGE_SIZE = 20;

/** "王阿姨" → "王**": how residents' names appear in public when the community masks them. */
export function maskName(name: string) {
  const chars = [...name.trim()];
  return chars.length <= 1 ? "*" : `${chars[0]}${"*".repeat(Math.min(2, chars.length - 1))}`;
}

/** States before a panel is planned: the matter page shows no link to its selection yet. */
const BEFORE_SELECTION: MatterState[] = ["draft", "collecting", "under_review", "accepted", "rejected", "merged", "withdrawn"];

/**
 * The matter page's link to the panel selection: "open" while the panel is being chosen, "done"
 * after, null when there is none (a matter not consulted by a panel, or not that far, or a reader
 * who may not see the selection page, which answers 404 by the same rule).
 */
function selectionLinkOf(ctx: CommandContext, m: { form: string | null; state: MatterState }, resource: Resource): "open" | "done" | null {
  if (m.form !== "panel" || BEFORE_SELECTION.includes(m.state) || !can(ctx.actor, "selection.view", resource)) return null;
  return m.state === "selecting" ? "open" : "done";
}

/** The matter page: matter, timeline and materials in three queries, whatever the number of co-signers. */
export async function getMatterPage(ctx: CommandContext, matterId: number) {
  const actorId = ctx.actor?.id ?? -1;
  const [row] = await ctx.db
    .select({
      m: matters,
      community: {
        id: areas.id,
        name: areas.name,
        path: areas.path,
        publicNames: sql<"real" | "masked">`coalesce(${matters.fixedPublicNames}, ${areas.publicNames})`,
        noticeDays: sql<number>`coalesce(${matters.fixedNoticeDays}, ${areas.noticeDays})`.mapWith(Number),
      },
      category: { name: categories.name, nameEn: categories.nameEn },
      proposerName: users.displayName,
      cosigned: sql<boolean>`exists(select 1 from ${cosigns} c where c.matter_id = ${matters.id} and c.user_id = ${actorId})`.mapWith(Boolean),
      following: sql<boolean>`exists(select 1 from ${follows} f where f.matter_id = ${matters.id} and f.user_id = ${actorId})`.mapWith(Boolean),
    })
    .from(matters)
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .innerJoin(categories, eq(categories.id, matters.categoryId))
    .innerJoin(users, eq(users.id, matters.proposerId))
    .where(eq(matters.id, matterId));
  if (!row || !can(ctx.actor, "matter.view", matterResource(row.m, row.community.path))) throw new DomainError("not_found", "errors.notFound");
  const actorUser = aliasedTable(users, "actor_user");
  const [timeline, materials] = await Promise.all([
    ctx.db
      .select({ e: matterEvents, actorName: actorUser.displayName })
      .from(matterEvents)
      .leftJoin(actorUser, eq(actorUser.id, matterEvents.actorId))
      .where(eq(matterEvents.matterId, matterId))
      .orderBy(asc(matterEvents.id))
      .limit(1000),
    ctx.db.select().from(matterMaterials).where(eq(matterMaterials.matterId, matterId)).orderBy(asc(matterMaterials.id)),
  ]);
  const masked = row.community.publicNames === "masked";
  const proposerShown = masked ? maskName(row.proposerName) : row.proposerName;
  const resource = matterResource(row.m, row.community.path);
  const f = { ...facts({ m: row.m, path: row.community.path, noticeDays: row.community.noticeDays, publicNames: row.community.publicNames, households: 0, cosignThreshold: 0, cosignShareBp: null }) };
  return {
    matter: row.m,
    community: { id: row.community.id, name: row.community.name, noticeDays: row.community.noticeDays },
    /** the rules that bind this matter and since when (issue 19): null until they are fixed */
    rules: {
      threshold: row.m.threshold,
      thresholdFixedAt: row.m.submittedAt,
      noticeDays: row.m.fixedNoticeDays,
      noticeFixedAt: row.m.materialsPublishedAt,
      publicNames: row.m.fixedPublicNames,
      namesFixedAt: row.m.fixedPublicNames ? row.m.submittedAt : null,
    },
    category: row.category,
    proposer: proposerShown,
    isProposer: ctx.actor?.id === row.m.proposerId,
    isCommittee: can(ctx.actor, "matter.manage", resource),
    cosigned: row.cosigned,
    following: row.following,
    canCosign: can(ctx.actor, "matter.cosign", resource),
    canFollow: can(ctx.actor, "matter.follow", resource),
    canEdit: can(ctx.actor, "matter.edit", resource),
    canPublishMaterials: can(ctx.actor, "matter.publishMaterials", resource),
    commands: ctx.actor ? availableCommands(f, ctx.actor, ctx.clock.now()) : [],
    selectionLink: selectionLinkOf(ctx, row.m, resource),
    timeline: timeline.map(({ e, actorName }) => ({
      id: e.id,
      kind: e.kind,
      toState: e.toState,
      reason: e.reason,
      params: e.params,
      at: e.createdAt,
      // the proposer's name follows the community's rule; staff act under their own names
      actor: e.actorId === null ? null : e.actorId === row.m.proposerId ? proposerShown : (actorName ?? null),
    })),
    materials,
  };
}

/**
 * A community's matters, newest first, 20 a page, filtered by state, category and keyword.
 * Visitors see the public record (accepted and later); residents and staff also see matters
 * still collecting or under review. Drafts are never listed here. One query.
 */
export async function listMatters(ctx: CommandContext, communityId: number, query: z.output<typeof MatterListQuerySchema>) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, communityId));
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.areaNotFound");
  const insider = can(ctx.actor, "matter.viewOpen", { type: "area", id: area.id, path: area.path, kind: area.kind });
  const visible: MatterState[] = insider ? STATES.filter((s) => s !== "draft") : PUBLIC_STATES;
  const states = query.state && (visible as string[]).includes(query.state) ? [query.state as MatterState] : visible;
  const conds: SQL[] = [eq(matters.communityId, communityId), inArray(matters.state, states)];
  if (query.category) conds.push(eq(matters.categoryId, query.category));
  if (query.q?.trim()) {
    const like = `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(matters.title, like), ilike(matters.description, like))!);
  }
  const rows = await ctx.db
    .select({
      id: matters.id,
      title: matters.title,
      state: matters.state,
      cosignCount: matters.cosignCount,
      threshold: matters.threshold,
      updatedAt: matters.updatedAt,
      category: categories.name,
      categoryEn: categories.nameEn,
    })
    .from(matters)
    .innerJoin(categories, eq(categories.id, matters.categoryId))
    .where(and(...conds))
    .orderBy(desc(matters.id))
    .limit(PAGE_SIZE + 1)
    .offset((query.page - 1) * PAGE_SIZE);
  return {
    area,
    items: rows.slice(0, PAGE_SIZE),
    hasNext: rows.length > PAGE_SIZE,
    page: query.page,
    states: visible,
    canPropose: can(ctx.actor, "matter.propose", { type: "area", id: area.id, path: area.path, kind: area.kind }),
  };
}

/** The actor's own drafts in a community. */
export async function listMyDrafts(ctx: CommandContext, communityId: number) {
  if (!ctx.actor) return [];
  return ctx.db
    .select({ id: matters.id, title: matters.title })
    .from(matters)
    .where(and(eq(matters.communityId, communityId), eq(matters.proposerId, ctx.actor.id), eq(matters.state, "draft")))
    .orderBy(desc(matters.id))
    .limit(50);
}
