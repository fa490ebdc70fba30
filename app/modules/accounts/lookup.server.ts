import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { users } from "../../../db/schema";
import { parseLogin, type Login } from "./schemas";

/**
 * The one way to find an account by what a person types to sign in: a mainland phone (with or
 * without +86, spaces or dashes) or a username (compared lower-cased, as it was stored). The same
 * rule as signing in, so the same text always finds the same account; text that is neither finds
 * nobody.
 */
/** The condition "this account signs in with this login", for the lookups that need more than the name (sign-in reads the password hash). */
export function loginWhere(login: Login) {
  return login.kind === "phone" ? eq(users.phone, login.value) : eq(users.username, login.value);
}

export async function findUserByLogin(db: Db, login: string | Login): Promise<{ id: number; displayName: string } | null> {
  const parsed = typeof login === "string" ? parseLogin(login) : login;
  if (!parsed) return null;
  const [u] = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(loginWhere(parsed))
    .limit(1);
  return u ?? null;
}
