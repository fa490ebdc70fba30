/** `npm run ledger:verify`: walks every chain; exits 1 and names the first bad entry if any. */
import { verifyLedger } from "../../app/modules/ledger/ledger.server";
import { loadConfig } from "../config";
import { openDatabase } from "../../db/client";

const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
try {
  const r = await verifyLedger(database.db);
  if (r.ok) {
    console.log(`ledger ok: ${r.checked} entries in ${r.streams} chains`);
  } else {
    const b = r.firstBad!;
    console.error(`ledger BROKEN at entry ${b.id} (${b.stream} #${b.seq}): ${b.problem} does not match; ${r.checked} entries checked`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
