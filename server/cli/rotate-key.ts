/**
 * `VOLUNTEER_ID_KEY=<old> VOLUNTEER_ID_KEY_NEW=<new> npm run keys:rotate` re-encrypts every
 * volunteer's ID number, recomputes its duplicate hash and reseals genuine certificates under the
 * new key, in one transaction (app/modules/volunteers/key-rotation.server.ts). Stop the server
 * first; then set VOLUNTEER_ID_KEY to the new key and start it. In local mode the old key comes
 * from the data folder's local-secrets.json and the new one is written there.
 */
import fs from "node:fs";
import { rotateVolunteerKey } from "../../app/modules/volunteers/key-rotation.server";
import { openDatabase } from "../../db/client";
import { loadConfig } from "../config";
import { ensureLocalSecrets, secretProblems } from "../secrets";

const config = loadConfig();
// the old key is being retired: any key (the development key included) may be rotated away from
if (!config.production) ensureLocalSecrets(config.secretsFile, process.env);
const oldKey = process.env.VOLUNTEER_ID_KEY ?? "";
if (!oldKey) {
  console.error("Set VOLUNTEER_ID_KEY to the key the data was written with.");
  process.exit(2);
}
const newKey = process.env.VOLUNTEER_ID_KEY_NEW ?? "";
const problems = secretProblems({ VOLUNTEER_ID_KEY: newKey }).map((p) => p.replace("VOLUNTEER_ID_KEY", "VOLUNTEER_ID_KEY_NEW"));
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(2);
}
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
try {
  const r = await rotateVolunteerKey(database.db, oldKey, newKey, new Date());
  console.log(`Re-encrypted ${r.volunteers} ID numbers and resealed ${r.certificates} certificates under the new key.`);
  if (r.notResealed.length) console.log(`Not resealed (their seal already failed, they stay not genuine): certificates ${r.notResealed.join(", ")}.`);
  if (!config.production && fs.existsSync(config.secretsFile)) {
    const stored = JSON.parse(fs.readFileSync(config.secretsFile, "utf8")) as Record<string, string>;
    if (stored.VOLUNTEER_ID_KEY === oldKey) {
      fs.writeFileSync(config.secretsFile, JSON.stringify({ ...stored, VOLUNTEER_ID_KEY: newKey }, null, 2) + "\n", { mode: 0o600 });
      console.log(`Wrote the new key into ${config.secretsFile}.`);
    }
  }
  console.log("Now set VOLUNTEER_ID_KEY to the new key (and drop the old one) before starting the server.");
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
