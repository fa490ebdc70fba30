/**
 * The committee records a verified resident's year of birth (from the household register or ID seen
 * in person), so that 18+ can be checked for 居民会议 / 村民会议. Ledger: `membership.birth_year`
 * with before and after. Permission: `area.manageRegister`.
 */
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { memberships } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { beijingDay } from "../shared/beijing-time";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { requireRegisterKeeper } from "./roster.server";
import type { RecordBirthYearSchema } from "./schemas";

export async function recordBirthYear(ctx: CommandContext, communityId: number, input: z.output<typeof RecordBirthYearSchema>) {
  const { area, actor } = await requireRegisterKeeper(ctx, communityId);
  const now = ctx.clock.now();
  if (input.birthYear > Number(beijingDay(now).slice(0, 4))) throw new DomainError("validation", "register.errors.birthYear", {}, "birthYear");
  return inTransaction(ctx, async (tx) => {
    const [m] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.id, input.membershipId), eq(memberships.communityId, area.id)))
      .for("update");
    if (!m) throw new DomainError("not_found", "errors.notFound");
    await tx.update(memberships).set({ birthYear: input.birthYear }).where(eq(memberships.id, m.id));
    await appendLedger(tx, {
      stream: `area:${area.id}`,
      actorId: actor.id,
      action: "membership.birth_year",
      entityType: "membership",
      entityId: m.id,
      summary: { userId: m.userId, before: { birthYear: m.birthYear }, after: { birthYear: input.birthYear } },
      at: now,
    });
    return { membershipId: m.id };
  });
}
