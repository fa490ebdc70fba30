import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../db/client";
import { sqlState } from "../../../db/client";
import { areas, roleGrants } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { DomainError } from "../shared/errors";
import { insertAccount } from "./accounts.server";
import { hashPassword } from "./passwords.server";
import type { CreateAdministratorSchema } from "./schemas";

/**
 * Creates a county administrator from the command line (`npm run admin:create`): how a production
 * database, which gets no demo accounts, gets its first real administrator. The county is found by
 * name, or created when the database has none yet; a name that matches none of several existing
 * counties is refused rather than starting a second county by a typo. The operator at the console
 * is the authority: the ledger records the entries with no actor and `cli: true`.
 */
export async function createAdministrator(db: Db, input: z.output<typeof CreateAdministratorSchema>, now: Date) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (t) => {
      const tx = t as unknown as Db;
      const counties = await tx.select().from(areas).where(eq(areas.kind, "county"));
      let county = counties.find((c) => c.name === input.county);
      let countyCreated = false;
      if (!county) {
        if (counties.length) throw new DomainError("validation", "errors.areaNotFound", {}, "county");
        const [a] = await tx.insert(areas).values({ kind: "county", name: input.county, parentId: null, createdAt: now }).returning();
        const path = `/${a.id}/`;
        await tx.update(areas).set({ path }).where(eq(areas.id, a.id));
        county = { ...a, path };
        countyCreated = true;
        await appendLedger(tx, {
          stream: `area:${a.id}`,
          actorId: null,
          action: "area.created",
          entityType: "area",
          entityId: a.id,
          summary: { after: { kind: "county", name: input.county }, cli: true },
          at: now,
        });
      }
      const u = await insertAccount(tx, input, passwordHash, now);
      await appendLedger(tx, {
        stream: `user:${u.id}`,
        actorId: null,
        action: "account.created",
        entityType: "user",
        entityId: u.id,
        summary: { after: { displayName: input.displayName, login: input.identifier.kind }, cli: true },
        at: now,
      });
      const [g] = await tx.insert(roleGrants).values({ userId: u.id, role: "county_admin", areaId: county.id, createdAt: now }).returning({ id: roleGrants.id });
      await appendLedger(tx, {
        stream: `area:${county.id}`,
        actorId: null,
        action: "role.granted",
        entityType: "role_grant",
        entityId: g.id,
        summary: { after: { userId: u.id, role: "county_admin", areaId: county.id }, cli: true },
        at: now,
      });
      return { userId: u.id, countyId: county.id, countyName: county.name, countyCreated };
    });
  } catch (e) {
    if (sqlState(e).code === "23505") throw new DomainError("conflict", "errors.loginTaken", {}, "identifier");
    throw e;
  }
}
