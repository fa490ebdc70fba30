import { and, asc, eq, gte, sql } from "drizzle-orm";
import { areas, serviceRecords, volunteers } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { beijingDay } from "../shared/beijing-time";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { csvFile } from "../shared/export";
import { hoursOf, starsFor, volunteerShare, VOLUNTEER_TARGET_SHARE } from "./rules";
import { getVolunteerRules } from "./volunteers.server";
import { translate, type Locale, type MessageKey } from "~/i18n";
import type { ServiceType } from "./schemas";

const YEAR = 365 * 86_400_000;

/** The last `n` months as "YYYY-MM", oldest first, ending with the month of `now` (Beijing). */
export function lastMonths(now: Date, n = 12) {
  const [y, m] = beijingDay(now).split("-").map(Number);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (n - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

async function loadArea(ctx: CommandContext, areaId: number) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, areaId));
  if (!area) throw new DomainError("not_found", "errors.areaNotFound");
  return area;
}

/**
 * The volunteer dashboard of an area: for each community below it (or itself), registered
 * volunteers against the 15% target, active volunteers (a confirmed record in the last year),
 * Party members reporting in, and confirmed hours per month; totals for the whole area.
 */
export async function getVolunteerDashboard(ctx: CommandContext, areaId: number) {
  const area = await loadArea(ctx, areaId);
  const now = ctx.clock.now();
  const since = beijingDay(new Date(now.getTime() - YEAR));
  const months = lastMonths(now);
  const communities = await ctx.db
    .select({
      id: areas.id,
      name: areas.name,
      path: areas.path,
      residents: areas.residents,
      registered: sql<number>`(select count(*)::int from ${volunteers} v where v.community_id = "areas"."id")`.mapWith(Number),
      partyMembers: sql<number>`(select count(*)::int from ${volunteers} v where v.community_id = "areas"."id" and v.party_member)`.mapWith(Number),
      active: sql<number>`(select count(distinct r.volunteer_id)::int from ${serviceRecords} r join ${volunteers} v on v.id = r.volunteer_id where v.community_id = "areas"."id" and r.status = 'confirmed' and r.service_date >= ${since})`.mapWith(Number),
    })
    .from(areas)
    .where(and(eq(areas.kind, "community"), sql`${areas.path} like ${area.path + "%"}`))
    .orderBy(asc(areas.path));
  const perMonth = await ctx.db
    .select({ month: sql<string>`to_char(${serviceRecords.serviceDate}, 'YYYY-MM')`, minutes: sql<number>`sum(${serviceRecords.minutes})::int`.mapWith(Number) })
    .from(serviceRecords)
    .innerJoin(volunteers, eq(volunteers.id, serviceRecords.volunteerId))
    .innerJoin(areas, eq(areas.id, volunteers.communityId))
    .where(and(eq(serviceRecords.status, "confirmed"), gte(serviceRecords.serviceDate, `${months[0]}-01`), sql`${areas.path} like ${area.path + "%"}`))
    .groupBy(sql`1`);
  const rows = communities.map((c) => ({ ...c, ...volunteerShare(c.registered, c.residents) }));
  const totals = rows.reduce((t, c) => ({ residents: t.residents + c.residents, registered: t.registered + c.registered, active: t.active + c.active, partyMembers: t.partyMembers + c.partyMembers }), {
    residents: 0,
    registered: 0,
    active: 0,
    partyMembers: 0,
  });
  return {
    area: { id: area.id, name: area.name, kind: area.kind, path: area.path },
    target: VOLUNTEER_TARGET_SHARE,
    communities: rows.map(({ path: _p, share: _s, ...c }) => c),
    totals: { ...totals, ...volunteerShare(totals.registered, totals.residents), meeting: rows.filter((r) => r.meetsTarget).length },
    hoursPerMonth: months.map((m) => ({ month: m, hours: hoursOf(perMonth.find((p) => p.month === m)?.minutes ?? 0) })),
    canExport: can(ctx.actor, "volunteer.export", { type: "area", id: area.id, path: area.path, kind: area.kind }),
  };
}

/** Volunteers of a community who chose to appear on its honour board, by confirmed hours. */
export async function getHonourBoard(ctx: CommandContext, areaId: number) {
  const area = await loadArea(ctx, areaId);
  if (area.kind !== "community") return [];
  const rules = await getVolunteerRules(ctx.db, area.path);
  const rows = await ctx.db
    .select({
      name: volunteers.realName,
      number: volunteers.volunteerNumber,
      minutes: sql<number>`coalesce((select sum(r.minutes)::int from ${serviceRecords} r where r.volunteer_id = "volunteers"."id" and r.status = 'confirmed'), 0)`.mapWith(Number),
    })
    .from(volunteers)
    .where(and(eq(volunteers.communityId, area.id), eq(volunteers.honourOptIn, true)))
    .orderBy(sql`3 desc`, asc(volunteers.id))
    .limit(50);
  return rows.map((r) => ({ name: r.name, number: r.number, hours: hoursOf(r.minutes), stars: starsFor(hoursOf(r.minutes), rules.starHours) }));
}

/** Staff export of an area's volunteers: no ID numbers (not even masked), no contact details. */
export async function exportVolunteersCsv(ctx: CommandContext, areaId: number, locale: Locale) {
  const area = await loadArea(ctx, areaId);
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "volunteer.export", { type: "area", id: area.id, path: area.path, kind: area.kind })) throw new DomainError("forbidden", "errors.forbidden");
  const rules = await getVolunteerRules(ctx.db, area.path);
  const rows = await ctx.db
    .select({
      number: volunteers.volunteerNumber,
      name: volunteers.realName,
      sex: volunteers.sex,
      community: areas.name,
      partyMember: volunteers.partyMember,
      serviceTypes: volunteers.serviceTypes,
      registeredAt: volunteers.createdAt,
      minutes: sql<number>`coalesce((select sum(r.minutes)::int from ${serviceRecords} r where r.volunteer_id = "volunteers"."id" and r.status = 'confirmed'), 0)`.mapWith(Number),
    })
    .from(volunteers)
    .innerJoin(areas, eq(areas.id, volunteers.communityId))
    .where(sql`${areas.path} like ${area.path + "%"}`)
    .orderBy(asc(areas.path), asc(volunteers.id));
  const t = (k: MessageKey) => translate(locale, k);
  const header = (["number", "name", "sex", "community", "partyMember", "serviceTypes", "registeredAt", "hours", "stars"] as const).map((k) => t(`volunteers.csv.${k}`));
  const lines: Parameters<typeof csvFile>[0] = [header];
  for (const r of rows) {
    const hours = hoursOf(r.minutes);
    lines.push([r.number, r.name, t(`volunteers.sex.${r.sex}`), r.community, r.partyMember ? t("volunteers.yes") : t("volunteers.no"), r.serviceTypes.map((s) => t(`volunteers.type.${s as ServiceType}`)).join(" "), beijingDay(r.registeredAt), hours, starsFor(hours, rules.starHours)]);
  }
  return { filename: `volunteers-${area.id}.csv`, csv: csvFile(lines) };
}
