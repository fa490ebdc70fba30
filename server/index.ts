import { createApp } from "./app";
import { loadConfig } from "./config";

const config = loadConfig();
const started = Date.now();
const server = await createApp(config);
const port = await server.listen();
server.log.info(
  { port, database: server.database.driver, ms: Date.now() - started },
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
    void server.close().then(() => process.exit(0));
  });
}
