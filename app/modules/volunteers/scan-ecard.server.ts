import { and, eq, or } from "drizzle-orm";
import type { z } from "zod";
import { activitySignups, attendance, volunteers } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { CHECKIN_OPENS_BEFORE, CHECKOUT_CLOSES_AFTER, getActivityFacts, proposeRecord } from "./activities.server";
import { readEcard } from "./ecard.server";
import { volunteerKeys } from "./keys.server";
import type { ScanEcardSchema } from "./schemas";
import { requireActor, teamResource } from "./volunteers.server";

/**
 * An organizer signs a volunteer in or out by scanning their e-card (`ecard`), or, as the
 * fallback, by typing their volunteer number or phone (`manual`). A second scan in the same
 * direction keeps the first time and says so; check-out proposes the record. Someone not signed
 * up is recorded as a walk-in.
 */
export async function scanEcard(ctx: CommandContext, activityId: number, input: z.output<typeof ScanEcardSchema>) {
  const actor = requireActor(ctx);
  const now = ctx.clock.now();
  const { activity: a, team } = await getActivityFacts(ctx.db, activityId);
  if (!can(actor, "team.organize", teamResource(team))) throw new DomainError("forbidden", "errors.forbidden");
  if (a.status !== "published") throw new DomainError("invalid_state", "volunteers.errors.closed");
  if (now.getTime() < a.startsAt.getTime() - CHECKIN_OPENS_BEFORE) throw new DomainError("invalid_state", "volunteers.errors.tooEarly");
  if (now.getTime() > a.endsAt.getTime() + CHECKOUT_CLOSES_AFTER) throw new DomainError("invalid_state", "volunteers.errors.tooLate");

  let volunteerId: number;
  let method: "ecard" | "manual";
  if (input.code.startsWith("E1.")) {
    const card = await readEcard(volunteerKeys(ctx.settings), ctx.db, input.code, now);
    if (!card.ok) throw new DomainError("validation", `volunteers.errors.ecard_${card.problem}`, {}, "code");
    volunteerId = card.volunteerId;
    method = "ecard";
  } else {
    const typed = input.code.replace(/[\s-]/g, "").toUpperCase();
    const hits = await ctx.db.select({ id: volunteers.id }).from(volunteers).where(or(eq(volunteers.volunteerNumber, typed), eq(volunteers.contact, typed)));
    if (hits.length !== 1) throw new DomainError("validation", hits.length ? "volunteers.errors.walkInAmbiguous" : "volunteers.errors.walkInUnknown", { who: typed.slice(0, 30) }, "code");
    volunteerId = hits[0].id;
    method = "manual";
  }
  const [v] = await ctx.db.select({ id: volunteers.id, userId: volunteers.userId, name: volunteers.realName, number: volunteers.volunteerNumber }).from(volunteers).where(eq(volunteers.id, volunteerId));
  if (!v) throw new DomainError("validation", "volunteers.errors.ecard_signature", {}, "code");
  if (v.userId === actor.id) throw new DomainError("forbidden", "volunteers.errors.ownHours");

  return inTransaction(ctx, async (tx) => {
    const [att] = await tx.select().from(attendance).where(and(eq(attendance.activityId, a.id), eq(attendance.volunteerId, v.id))).for("update");
    const who = { name: v.name, number: v.number };
    if (input.direction === "in") {
      if (att) return { ...who, direction: "in" as const, at: att.checkInAt, repeated: true, minutes: null };
      const [signup] = await tx.select({ status: activitySignups.status }).from(activitySignups).where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.volunteerId, v.id)));
      await tx.insert(attendance).values({ activityId: a.id, volunteerId: v.id, checkInAt: now, checkInMethod: method, markedBy: actor.id, walkIn: signup?.status !== "signed_up" });
      await appendLedger(tx, { stream: `area:${team.areaId}`, actorId: actor.id, action: "attendance.scanned", entityType: "volunteer_activity", entityId: a.id, summary: { after: { volunteerId: v.id, direction: "in", method } }, at: now });
      return { ...who, direction: "in" as const, at: now, repeated: false, minutes: null };
    }
    if (!att) throw new DomainError("invalid_state", "volunteers.errors.scanNoCheckIn", { name: v.name });
    if (att.checkOutAt) return { ...who, direction: "out" as const, at: att.checkOutAt, repeated: true, minutes: null };
    await tx.update(attendance).set({ checkOutAt: now, checkOutMethod: method, markedBy: actor.id }).where(eq(attendance.id, att.id));
    const minutes = await proposeRecord(tx, a, team, v.id, { checkInAt: att.checkInAt, checkOutAt: now }, now, method);
    await appendLedger(tx, { stream: `area:${team.areaId}`, actorId: actor.id, action: "attendance.scanned", entityType: "volunteer_activity", entityId: a.id, summary: { after: { volunteerId: v.id, direction: "out", method } }, at: now });
    return { ...who, direction: "out" as const, at: now, repeated: false, minutes };
  });
}
