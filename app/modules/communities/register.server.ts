/**
 * The community's register page: the representatives roster and the verified residents with their
 * years of birth. Permission: `area.manageRegister`.
 */
import { and, asc, eq } from "drizzle-orm";
import { memberships, users } from "../../../db/schema";
import type { CommandContext } from "../shared/context";
import { listRepresentatives, requireRegisterKeeper } from "./roster.server";

export async function getRegisterPage(ctx: CommandContext, communityId: number) {
  const { area } = await requireRegisterKeeper(ctx, communityId);
  const [roster, residents] = await Promise.all([
    listRepresentatives(ctx, communityId),
    ctx.db
      .select({ id: memberships.id, userId: memberships.userId, displayName: users.displayName, birthYear: memberships.birthYear })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.communityId, communityId), eq(memberships.status, "verified")))
      .orderBy(asc(memberships.id))
      .limit(1000),
  ]);
  return { area: { id: area.id, name: area.name }, roster, residents };
}
