/**
 * `npm run selection:verify -- <matter id>` re-runs a matter's draw from the record stored in
 * the database; `npm run selection:verify -- --file record.json` from a downloaded public
 * record (no database needed). Prints each check; exits 1 when any fails, 2 on bad usage.
 */
import fs from "node:fs";
import { verifyPublishedJson } from "../../app/modules/matters/selection/verify.server";

async function main(args: string[]) {
  const fileAt = args.indexOf("--file");
  let text: string;
  if (fileAt >= 0) {
    const file = args[fileAt + 1];
    if (!file) return usage();
    text = fs.readFileSync(file, "utf8");
  } else {
    const id = Number(args[0]);
    if (!Number.isInteger(id) || id <= 0) return usage();
    const { loadConfig } = await import("../config");
    const { openDatabase } = await import("../../db/client");
    const { verifyStoredDraw } = await import("../../app/modules/matters/selection/view.server");
    const config = loadConfig();
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
    try {
      const stored = await verifyStoredDraw(database.db, id);
      if (!stored) {
        console.error(`matter ${id} has no published draw`);
        process.exitCode = 1;
        return;
      }
      text = JSON.stringify(stored.published);
    } finally {
      await database.close();
    }
  }
  const r = verifyPublishedJson(text);
  if (r.error) {
    console.error(`record refused: ${r.error}`);
    process.exitCode = 1;
    return;
  }
  for (const c of r.checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.check}`);
  if (r.panel) console.log(`panel: ${r.panel.join(" ")}`);
  console.log(r.ok ? (r.drawn ? "draw verified" : "published record consistent; not drawn yet") : "draw does NOT verify");
  if (!r.ok) process.exitCode = 1;
}

function usage() {
  console.error("usage: npm run selection:verify -- <matter id> | --file record.json");
  process.exitCode = 2;
}

await main(process.argv.slice(2));
