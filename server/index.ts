import { createApp } from "./app";
import { startJobs } from "./jobs";
import { startupConfig } from "./secrets";

const config = startupConfig();
const started = Date.now();
const server = await createApp(config);
const port = await server.listen();
// background work (schedulers, reminders) runs beside the server, and stops before it closes
const stopJobs = startJobs({
  db: server.database.db,
  events: server.events,
  log: server.log,
  settings: config.settings,
  voteSchedulerMs: config.voteSchedulerMs,
});
server.log.info(
  { port, database: server.database.driver, mode: config.production ? "production" : "local", ms: Date.now() - started },
  `议事 is serving on http://localhost:${port} (${server.database.driver === "pglite" ? `embedded database at ${config.dataDir}` : "PostgreSQL"})`,
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    stopJobs();
    void server.close().then(() => process.exit(0));
  });
}
