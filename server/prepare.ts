/**
 * Creates (or updates) the database and, when the mode asks for it, seeds the demo data into an
 * empty one, then exits. Run before the server so the server process never pays PGlite's creation
 * memory. Local mode generates missing secrets first; production refuses to run without them.
 *
 * Production seeds the demo only with `--demo` or SEED_DEMO=true, and then with a password made
 * here and printed once, never the one in the README.
 */
import { randomBytes } from "node:crypto";
import { migrate, openDatabase } from "../db/client";
import { DEMO_PASSWORD, seedIfEmpty } from "../db/seed";
import { loadConfig } from "./config";
import { ConfigError, prepareSecrets } from "./secrets";

const config = loadConfig();
try {
  prepareSecrets(config);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
const seed = config.seedDemo || process.argv.includes("--demo");
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
try {
  await migrate(database);
  if (seed) await seedIfEmpty(database, console.log, config.production ? randomBytes(12).toString("base64url") : DEMO_PASSWORD);
  else if (config.production) console.log("Production: no demo data. Create the first administrator with `npm run admin:create`.");
} finally {
  await database.close();
}
