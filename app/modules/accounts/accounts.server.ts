import type { Db } from "../../../db/client";
import { users } from "../../../db/schema";
import type { Login } from "./schemas";

/**
 * The one insert of a new account, for signing up and for the administrator the CLI creates: the
 * login goes into the phone or the username column, as `findUserByLogin` looks it up. A taken
 * login is the database's unique violation, which each caller answers its own way.
 */
export async function insertAccount(tx: Db, input: { identifier: Login; displayName: string }, passwordHash: string, now: Date) {
  const [u] = await tx
    .insert(users)
    .values({
      phone: input.identifier.kind === "phone" ? input.identifier.value : null,
      username: input.identifier.kind === "username" ? input.identifier.value : null,
      displayName: input.displayName,
      passwordHash,
      createdAt: now,
    })
    .returning({ id: users.id });
  return u;
}
