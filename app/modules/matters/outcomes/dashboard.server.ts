import { and, asc, count, eq, inArray, like, lt, ne, notInArray, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { areas, commitments, matterEvents, matters, objections, ratings } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { beijingDay } from "../../shared/beijing-time";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { STATES, type MatterState } from "../states";

const CLOSED = ["done", "cancelled"] as const;
/** Overdue lists stop here; the counts are exact whatever the length. */
export const OVERDUE_LIST_LIMIT = 100;
const DASHBOARD_STATES = STATES.filter((s) => s !== "draft");

/** The area and the check that the actor may see its dashboard (its committee, or admins above it). */
export async function requireDashboardArea(ctx: CommandContext, areaId: number) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, areaId));
  if (!area) throw new DomainError("not_found", "errors.areaNotFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "area.viewDashboard", { type: "area", id: area.id, path: area.path, kind: area.kind })) throw new DomainError("forbidden", "errors.forbidden");
  return area;
}

/** "Inside this area's subtree", as a prefix test on the materialised path (paths hold only digits and slashes). */
export const inSubtree = (path: string) => like(areas.path, `${path}%`);

/** First entry into `decided` and into `completed` per matter, from the public timeline. */
export function milestones(db: Db) {
  return db
    .select({
      matterId: matterEvents.matterId,
      decidedAt: sql<Date | null>`min(${matterEvents.createdAt}) filter (where ${matterEvents.toState} = 'decided')`.as("decided_at"),
      completedAt: sql<Date | null>`min(${matterEvents.createdAt}) filter (where ${matterEvents.toState} = 'completed')`.as("completed_at"),
    })
    .from(matterEvents)
    .where(inArray(matterEvents.toState, ["decided", "completed"]))
    .groupBy(matterEvents.matterId)
    .as("milestones");
}

/** A figure to one decimal, or null. */
export const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

export interface DashboardFigures {
  byState: Partial<Record<MatterState, number>>;
  matters: number;
  medianDaysToDecision: number | null;
  medianDaysToCompletion: number | null;
  decidedCount: number;
  completedCount: number;
  overdue: number;
  ratingAverage: number | null;
  ratingCount: number;
  ratedMatters: number;
  /** objections of the supervision committee awaiting an answer, and those of them past their day (issue 19) */
  objectionsOpen: number;
  objectionsOverdue: number;
}

const empty = (): DashboardFigures => ({
  byState: {},
  matters: 0,
  medianDaysToDecision: null,
  medianDaysToCompletion: null,
  decidedCount: 0,
  completedCount: 0,
  overdue: 0,
  ratingAverage: null,
  ratingCount: 0,
  ratedMatters: 0,
  objectionsOpen: 0,
  objectionsOverdue: 0,
});

/**
 * The committee dashboard of an area: for a community its own figures, for a town or county the
 * same rolled up over every community below it and a row per community. One query per figure
 * over the whole subtree (no query per community): states, durations, overdue counts, the overdue
 * list, ratings. Medians are computed by the database over all matters of the subtree at once.
 */
export async function getDashboard(ctx: CommandContext, areaId: number) {
  return dashboardOf(ctx.db, await requireDashboardArea(ctx, areaId), ctx.clock.now());
}

/**
 * The dashboard's figures for anyone (居务公开, issue 19): durations, decided and completed counts,
 * overdue commitments, ratings and unanswered objections, in total and per community. Counts of
 * matters by state come from the open data (public states only); no list of overdue items.
 */
export async function getPublicFigures(db: Db, area: typeof areas.$inferSelect, now: Date) {
  const d = await dashboardOf(db, area, now);
  const strip = ({ byState: _s, matters: _m, ...f }: DashboardFigures) => f;
  return { today: d.today, total: strip(d.total), communities: d.communities.map((c) => ({ id: c.id, name: c.name, ...strip(c) })) };
}

async function dashboardOf(db: Db, area: typeof areas.$inferSelect, now: Date) {
  const today = beijingDay(now);
  const ms = milestones(db);
  const [communities, states, durations, overdueCounts, overdueList, rated, objected] = await Promise.all([
    db
      .select({ id: areas.id, name: areas.name, path: areas.path })
      .from(areas)
      .where(and(inSubtree(area.path), eq(areas.kind, "community")))
      .orderBy(asc(areas.path)),
    db
      .select({ communityId: matters.communityId, state: matters.state, n: count() })
      .from(matters)
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .where(and(inSubtree(area.path), ne(matters.state, "draft")))
      .groupBy(matters.communityId, matters.state),
    // grouping sets: one row per community and one (community null) for the whole subtree
    db
      .select({
        communityId: matters.communityId,
        toDecision: sql<number | null>`(percentile_cont(0.5) within group (order by extract(epoch from (${ms.decidedAt} - ${matters.submittedAt})) / 86400))::float8`,
        toCompletion: sql<number | null>`(percentile_cont(0.5) within group (order by extract(epoch from (${ms.completedAt} - ${ms.decidedAt})) / 86400))::float8`,
        decided: sql<number>`(count(${ms.decidedAt}) filter (where ${matters.submittedAt} is not null))::int`,
        completed: sql<number>`(count(${ms.completedAt}) filter (where ${ms.decidedAt} is not null))::int`,
      })
      .from(matters)
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .innerJoin(ms, eq(ms.matterId, matters.id))
      .where(inSubtree(area.path))
      .groupBy(sql`grouping sets ((${matters.communityId}), ())`),
    db
      .select({ communityId: matters.communityId, n: count() })
      .from(commitments)
      .innerJoin(matters, eq(matters.id, commitments.matterId))
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .where(and(inSubtree(area.path), eq(matters.state, "implementing"), notInArray(commitments.status, [...CLOSED]), lt(commitments.dueDate, today)))
      .groupBy(matters.communityId),
    db
      .select({
        id: commitments.id,
        title: commitments.title,
        responsibleUnit: commitments.responsibleUnit,
        dueDate: commitments.dueDate,
        status: commitments.status,
        progress: commitments.progress,
        matterId: matters.id,
        matterTitle: matters.title,
        communityId: areas.id,
        communityName: areas.name,
      })
      .from(commitments)
      .innerJoin(matters, eq(matters.id, commitments.matterId))
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .where(and(inSubtree(area.path), eq(matters.state, "implementing"), notInArray(commitments.status, [...CLOSED]), lt(commitments.dueDate, today)))
      .orderBy(asc(commitments.dueDate), asc(commitments.id))
      .limit(OVERDUE_LIST_LIMIT),
    db
      .select({
        communityId: matters.communityId,
        sum: sql<number>`sum(${ratings.score})::int`,
        n: count(),
        matters: sql<number>`count(distinct ${ratings.matterId})::int`,
      })
      .from(ratings)
      .innerJoin(matters, eq(matters.id, ratings.matterId))
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .where(inSubtree(area.path))
      .groupBy(matters.communityId),
    db
      .select({
        communityId: objections.communityId,
        open: sql<number>`(count(*) filter (where ${objections.answeredAt} is null))::int`,
        overdue: sql<number>`(count(*) filter (where ${objections.answeredAt} is null and ${objections.answerDue} < ${now.toISOString()}::timestamptz))::int`,
      })
      .from(objections)
      .innerJoin(areas, eq(areas.id, objections.communityId))
      .where(inSubtree(area.path))
      .groupBy(objections.communityId),
  ]);

  const rows = new Map<number, DashboardFigures>(communities.map((c) => [c.id, empty()]));
  const total = empty();
  const at = (id: number | null) => (id === null ? total : (rows.get(id) ?? empty()));
  for (const s of states) {
    const f = at(s.communityId);
    const n = Number(s.n);
    f.byState[s.state] = n;
    f.matters += n;
    total.byState[s.state] = (total.byState[s.state] ?? 0) + n;
    total.matters += n;
  }
  for (const d of durations) {
    const f = at(d.communityId);
    f.medianDaysToDecision = num(d.toDecision);
    f.medianDaysToCompletion = num(d.toCompletion);
    f.decidedCount = Number(d.decided);
    f.completedCount = Number(d.completed);
  }
  for (const o of overdueCounts) {
    at(o.communityId).overdue = Number(o.n);
    total.overdue += Number(o.n);
  }
  let sum = 0;
  for (const r of rated) {
    const f = at(r.communityId);
    f.ratingCount = Number(r.n);
    f.ratedMatters = Number(r.matters);
    f.ratingAverage = num(Number(r.sum) / Number(r.n));
    sum += Number(r.sum);
    total.ratingCount += Number(r.n);
    total.ratedMatters += Number(r.matters);
  }
  total.ratingAverage = total.ratingCount ? num(sum / total.ratingCount) : null;
  for (const o of objected) {
    const f = at(o.communityId);
    f.objectionsOpen = Number(o.open);
    f.objectionsOverdue = Number(o.overdue);
    total.objectionsOpen += Number(o.open);
    total.objectionsOverdue += Number(o.overdue);
  }

  return {
    area: { id: area.id, name: area.name, kind: area.kind },
    today,
    states: DASHBOARD_STATES,
    total,
    communities: communities.map((c) => ({ id: c.id, name: c.name, ...rows.get(c.id)! })),
    overdue: overdueList,
    overdueTruncated: total.overdue > overdueList.length,
  };
}
