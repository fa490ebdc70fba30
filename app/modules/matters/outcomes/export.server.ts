import { and, asc, count, eq, gt, inArray, ne, sql } from "drizzle-orm";
import { areas, categories, commitments, matters, outcomes, ratings, users } from "../../../../db/schema";
import type { CommandContext } from "../../shared/context";
import { csvCell, csvFile } from "../../shared/export";
import { PUBLIC_STATES, type MatterState } from "../states";
import { maskName } from "../queries.server";
import { inSubtree, milestones, num, requireDashboardArea } from "./dashboard.server";

/**
 * The open-data export of an area's subtree (CSV and JSON): matters, outcomes and commitments,
 * with only public names and no phone or ID number. Seen by whoever may see the dashboard.
 */

/** Mainland mobile numbers and 18-digit resident ID numbers, wherever someone typed them. */
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/g;

/** Free text leaves the system without phone or ID numbers, even when someone wrote one into a title. */
export function redact(text: string | null | undefined) {
  if (text === null || text === undefined) return null;
  return text.replace(ID_NUMBER, "[…]").replace(PHONE, "[…]");
}

/** A person's public name: masked when the community masks names, and always when it holds digits. */
export function publicName(name: string | null, masked: boolean) {
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
  return buildExport(ctx, area, { publicOnly: false });
}

/**
 * The rows of an export. `publicOnly` (the open data, issue 19): only matters in public states
 * (居务公开), every person's name masked whatever the community's rule, and a page of matters.
 */
export async function buildExport(
  ctx: CommandContext,
  area: { id: number; name: string; kind: "county" | "town" | "community"; path: string },
  opts: { publicOnly: boolean; page?: { offset: number; limit: number } },
) {
  const db = ctx.db;
  const scope = opts.publicOnly ? inArray(matters.state, PUBLIC_STATES) : ne(matters.state, "draft");
  const pageOf = opts.page;
  const ms = milestones(db);
  const owner = sql`owner_user`;
  const [matterRows, ratingRows, commitmentRows] = await Promise.all([
    db
      .select({
        m: { id: matters.id, communityId: matters.communityId, title: matters.title, state: matters.state, submittedAt: matters.submittedAt },
        community: areas.name,
        masked: sql<boolean>`coalesce(${matters.fixedPublicNames}, ${areas.publicNames}) = 'masked'`.mapWith(Boolean),
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
      .where(and(inSubtree(area.path), scope, pageOf ? gt(matters.id, pageOf.offset) : undefined))
      .orderBy(...(pageOf ? [asc(matters.id)] : [asc(areas.path), asc(matters.id)]))
      .limit(pageOf ? pageOf.limit : 1_000_000),
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
      .where(and(inSubtree(area.path), scope, pageOf ? gt(matters.id, pageOf.offset) : undefined))
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
      proposer: publicName(r.proposer, r.masked || opts.publicOnly),
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
    // (a page's commitment query may reach past the page; those rows find no matter here)
    byMatter.get(c.matterId)?.commitments.push({
      id: c.id,
      title: redact(c.title)!,
      responsibleUnit: redact(c.responsibleUnit)!,
      owner: publicName(ownerName, opts.publicOnly || (maskedOf.get(c.matterId) ?? true)),
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
