import { asc, inArray } from "drizzle-orm";
import { areas, volunteerSettings } from "../../../db/schema";
import { can } from "../accounts/permissions";
import type { CommandContext } from "../shared/context";
import { resolveCalendar } from "./rules";
import { requireRulesArea } from "./set-volunteer-rules.server";
import { getVolunteerRules, pathIds, requireActor } from "./volunteers.server";

/** Areas whose volunteer rules the actor may set (for the admin page's list). */
export async function listRulesAreas(ctx: CommandContext) {
  const actor = requireActor(ctx);
  const all = await ctx.db.select({ id: areas.id, name: areas.name, path: areas.path, kind: areas.kind }).from(areas).orderBy(asc(areas.path));
  return all.filter((a) => can(actor, "volunteerRules.edit", { type: "area", id: a.id, path: a.path, kind: a.kind }));
}

/**
 * One area's own settings beside the rules in force there, and for each calendar year the area
 * it comes from (null: the national schedule).
 */
export async function getRulesPage(ctx: CommandContext, areaId: number) {
  const { area } = await requireRulesArea(ctx, areaId);
  const ids = pathIds(area.path);
  const [rows, names, effective] = await Promise.all([
    ctx.db.select().from(volunteerSettings).where(inArray(volunteerSettings.areaId, ids)),
    ctx.db.select({ id: areas.id, name: areas.name }).from(areas).where(inArray(areas.id, ids)),
    getVolunteerRules(ctx.db, area.path),
  ]);
  const deepestFirst = ids
    .slice()
    .reverse()
    .map((id) => rows.find((r) => r.areaId === id))
    .filter((r): r is NonNullable<typeof r> => !!r);
  const { years } = resolveCalendar(deepestFirst);
  const own = rows.find((r) => r.areaId === area.id) ?? null;
  return {
    area: { id: area.id, name: area.name, kind: area.kind },
    own: own && { stepMinutes: own.stepMinutes, capMarginMinutes: own.capMarginMinutes, starHours: own.starHours, holidays: own.holidays ?? [], workdays: own.extraWorkdays ?? [] },
    effective,
    years: Object.entries(years)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([year, i]) => ({
        year: Number(year),
        from: i < 0 ? null : (names.find((n) => n.id === deepestFirst[i].areaId)?.name ?? null),
        holidays: effective.holidays!.filter((d) => d.startsWith(year)),
        workdays: effective.extraWorkdays!.filter((d) => d.startsWith(year)),
      })),
  };
}
