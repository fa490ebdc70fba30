/**
 * Request bodies are counted while they stream, on every path that takes one, and reading stops
 * at the limit with a 413: a chunked body announces no length, so checking Content-Length alone
 * let a 400 MB post be read whole. Each case streams far more than the limit and asserts on the
 * bytes the server's socket actually read, not on timing.
 */
import http from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { createSession, SESSION_COOKIE } from "../../app/modules/accounts/sessions.server";
import { MAX_FORM_BYTES } from "../../app/web/http.server";
import { MAX_UPLOAD_BODY_BYTES } from "../../app/web/upload.server";
import { MAX_BALLOT_BYTES } from "../../server/ballot-api";
import { testDatabase } from "../support/db";
import { makeUser } from "../support/factories";
import { startApp } from "../support/app-server";

let database: Database;
let app: Awaited<ReturnType<typeof startApp>>;
let cookie: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  database = await testDatabase();
  app = await startApp(database);
  app.httpServer.on("connection", (s: Socket) => sockets.push(s));
  const u = await makeUser(database.db);
  cookie = `${SESSION_COOKIE}=${(await createSession(database.db, u.id, new Date())).token}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** What the client will send at most: far past any limit, so reading it all shows plainly. */
const SENT = 48 * 1024 * 1024;
/** The slack over a limit: socket and stream buffers (a few 64 KB chunks) and the headers. */
const SLACK = 512 * 1024;

/**
 * Streams a chunked body of up to SENT bytes (no Content-Length), stopping when the answer
 * comes or the server stops taking bytes; returns the status and the bytes the server read.
 */
async function stream(path: string, headers: Record<string, string>, chunk: Buffer, prefix = Buffer.alloc(0)) {
  const before = new Set(sockets);
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(app.origin + path, { method: "POST", headers: { origin: app.origin, "transfer-encoding": "chunked", ...headers } });
    let answered = false;
    const stall = setTimeout(() => reject(new Error("no answer: the server neither answered nor read on")), 20_000);
    req.on("response", (res) => {
      answered = true;
      clearTimeout(stall);
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    // the server closing while we still write is expected once it has answered
    req.on("error", (e) => (answered ? undefined : reject(e)));
    void (async () => {
      let sent = 0;
      if (prefix.length) req.write(prefix);
      while (!answered && sent < SENT) {
        sent += chunk.length;
        if (!req.write(chunk)) await new Promise((r) => (req.once("drain", r), req.once("close", r)));
      }
      if (!answered) req.end();
    })();
  });
  // the server side of this request's connection: what its socket read
  const mine = sockets.filter((s) => !before.has(s));
  await new Promise((r) => setTimeout(r, 50));
  const read = mine.reduce((n, s) => n + s.bytesRead, 0);
  return { status, read };
}

const form = "application/x-www-form-urlencoded";

describe("a body past the limit is refused while it streams", () => {
  it("a form post to a Remix action (the language switch, anonymous)", async () => {
    const r = await stream("/language", { "content-type": form }, Buffer.from(`lang=en&pad=${"x".repeat(64 * 1024)}&`));
    expect(r.status).toBe(413);
    expect(r.read).toBeLessThan(MAX_FORM_BYTES + SLACK);
  });

  it("an upload (multipart, to a page whose action reads the intent from a clone first)", async () => {
    const boundary = "----yishi-test-boundary";
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nupdate-1\r\n--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
    const r = await stream("/matters/1", { "content-type": `multipart/form-data; boundary=${boundary}`, cookie }, Buffer.alloc(64 * 1024, 0xff), head);
    expect(r.status).toBe(413);
    expect(r.read).toBeLessThan(MAX_FORM_BYTES + SLACK);
  });

  it("an attachment upload: the one path allowed past 4 MB answers a file over 10 MB with the translated 413 page", async () => {
    // a browser declares the length; the body fits the upload path's limit but the file is over 10 MB
    const form = new FormData();
    form.append("target", "proposal");
    form.append("file", new Blob([Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(MAX_UPLOAD_BODY_BYTES - 64 * 1024 - MAX_FORM_BYTES, 0x20), Buffer.alloc(MAX_FORM_BYTES, 0x20)])]), "big.pdf");
    const res = await fetch(`${app.origin}/matters/1/attachments`, { method: "POST", body: form, headers: { origin: app.origin, cookie }, redirect: "manual" });
    expect(res.status).toBe(413);
    // the action's answer, beside the file field (the page itself is a 404 here: there is no matter 1)
    expect(await res.text()).toContain('"error":{"file":["attachments.errors.tooLarge"]}');
    // past the upload path's own limit, the server refuses before reading
    const net = await import("node:net");
    const { port } = new URL(app.origin);
    const sock = net.connect(Number(port), "127.0.0.1");
    const answer = new Promise<string>((r) => {
      let got = "";
      sock.on("data", (d) => (got += d.toString("latin1")));
      sock.on("close", () => r(got));
      sock.on("error", () => r(got));
    });
    sock.write(`POST /matters/1/attachments HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${app.origin}\r\nCookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${MAX_UPLOAD_BODY_BYTES + 1}\r\nConnection: close\r\n\r\n--x\r\n`);
    expect((await answer).split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
  });

  it("a JavaScript data post (?_data) to an action", async () => {
    const r = await stream("/language?_data=routes%2Flanguage", { "content-type": form }, Buffer.from(`pad=${"y".repeat(64 * 1024)}&`));
    expect(r.status).toBe(413);
    expect(r.read).toBeLessThan(MAX_FORM_BYTES + SLACK);
  });

  it("the ballot API", async () => {
    const r = await stream("/api/votes/1/ballot", { "content-type": form, cookie }, Buffer.from(`choices=yes&pad=${"z".repeat(16 * 1024)}&`));
    expect(r.status).toBe(413);
    expect(r.read).toBeLessThan(MAX_BALLOT_BYTES + SLACK);
  });

  it("a post nobody reads (a page without an action) is not read after its answer", async () => {
    const r = await stream("/communities", { "content-type": form }, Buffer.from(`pad=${"w".repeat(64 * 1024)}&`));
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.read).toBeLessThan(MAX_FORM_BYTES + SLACK);
  });

  it("a body within the limit still works (the language switch redirects)", async () => {
    const res = await fetch(`${app.origin}/language`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: app.origin, "content-type": form },
      body: new URLSearchParams({ lang: "en", next: "/communities" }),
    });
    expect([res.status, res.headers.get("location")]).toEqual([302, "/communities"]);
  });
});

describe("readForm counts on its own (an action called without the server's limit in front)", () => {
  it("a body past the limit with no length up front is a 413, and a body within it parses", async () => {
    const { callRoute, loadContext } = await import("../support/remix");
    const language = await import("../../app/routes/language");
    const big = new ReadableStream<Uint8Array>({
      start(c) {
        // 5 MB in 64 KB pieces, and a body with no Content-Length, as a chunked post arrives
        for (let i = 0; i < 80; i++) c.enqueue(new TextEncoder().encode(`pad=${"x".repeat(64 * 1024)}&`));
        c.close();
      },
    });
    const over = await callRoute(language.action, { body: big, headers: { "content-type": form }, context: loadContext(database.db, null) });
    expect([over.status, over.data.messageKey]).toEqual([413, "errors.tooLarge"]);
    const ok = await callRoute(language.action, { body: new URLSearchParams({ lang: "en", next: "/x" }), context: loadContext(database.db, null) });
    expect([ok.status, ok.headers.get("location")]).toEqual([302, "/x"]);
  });
});

describe("shutting down", () => {
  it("does not wait on a client that went quiet mid-request", async () => {
    const other = await startApp(database);
    const { port } = new URL(other.origin);
    const net = await import("node:net");
    // headers sent, the body promised and never sent: the request stays in flight
    const quiet = net.connect(Number(port), "127.0.0.1");
    await new Promise<void>((r) => quiet.once("connect", () => r()));
    quiet.write(`POST /language HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${other.origin}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nlocale=`);
    await new Promise((r) => setTimeout(r, 200));
    const closedBy = Date.now();
    const ended = new Promise<void>((r) => quiet.once("close", () => r()));
    await other.close();
    await ended;
    // cut after the 5 s grace period, never after the 65 s keep-alive or a client's patience (the
    // bound sits between the two, with room for a loaded 2-core CI)
    expect(Date.now() - closedBy).toBeLessThan(40_000);
  }, 90_000);
});
