import { pino } from "pino";
import { createApp } from "./app";
import { startJobs } from "./jobs";
import { startQueue } from "./queue";
import { configuredChannels } from "./channels";
import { startupConfig } from "./secrets";

const config = startupConfig();
const started = Date.now();
// e-mail and SMS, made before the server: a code a person asks for by SMS goes out from a request
const outside = configuredChannels(config, pino({ level: config.logLevel }));
const server = await createApp(config, { textMessage: outside.textMessage });
const port = await server.listen();
// background work (schedulers, reminders) runs as jobs on the Postgres queue beside the server, and stops before it closes
const queue = await startQueue({ database: server.database, log: server.log });
const stopJobs = await startJobs({
  queue,
  channels: outside.channels,
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
    void stopJobs()
      .then(() => queue.stop({ graceful: true, wait: true, timeout: 5_000 }))
      .then(() => outside.close())
      .catch((e: Error) => server.log.error({ err: e.message }, "stopping the job queue failed"))
      .then(() => server.close())
      .then(() => process.exit(0));
  });
}
