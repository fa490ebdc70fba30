import { randomBytes } from "node:crypto";
import { migrate, type Database } from "../db/client";
import { DEMO_PASSWORD, seedIfEmpty } from "./demo/seed";
import { systemClock } from "../app/modules/shared/clock";
import type { Config } from "./config";

/**
 * Migrates, then decides about the demo: local mode seeds an empty database with the README's
 * password (unless SEED_DEMO=false); production seeds only with `--demo` or SEED_DEMO=true, and
 * then with a password made here and printed once. Returns the demo password when it seeded.
 */
export async function prepareDatabase(database: Database, config: Pick<Config, "production" | "seedDemo" | "settings">, argv: string[], log: (s: string) => void) {
  await migrate(database);
  const asked = config.seedDemo || argv.includes("--demo");
  if (!asked) {
    if (config.production) log("Production: no demo data. Create the first administrator with `npm run admin:create -- --login <name> --name <display name> --county <county>`.");
    return null;
  }
  const password = config.production ? randomBytes(12).toString("base64url") : DEMO_PASSWORD;
  return (await seedIfEmpty(database, log, password, systemClock, config.settings)) ? password : null;
}
