/**
 * The baseline: a bare Node http server answering every request with the same static HTML.
 * It is compiled to plain JavaScript and run with `node` alone, like the built app.
 * Env: PORT, BODY_FILE (the body to serve), BODY_TYPE (its content type; HTML when unset).
 */
import fs from "node:fs";
import http from "node:http";

const body = fs.readFileSync(process.env.BODY_FILE ?? "");
const headers = { "content-type": process.env.BODY_TYPE ?? "text/html; charset=utf-8", "content-length": String(body.length) };

const server = http.createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(Number(process.env.PORT), "127.0.0.1");

process.on("SIGTERM", () => server.close(() => process.exit(0)));
