import { and, asc, count, eq, inArray, like, lt, ne, notInArray, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { areas, categories, commitments, matterEvents, matters, outcomes, ratings, users } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { beijingDay } from "../../shared/beijing-time";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { csvCell, csvFile } from "../../shared/export";
import { STATES, type MatterState } from "../states";
import { maskName } from "../queries.server";

const CLOSED = ["done", "cancelled"] as const;
/** Overdue lists stop here; the counts are exact whatever the length. */
export const OVERDUE_LIST_LIMIT = 100;
const DASHBOARD_STATES = STATES.filter((s) => s !== "draft");

/** The area and the check that the actor may see its dashboard (its committee, or admins above it). */
async function requireDashboardArea(ctx: CommandContext, areaId: number) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, areaId));
  if (!area) throw new DomainError("not_found", "errors.areaNotFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "area.viewDashboard", { type: "area", id: area.id, path: area.path, kind: area.kind })) throw new DomainError("forbidden", "errors.forbidden");
  return area;
}

/** "Inside this area's subtree", as a prefix test on the materialised path (paths hold only digits and slashes). */
const inSubtree = (path: string) => like(areas.path, `${path}%`);

/** First entry into `decided` and into `completed` per matter, from the public timeline. */
function milestones(db: Db) {
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

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

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
});

/**
 * The committee dashboard of an area: for a community its own figures, for a town or county the
 * same rolled up over every community below it and a row per community. One query per figure
 * over the whole subtree (no query per community): states, durations, overdue counts, the overdue
 * list, ratings. Medians are computed by the database over all matters of the subtree at once.
 */
export async function getDashboard(ctx: CommandContext, areaId: number) {
  const area = await requireDashboardArea(ctx, areaId);
  const db = ctx.db;
  const today = beijingDay(ctx.clock.now());
  const ms = milestones(db);
  const [communities, states, durations, overdueCounts, overdueList, rated] = await Promise.all([
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

// ---------------------------------------------------------------- export

/** Mainland mobile numbers and 18-digit resident ID numbers, wherever someone typed them. */
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/g;

/** Free text leaves the system without phone or ID numbers, even when someone wrote one into a title. */
export function redact(text: string | null | undefined) {
  if (text === null || text === undefined) return null;
  return text.replace(ID_NUMBER, "[…]").replace(PHONE, "[…]");
}

/** A person's public name: masked when the community masks names, and always when it holds digits. */
function publicName(name: string | null, masked: boolean) {
  if (!name) return null;
  return masked || /\d{3,}/.test(name) ? maskName(name) : name;
}

export interface ExportCommitment {
  id: number;
  title: string;
  responsibleUnit: string;
  owner: string | null;
  dueDate: string;
  status: string;
  progress: number;
  cancelReason: string | null;
}

export interface ExportMatter {
  id: number;
  communityId: number;
  community: string;
  title: string;
  state: MatterState;
  category: string;
  proposer: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  completedAt: string | null;
  outcome: { decision: string; recordedAt: string; response: string | null; ratingAverage: number | null; ratingCount: number } | null;
  commitments: ExportCommitment[];
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * Matters (all but drafts), outcomes and commitments of an area's subtree, for the CSV and JSON
 * exports. Only public names leave: proposers and owners follow each community's name rule;
 * no login (phone or username), no address, no ID number. Three queries, whatever the size.
 */
export async function getExport(ctx: CommandContext, areaId: number) {
  const area = await requireDashboardArea(ctx, areaId);
  const db = ctx.db;
  const ms = milestones(db);
  const owner = sql`owner_user`;
  const [matterRows, ratingRows, commitmentRows] = await Promise.all([
    db
      .select({
        m: { id: matters.id, communityId: matters.communityId, title: matters.title, state: matters.state, submittedAt: matters.submittedAt },
        community: areas.name,
        masked: sql<boolean>`${areas.publicNames} = 'masked'`.mapWith(Boolean),
        category: categories.name,
        proposer: users.displayName,
        decidedAt: ms.decidedAt,
        completedAt: ms.completedAt,
        o: { decision: outcomes.decision, recordedAt: outcomes.recordedAt, response: outcomes.response },
      })
      .from(matters)
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .innerJoin(categories, eq(categories.id, matters.categoryId))
      .innerJoin(users, eq(users.id, matters.proposerId))
      .leftJoin(ms, eq(ms.matterId, matters.id))
      .leftJoin(outcomes, eq(outcomes.matterId, matters.id))
      .where(and(inSubtree(area.path), ne(matters.state, "draft")))
      .orderBy(asc(areas.path), asc(matters.id)),
    db
      .select({ matterId: ratings.matterId, avg: sql<number>`avg(${ratings.score})::float8`, n: count() })
      .from(ratings)
      .innerJoin(matters, eq(matters.id, ratings.matterId))
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .where(inSubtree(area.path))
      .groupBy(ratings.matterId),
    db
      .select({
        c: commitments,
        owner: sql<string | null>`(select display_name from ${users} ${owner} where ${owner}.id = ${commitments.ownerId})`,
      })
      .from(commitments)
      .innerJoin(matters, eq(matters.id, commitments.matterId))
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .where(and(inSubtree(area.path), ne(matters.state, "draft")))
      .orderBy(asc(commitments.matterId), asc(commitments.id)),
  ]);
  const ratingOf = new Map(ratingRows.map((r) => [r.matterId, { average: num(r.avg), count: Number(r.n) }]));
  const byMatter = new Map<number, ExportMatter>();
  const out: ExportMatter[] = matterRows.map((r) => {
    const rating = ratingOf.get(r.m.id);
    const m: ExportMatter = {
      id: r.m.id,
      communityId: r.m.communityId,
      community: r.community,
      title: redact(r.m.title)!,
      state: r.m.state,
      category: r.category,
      proposer: publicName(r.proposer, r.masked),
      submittedAt: iso(r.m.submittedAt),
      decidedAt: iso(r.decidedAt),
      completedAt: iso(r.completedAt),
      outcome: r.o
        ? { decision: redact(r.o.decision)!, recordedAt: iso(r.o.recordedAt)!, response: redact(r.o.response), ratingAverage: rating?.average ?? null, ratingCount: rating?.count ?? 0 }
        : null,
      commitments: [],
    };
    byMatter.set(m.id, m);
    return m;
  });
  const maskedOf = new Map(matterRows.map((r) => [r.m.id, r.masked]));
  for (const { c, owner: ownerName } of commitmentRows) {
    byMatter.get(c.matterId)?.commitments.push({
      id: c.id,
      title: redact(c.title)!,
      responsibleUnit: redact(c.responsibleUnit)!,
      owner: publicName(ownerName, maskedOf.get(c.matterId) ?? true),
      dueDate: c.dueDate,
      status: c.status,
      progress: c.progress,
      cancelReason: redact(c.cancelReason),
    });
  }
  return { area: { id: area.id, name: area.name, kind: area.kind }, generatedAt: ctx.clock.now().toISOString(), matters: out };
}

export const CSV_COLUMNS = [
  "community",
  "matter_id",
  "title",
  "state",
  "category",
  "proposer",
  "submitted_at",
  "decided_at",
  "completed_at",
  "decision",
  "rating_average",
  "rating_count",
  "response",
  "commitment_id",
  "commitment",
  "responsible_unit",
  "owner",
  "due_date",
  "commitment_status",
  "progress",
  "cancel_reason",
] as const;

/** One CSV cell, as every export writes it (re-exported for the tests). */
export { csvCell };

/** The export as CSV: one row per commitment (a matter without commitments has one row), with a BOM for Excel. */
export function toCsv(data: Awaited<ReturnType<typeof getExport>>) {
  const lines: Parameters<typeof csvFile>[0] = [[...CSV_COLUMNS]];
  for (const m of data.matters) {
    const head = [
      m.community,
      m.id,
      m.title,
      m.state,
      m.category,
      m.proposer,
      m.submittedAt,
      m.decidedAt,
      m.completedAt,
      m.outcome?.decision,
      m.outcome?.ratingAverage,
      m.outcome?.ratingCount,
      m.outcome?.response,
    ];
    const rows = m.commitments.length ? m.commitments : [null];
    for (const c of rows) {
      const tail = c ? [c.id, c.title, c.responsibleUnit, c.owner, c.dueDate, c.status, c.progress, c.cancelReason] : [null, null, null, null, null, null, null, null];
      lines.push([...head, ...tail]);
    }
  }
  return csvFile(lines);
}
