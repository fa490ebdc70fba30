import { eq } from "drizzle-orm";
import type { z } from "zod";
import { volunteerSettings } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import type { CalendarYearSchema } from "./schemas";
import { requireRulesArea } from "./set-volunteer-rules.server";

/**
 * A county admin states one year of an area's working-day calendar (days off, make-up workdays):
 * that year replaces whatever the area had for it; other years stay. Both lists empty → the
 * area inherits that year again from above (or the national schedule).
 */
export async function setCalendarYear(ctx: CommandContext, areaId: number, input: z.output<typeof CalendarYearSchema>) {
  const { actor, area } = await requireRulesArea(ctx, areaId);
  const now = ctx.clock.now();
  const y = String(input.year);
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(volunteerSettings).where(eq(volunteerSettings.areaId, area.id)).for("update");
    const keep = (list: string[] | null | undefined) => (list ?? []).filter((d) => !d.startsWith(y));
    const holidays = [...keep(before?.holidays), ...input.holidays].sort();
    const extraWorkdays = [...keep(before?.extraWorkdays), ...input.workdays].sort();
    const values = { holidays, extraWorkdays, updatedBy: actor.id, updatedAt: now };
    await tx.insert(volunteerSettings).values({ areaId: area.id, ...values }).onConflictDoUpdate({ target: volunteerSettings.areaId, set: values });
    await appendLedger(tx, {
      stream: `area:${area.id}`,
      actorId: actor.id,
      action: "calendar.yearSet",
      entityType: "area",
      entityId: area.id,
      summary: {
        before: { holidays: (before?.holidays ?? []).filter((d) => d.startsWith(y)), workdays: (before?.extraWorkdays ?? []).filter((d) => d.startsWith(y)) },
        after: { year: input.year, holidays: input.holidays, workdays: input.workdays },
      },
      at: now,
    });
    return { year: input.year, holidays: input.holidays.length, workdays: input.workdays.length };
  });
}
