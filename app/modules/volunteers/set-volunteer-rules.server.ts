import { eq } from "drizzle-orm";
import type { z } from "zod";
import { areas, volunteerSettings } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import type { VolunteerRulesSchema } from "./schemas";
import { requireActor } from "./volunteers.server";

/** The area under lock, or a 404; a county admin over it may set its rules. */
export async function requireRulesArea(ctx: CommandContext, areaId: number) {
  const actor = requireActor(ctx);
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, areaId));
  if (!area) throw new DomainError("not_found", "errors.areaNotFound");
  if (!can(actor, "volunteerRules.edit", { type: "area", id: area.id, path: area.path, kind: area.kind })) throw new DomainError("forbidden", "errors.forbidden");
  return { actor, area };
}

/**
 * A county admin sets an area's rounding step, star ladder and cap margin; a blank field is
 * inherited from the area above (and the defaults at the top). Old and new values go to the ledger.
 */
export async function setVolunteerRules(ctx: CommandContext, areaId: number, input: z.output<typeof VolunteerRulesSchema>) {
  const { actor, area } = await requireRulesArea(ctx, areaId);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(volunteerSettings).where(eq(volunteerSettings.areaId, area.id)).for("update");
    const values = { stepMinutes: input.stepMinutes, starHours: input.starHours, capMarginMinutes: input.capMarginMinutes, updatedBy: actor.id, updatedAt: now };
    await tx.insert(volunteerSettings).values({ areaId: area.id, ...values }).onConflictDoUpdate({ target: volunteerSettings.areaId, set: values });
    await appendLedger(tx, {
      stream: `area:${area.id}`,
      actorId: actor.id,
      action: "volunteerRules.set",
      entityType: "area",
      entityId: area.id,
      summary: {
        before: { stepMinutes: before?.stepMinutes ?? null, starHours: before?.starHours ?? null, capMarginMinutes: before?.capMarginMinutes ?? null },
        after: { stepMinutes: input.stepMinutes, starHours: input.starHours, capMarginMinutes: input.capMarginMinutes },
      },
      at: now,
    });
  });
}
