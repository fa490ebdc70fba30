import { expect, test } from "@playwright/test";
import { io } from "socket.io-client";
import { newResident } from "./support";

test.describe("security at the HTTP edge", () => {
  test("a form post from another origin is refused with 403", async ({ request }) => {
    const res = await request.post("/login", {
      headers: { Origin: "http://evil.example" },
      form: { identifier: "committee_a", password: "whatever-it-is" },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    expect(res.headers()["set-cookie"]).toBeUndefined();
  });

  test("a JSON body is refused with 415", async ({ request, baseURL }) => {
    const me = newResident("json");
    const res = await request.post("/signup", {
      headers: { Origin: new URL(baseURL!).origin, "Content-Type": "application/json" },
      data: JSON.stringify({ identifier: me.username, displayName: me.displayName, password: me.password, confirm: me.password }),
      maxRedirects: 0,
    });
    expect(res.status()).toBe(415);
  });

  test("a 1 MB display name answers 400 with the too-long message", async ({ request, baseURL }) => {
    const me = newResident("big");
    const res = await request.post("/signup", {
      headers: { Origin: new URL(baseURL!).origin },
      form: { identifier: me.username, displayName: "a".repeat(1024 * 1024), password: me.password, confirm: me.password },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(400);
    expect(res.headers()["content-type"]).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("内容太长，请不超过 40 个字符。");
    expect(res.headers()["set-cookie"]).toBeUndefined();
  });

  for (const path of ["/communities/abc", "/communities/%E0%A4%A"]) {
    test(`a malformed path ${path} is a 4xx, not a 5xx`, async ({ request }) => {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.status()).toBeGreaterThanOrEqual(400);
      expect(res.status()).toBeLessThan(500);
    });
  }

  test("/healthz answers ok", async ({ request }) => {
    const res = await request.get("/healthz");
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  test("pages carry a nonce CSP that forbids framing, and nosniff", async ({ request }) => {
    const res = await request.get("/");
    expect(res.status()).toBe(200);
    const headers = res.headers();
    const csp = headers["content-security-policy"];
    expect(csp).toBeTruthy();
    expect(csp).toContain("nonce-");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    // The nonce in the header is the one on the page's scripts, and it changes per response.
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(await res.text()).toContain(`nonce="${nonce}"`);
    const again = (await request.get("/")).headers()["content-security-policy"];
    expect(again).not.toBe(csp);
  });

  test("a socket.io handshake from a foreign origin is refused", async ({ baseURL }) => {
    const attempt = (origin: string) =>
      new Promise<{ connected: boolean; error?: Error & { description?: unknown } }>((resolve) => {
        const socket = io(baseURL!, { transports: ["polling"], extraHeaders: { Origin: origin }, reconnection: false, timeout: 10_000 });
        socket.on("connect", () => {
          socket.close();
          resolve({ connected: true });
        });
        socket.on("connect_error", (error) => {
          socket.close();
          resolve({ connected: false, error });
        });
      });

    const foreign = await attempt("http://evil.example");
    expect(foreign.connected).toBe(false);
    expect(foreign.error).toBeInstanceOf(Error);

    // The same client from the app's own origin does connect, so the refusal above is the origin check.
    const own = await attempt(new URL(baseURL!).origin);
    expect(own.connected).toBe(true);
  });
});
