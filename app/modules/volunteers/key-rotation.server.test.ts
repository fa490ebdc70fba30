import { eq } from "drizzle-orm";
import { systemClock } from "../shared/clock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { certificates, users, volunteers } from "../../../db/schema";
import { seedIfEmpty } from "../../../server/demo/seed";
import { getSessionActor } from "../accounts/sessions.server";
import { logIn } from "../accounts/auth.server";
import { verifyLedger } from "../ledger/ledger.server";
import { context } from "../../../tests/support/factories";
import { testDatabase } from "../../../tests/support/db";
import { issueCertificate, verifyCertificate } from "./certificates.server";
import { rotateVolunteerKey } from "./key-rotation.server";
import { decryptIdNumber, DEVELOPMENT_VOLUNTEER_KEY, idNumberHmac, keysFromSecret } from "./keys.server";

const OLD = "old-key-3b1e0c7a9f2d4e6b8a0c1e3f5a7b9d1c";
const NEW = "new-key-8d2f4a6c0e1b3d5f7a9c2e4b6d8f0a1c";
/** The settings a server started with this VOLUNTEER_ID_KEY hands to its commands. */
const withKey = (volunteerIdKey: string) => ({ secrets: { volunteerIdKey, ballotKey: "" } });
let database: Database;
let number: string;
let tampered: string;
let before: { id: number; idCipher: string; idHmac: string }[];

beforeAll(async () => {
  database = await testDatabase();
  await seedIfEmpty(database, () => {}, undefined, systemClock, withKey(OLD));
  // 王阿姨 (demo) has confirmed hours: two certificates; one is then altered in the database
  // the seed writes on the system clock, so the test reads and issues on it too (one clock)
  const { ctx } = context(database.db, null, systemClock);
  const { token } = await logIn(ctx, { identifier: "13800000001", password: "yishi-demo-2026" });
  const wang = { ...context(database.db, await getSessionActor(database.db, token, ctx.clock.now()), systemClock).ctx, settings: withKey(OLD) };
  number = (await issueCertificate(wang, { scope: "all" })).number;
  const other = await issueCertificate(wang, { scope: "all" });
  tampered = other.number;
  await database.db.update(certificates).set({ minutes: 6000 }).where(eq(certificates.id, other.id));
  before = await database.db.select({ id: volunteers.id, idCipher: volunteers.idCipher, idHmac: volunteers.idHmac }).from(volunteers);
});
afterAll(() => database.close());

describe("npm run keys:rotate", () => {
  it("refuses a wrong old key and changes nothing", async () => {
    await expect(rotateVolunteerKey(database.db, DEVELOPMENT_VOLUNTEER_KEY, NEW, systemClock.now())).rejects.toThrow(/does not decrypt.*Nothing was changed/);
    const after = await database.db.select({ id: volunteers.id, idCipher: volunteers.idCipher, idHmac: volunteers.idHmac }).from(volunteers);
    expect(after).toEqual(before);
  });

  it("re-encrypts every ID number under the new key; the old key no longer decrypts; certificates still verify", async () => {
    expect(before.length).toBeGreaterThan(0);
    const ids = before.map((v) => decryptIdNumber(v.idCipher, keysFromSecret(OLD)));
    const r = await rotateVolunteerKey(database.db, OLD, NEW, systemClock.now());
    expect(r.volunteers).toBe(before.length);
    expect(r.certificates).toBe(1);
    expect(r.notResealed).toHaveLength(1);
    const after = await database.db.select({ id: volunteers.id, idCipher: volunteers.idCipher, idHmac: volunteers.idHmac }).from(volunteers);
    for (const [i, v] of after.entries()) {
      expect(() => decryptIdNumber(v.idCipher, keysFromSecret(OLD))).toThrow();
      expect(decryptIdNumber(v.idCipher, keysFromSecret(NEW))).toBe(ids[i]);
      expect(v.idHmac).toBe(idNumberHmac(ids[i], keysFromSecret(NEW)));
      expect(v.idHmac).not.toBe(before[i].idHmac);
    }
    // the server now runs with the new key: the printed certificate is still genuine, the altered one is not
    const { ctx } = context(database.db, null, systemClock);
    const server = { ...ctx, settings: withKey(NEW) };
    expect((await verifyCertificate(server, number)).genuine).toBe(true);
    expect((await verifyCertificate(server, tampered)).genuine).toBe(false);
    expect((await verifyCertificate({ ...ctx, settings: withKey(OLD) }, number)).genuine).toBe(false);
    expect((await verifyLedger(database.db)).ok).toBe(true);
    expect(await database.db.select().from(users)).not.toHaveLength(0);
  });
});
