/**
 * 居务公开 (issue 19): what a community, a town or the county decided, for anyone, without signing
 * in — matters in public states, closed votes with their counts and the rule applied, outcomes and
 * commitments with their progress, and matters by state. The same data feeds the page, the CSV and
 * JSON downloads and the paginated read-only API. No personal data leaves: every name is masked,
 * phone and ID numbers typed into free text are redacted, no login, address or ballot voter.
 */
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { areas, matters, votes } from "../../../../db/schema";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { PUBLIC_STATES } from "../states";
import { listObjections, type PublicObjection } from "../oversight/objections.server";
import { getPublicFigures, inSubtree } from "./dashboard.server";
import { listConfirmedMinutes } from "../room/public.server";
import { buildExport, redact } from "./export.server";

export const OPEN_DATA_PAGE = 50;
/** The open data's schema version, in every JSON answer; bump it when a field changes meaning. */
export const OPEN_DATA_SCHEMA = "yishi.open-data/1";

async function publicArea(ctx: CommandContext, areaId: number) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, areaId));
  if (!area) throw new DomainError("not_found", "errors.areaNotFound");
  return area;
}

/**
 * One page of an area's open data: matters with ids above `after`, at most `limit`, in id order
 * (stable ids, a cursor that does not shift when new matters arrive), with their closed votes, and
 * the area's matters by state. `next` is the cursor of the following page, or null.
 */
export async function getOpenData(ctx: CommandContext, areaId: number, page: { after?: number; limit?: number } = {}) {
  const area = await publicArea(ctx, areaId);
  const limit = Math.min(Math.max(page.limit ?? OPEN_DATA_PAGE, 1), 500);
  const data = await buildExport(ctx, area, { publicOnly: true, page: { offset: page.after ?? 0, limit } });
  const ids = data.matters.map((m) => m.id);
  const [closed, byState, minutes, objected, figures] = await Promise.all([
    ids.length
      ? ctx.db
          .select({ id: votes.id, matterId: votes.matterId, question: votes.question, preset: votes.preset, quorumBase: votes.quorumBase, closedAt: votes.closedAt, result: votes.result, options: votes.options })
          .from(votes)
          .where(and(inArray(votes.matterId, ids), eq(votes.state, "closed")))
          .orderBy(asc(votes.id))
      : Promise.resolve([]),
    ctx.db
      .select({ state: matters.state, n: count() })
      .from(matters)
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .where(and(inSubtree(area.path), inArray(matters.state, PUBLIC_STATES)))
      .groupBy(matters.state),
    listConfirmedMinutes(ctx.db, ids),
    listObjections(ctx.db, ids, ctx.clock.now()),
    getPublicFigures(ctx.db, area, ctx.clock.now()),
  ]);
  const objectionsOf = new Map<number, PublicObjection[]>();
  for (const { matterId, ...o } of objected) objectionsOf.set(matterId, [...(objectionsOf.get(matterId) ?? []), o]);
  const minutesOf = new Map<number, OpenMinutes[]>();
  for (const m of minutes) minutesOf.set(m.matterId, [...(minutesOf.get(m.matterId) ?? []), { sessionId: m.sessionId, scheduledAt: m.scheduledAt, confirmedAt: m.confirmedAt, summary: m.summary, url: `/open/minutes/${m.sessionId}` }]);
  const votesOf = new Map<number, OpenVote[]>();
  for (const v of closed) {
    const r = v.result as { counts: Record<string, number>; turnout: number; electorateSize: number; quorumMet: boolean; passed: boolean; explanation: { key: string; params: Record<string, string | number> }[] } | null;
    const list = votesOf.get(v.matterId) ?? [];
    list.push({
      id: v.id,
      question: redact(v.question)!,
      preset: v.preset,
      options: v.options.map((o) => ({ id: o.id, label: redact(o.label)! })),
      quorumBase: v.quorumBase ? { count: v.quorumBase.count, kind: v.quorumBase.kind, source: v.quorumBase.source, asOf: v.quorumBase.asOf } : null,
      closedAt: v.closedAt?.toISOString() ?? null,
      counts: r?.counts ?? {},
      turnout: r?.turnout ?? 0,
      quorumOf: r?.electorateSize ?? 0,
      quorumMet: r?.quorumMet ?? false,
      passed: r?.passed ?? false,
      explanation: r?.explanation ?? [],
    });
    votesOf.set(v.matterId, list);
  }
  return {
    schema: OPEN_DATA_SCHEMA,
    area: data.area,
    generatedAt: data.generatedAt,
    mattersByState: Object.fromEntries(byState.map((s) => [s.state, Number(s.n)])),
    figures,
    matters: data.matters.map((m) => ({ ...m, votes: votesOf.get(m.id) ?? [], minutes: minutesOf.get(m.id) ?? [], objections: objectionsOf.get(m.id) ?? [] })),
    next: data.matters.length === limit ? data.matters[data.matters.length - 1].id : null,
  };
}

/** A matter's confirmed minutes (issue 19): unconfirmed minutes are never public. */
export interface OpenMinutes {
  sessionId: number;
  scheduledAt: string;
  confirmedAt: string;
  summary: string | null;
  url: string;
}

export interface OpenVote {
  id: number;
  question: string;
  preset: string;
  options: { id: string; label: string }[];
  quorumBase: { count: number; kind: string; source: string; asOf: string } | null;
  closedAt: string | null;
  counts: Record<string, number>;
  turnout: number;
  quorumOf: number;
  quorumMet: boolean;
  passed: boolean;
  explanation: { key: string; params: Record<string, string | number> }[];
}

/** Every page of an area's open data at once, for the downloads (an area's public matters are hundreds, not millions). */
export async function getAllOpenData(ctx: CommandContext, areaId: number) {
  const first = await getOpenData(ctx, areaId, { limit: 500 });
  let next = first.next;
  while (next !== null) {
    const more = await getOpenData(ctx, areaId, { after: next, limit: 500 });
    first.matters.push(...more.matters);
    next = more.next;
  }
  return { ...first, next: null };
}
