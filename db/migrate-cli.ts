/** `npm run db:migrate`: applies the committed migrations to the configured database. */
import { loadConfig } from "../server/config";
import { migrate, openDatabase } from "./client";

const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
try {
  await migrate(database);
  console.log(`migrated (${database.driver})`);
} finally {
  await database.close();
}
