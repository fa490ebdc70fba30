import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { panelMembers, panelPlans } from "../../../../db/schema";

/** Whether this user holds an accepted seat on the matter's panel (room, panel votes). */
export async function isPanelMember(db: Db, matterId: number, userId: number): Promise<boolean> {
  const rows = await db
    .select({ id: panelMembers.id })
    .from(panelMembers)
    .where(and(eq(panelMembers.matterId, matterId), eq(panelMembers.userId, userId), eq(panelMembers.status, "accepted")))
    .limit(1);
  return rows.length > 0;
}

/** User ids of the accepted panel (fixed seats without an account are not included). */
export async function listPanelUserIds(db: Db, matterId: number): Promise<number[]> {
  const rows = await db
    .select({ userId: panelMembers.userId })
    .from(panelMembers)
    .where(and(eq(panelMembers.matterId, matterId), eq(panelMembers.status, "accepted"), isNotNull(panelMembers.userId)));
  return rows.map((r) => r.userId!);
}

/** Whether the panel has been drawn and every seat accepted: the matter may then be scheduled. */
export async function panelIsFull(db: Db, matterId: number) {
  const [plan] = await db.select({ size: panelPlans.panelSize, status: panelPlans.status }).from(panelPlans).where(eq(panelPlans.matterId, matterId));
  if (!plan || plan.status !== "drawn") return false;
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(panelMembers)
    .where(and(eq(panelMembers.matterId, matterId), eq(panelMembers.status, "accepted")));
  return n >= plan.size;
}
