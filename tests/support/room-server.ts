/**
 * A realtime server in its own process, for the kill -9 test: the room on PostgreSQL at
 * DATABASE_URL, listening on PORT. Prints "ready" once it listens.
 */
import http from "node:http";
import { pino } from "pino";
import { openDatabase } from "../../db/client";
import { EventBus } from "../../app/modules/shared/events";
import { attachRealtime } from "../../server/realtime/index";

const database = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 3 });
const server = http.createServer();
await attachRealtime(server, { db: database.db, events: new EventBus(), log: pino({ level: "silent" }) });
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
