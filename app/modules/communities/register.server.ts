/**
 * The community register (issue 19): registered residents, adults and households with the day and
 * source of the count (`recordRegister`), and the register page with the roster and the residents'
 * years of birth (`getRegisterPage`). Permission: `area.manageRegister`.
 */
import { and, asc, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import { areas, communityRegister, memberships, users } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { listRepresentatives, requireRegisterKeeper } from "./roster.server";
import type { RecordRegisterSchema } from "./schemas";

/**
 * Records a new count (never edits an old one: quorums already counted stay explained). The
 * community's headline numbers follow the latest count. Ledger: `register.recorded`.
 */
export async function recordRegister(ctx: CommandContext, communityId: number, input: z.output<typeof RecordRegisterSchema>) {
  const { area, actor } = await requireRegisterKeeper(ctx, communityId);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(communityRegister)
      .values({ communityId: area.id, residents: input.residents, adults: input.adults, households: input.households, asOf: input.asOf, source: input.source, note: input.note ?? null, recordedBy: actor.id, createdAt: now })
      .returning();
    const [latest] = await tx
      .select()
      .from(communityRegister)
      .where(eq(communityRegister.communityId, area.id))
      .orderBy(desc(communityRegister.asOf), desc(communityRegister.id))
      .limit(1);
    await tx.update(areas).set({ residents: latest.residents, households: latest.households }).where(eq(areas.id, area.id));
    await appendLedger(tx, {
      stream: `area:${area.id}`,
      actorId: actor.id,
      action: "register.recorded",
      entityType: "community_register",
      entityId: row.id,
      summary: { before: { residents: area.residents, households: area.households }, after: { residents: row.residents, adults: row.adults, households: row.households, asOf: row.asOf, source: row.source } },
      at: now,
    });
    return { entryId: row.id };
  });
}

export async function getRegisterPage(ctx: CommandContext, communityId: number) {
  const { area } = await requireRegisterKeeper(ctx, communityId);
  const [roster, residents, entries] = await Promise.all([
    listRepresentatives(ctx, communityId),
    ctx.db
      .select({ id: memberships.id, userId: memberships.userId, displayName: users.displayName, birthYear: memberships.birthYear })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.communityId, communityId), eq(memberships.status, "verified")))
      .orderBy(asc(memberships.id))
      .limit(1000),
    ctx.db.select().from(communityRegister).where(eq(communityRegister.communityId, communityId)).orderBy(desc(communityRegister.asOf), desc(communityRegister.id)).limit(50),
  ]);
  return {
    area: { id: area.id, name: area.name },
    roster,
    residents,
    entries: entries.map((e) => ({ id: e.id, residents: e.residents, adults: e.adults, households: e.households, asOf: e.asOf, source: e.source, note: e.note })),
  };
}
