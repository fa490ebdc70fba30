import { asc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { certificates, volunteers } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { sealOf } from "./certificates.server";
import { decryptIdNumber, encryptIdNumber, idNumberHmac, keysFromSecret, sameHex } from "./keys.server";

/**
 * Key rotation (`npm run keys:rotate`): in one transaction, every volunteer's ID number is
 * decrypted with the old VOLUNTEER_ID_KEY and encrypted again with the new one, its duplicate
 * hash is recomputed, and every certificate whose seal holds under the old key is sealed again
 * under the new one. A certificate whose seal already fails stays failing (rotation never
 * launders a tampered row). When one ID number does not decrypt, nothing changes: the old key
 * is wrong. After it, the old key reads nothing.
 */
export async function rotateVolunteerKey(db: Db, oldSecret: string, newSecret: string, now: Date) {
  if (oldSecret === newSecret) throw new Error("the new key is the old key");
  const from = keysFromSecret(oldSecret);
  const to = keysFromSecret(newSecret);
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const rows = await tx.select({ id: volunteers.id, idCipher: volunteers.idCipher }).from(volunteers).orderBy(asc(volunteers.id)).for("update");
    for (const r of rows) {
      let id: string;
      try {
        id = decryptIdNumber(r.idCipher, from);
      } catch {
        throw new Error(`the old key does not decrypt volunteer ${r.id}'s ID number: is VOLUNTEER_ID_KEY the key the data was written with? Nothing was changed.`);
      }
      await tx.update(volunteers).set({ idCipher: encryptIdNumber(id, to), idHmac: idNumberHmac(id, to) }).where(eq(volunteers.id, r.id));
    }
    const certs = await tx.select().from(certificates).orderBy(asc(certificates.id)).for("update");
    let resealed = 0;
    const failing: number[] = [];
    for (const c of certs) {
      if (!sameHex(sealOf(c, from), c.seal)) {
        failing.push(c.id);
        continue;
      }
      await tx.update(certificates).set({ seal: sealOf(c, to) }).where(eq(certificates.id, c.id));
      resealed++;
    }
    await appendLedger(tx, {
      stream: "system:keys",
      actorId: null,
      action: "keys.rotated",
      entityType: "volunteer_key",
      entityId: "VOLUNTEER_ID_KEY",
      summary: { after: { volunteers: rows.length, certificates: resealed, notResealed: failing }, cli: true },
      at: now,
    });
    return { volunteers: rows.length, certificates: resealed, notResealed: failing };
  });
}
