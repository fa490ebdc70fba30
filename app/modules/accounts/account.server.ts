import { eq } from "drizzle-orm";
import { areas, memberships, roleGrants, users } from "../../../db/schema";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";

/** The actor's own account page: login, communities and roles. Never another person's. */
export async function getOwnAccount(ctx: CommandContext) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const [user] = await ctx.db
    .select({ phone: users.phone, username: users.username, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, actor.id));
  const ms = await ctx.db
    .select({ communityId: memberships.communityId, status: memberships.status, address: memberships.address, name: areas.name, declineReason: memberships.declineReason })
    .from(memberships)
    .innerJoin(areas, eq(areas.id, memberships.communityId))
    .where(eq(memberships.userId, actor.id));
  const roles = await ctx.db
    .select({ role: roleGrants.role, areaId: roleGrants.areaId, name: areas.name })
    .from(roleGrants)
    .innerJoin(areas, eq(areas.id, roleGrants.areaId))
    .where(eq(roleGrants.userId, actor.id));
  return { login: user.phone ?? user.username ?? "", displayName: user.displayName, memberships: ms, roles };
}
