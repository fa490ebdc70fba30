/**
 * Creates (or updates) the database and, when the mode asks for it, seeds the demo data into an
 * empty one (server/setup.ts decides), then exits. Run before the server so the server process
 * never pays PGlite's creation memory. Local mode generates missing secrets first; production
 * refuses to run without them. `--demo` asks for the demo in production.
 */
import { openDatabase } from "../db/client";
import { startupConfig } from "./secrets";
import { prepareDatabase } from "./setup";

const config = startupConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
try {
  await prepareDatabase(database, config, process.argv.slice(2), console.log);
} finally {
  await database.close();
}
