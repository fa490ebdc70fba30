/**
 * Creates (or updates) the database and seeds the demo data into an empty one, then exits.
 * Run before the server so the server process never pays PGlite's creation memory.
 */
import { migrate, openDatabase } from "../db/client";
import { seedIfEmpty } from "../db/seed";
import { loadConfig } from "./config";

const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
try {
  await migrate(database);
  if (config.seed) await seedIfEmpty(database);
} finally {
  await database.close();
}
