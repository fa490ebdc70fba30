import { randomBytes, randomUUID } from "node:crypto";
import type http from "node:http";
import { Transform } from "node:stream";
import { createReadableStreamFromReadable, createRequestHandler as createRemixNodeHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { rateLimit } from "express-rate-limit";
import { pickLocale, translate, type Locale, type MessageKey } from "../app/i18n";

export function localeOf(req: Request): Locale {
  const m = /(?:^|;\s*)lang=([^;]+)/.exec(req.headers.cookie ?? "");
  return pickLocale(m?.[1], req.headers["accept-language"]);
}

/** A small translated page for refusals made before Remix runs (CSRF, body type, rate limits). */
export function refusal(req: Request, res: Response, status: number, key: MessageKey) {
  const locale = localeOf(req);
  const title = translate(locale, `errorPage.title.${status}` as MessageKey);
  const body = translate(locale, key);
  const back = translate(locale, "errorPage.back");
  res
    .status(status)
    .type("html")
    .send(
      `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1><p>${body}</p><p><a href="/">${back}</a></p></main></body></html>`,
    );
}

export function requestIds(req: Request, res: Response, next: NextFunction) {
  const incoming = req.headers["x-request-id"];
  const id = typeof incoming === "string" && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.locals.nonce = randomBytes(16).toString("base64");
  res.setHeader("X-Request-Id", id);
  next();
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

type Headers = http.IncomingHttpHeaders;

/**
 * CSRF: a state-changing request must come from our own pages. Browsers send Origin on every
 * POST and Sec-Fetch-Site on every request; a request with neither is not a browser riding on
 * a cookie, and SameSite=Lax covers the rest.
 */
export function isCrossOrigin(headers: Headers, publicOrigin?: string) {
  const origin = headers.origin;
  const site = headers["sec-fetch-site"];
  if (origin && origin !== "null") {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    return !(host === headers.host || origin === publicOrigin);
  }
  return origin === "null" || (typeof site === "string" && site !== "same-origin" && site !== "none");
}

/** Form actions take form encodings only: the status and message for a body that is not one (or too large), else null. */
export function bodyRefusal(headers: Headers, maxBytes: number): { status: 413 | 415; key: MessageKey } | null {
  const type = (headers["content-type"] ?? "").toLowerCase();
  const length = Number(headers["content-length"] ?? 0);
  if (length > maxBytes) return { status: 413, key: "errors.tooLarge" };
  if ((length > 0 || headers["transfer-encoding"]) && !type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    return { status: 415, key: "errors.unsupportedBody" };
  }
  return null;
}

export function sameOriginOnly(publicOrigin?: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!UNSAFE.has(req.method) || req.path.startsWith("/socket.io")) return next();
    if (isCrossOrigin(req.headers, publicOrigin)) return refusal(req, res, 403, "errors.crossOrigin");
    next();
  };
}

/** Form actions take form encodings only; JSON or text bodies get a 415 here instead of a 500 inside Remix. */
export function formBodiesOnly(maxBytes: number | ((path: string) => number)) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!UNSAFE.has(req.method) || req.path.startsWith("/socket.io")) return next();
    const refused = bodyRefusal(req.headers, typeof maxBytes === "number" ? maxBytes : maxBytes(req.path));
    if (refused) return refusal(req, res, refused.status, refused.key);
    next();
  };
}

/** A path Remix cannot decode (bad percent-encoding) is a 400, not a 500. */
export function decodablePaths(req: Request, res: Response, next: NextFunction) {
  try {
    decodeURIComponent(req.path);
    next();
  } catch {
    refusal(req, res, 400, "errors.badRequest");
  }
}

/**
 * HTTPS: a request that arrived over HTTPS (req.secure: directly, or X-Forwarded-Proto from a
 * proxy TRUST_PROXY trusts), or any request when `always` (an https PUBLIC_ORIGIN or
 * SECURE_COOKIES=true), gets HSTS, and its cookies are marked Secure (res.locals.secure).
 */
export function httpsOnly(always: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const secure = always || req.secure;
    res.locals.secure = secure;
    if (secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}

/**
 * The paths whose posts count toward the sign-in rate limits. With single fetch
 * (remix.config.js future.v3_singleFetch) a form that JavaScript submits posts to `<path>.data`
 * rather than `<path>`, so both spellings are limited: otherwise a script could try passwords at
 * `/login.data` without limit.
 */
export const AUTH_POST_PATHS = ["/login", "/login.data", "/signup", "/signup.data", "/reset", "/reset.data"];
const SIGNUP_POST_PATHS = new Set(["/signup", "/signup.data"]);

const normalisedPath = (req: Pick<Request, "path">) => req.path.toLowerCase().replace(/\/+$/, "");

/** Remix matches paths case-insensitively and ignores a trailing slash; so does this check. */
export function isAuthPost(req: Pick<Request, "method" | "path">) {
  return req.method === "POST" && AUTH_POST_PATHS.includes(normalisedPath(req));
}

/**
 * Over a limit: a script-less post gets the small translated 429 page. A post that JavaScript
 * made (`.data`, single fetch) cannot show a page: the browser's Remix expects its own encoding
 * and would show the crash page instead. It goes on to the action with `res.locals.rateLimited`
 * set, and the action answers 429 with the message in the form's error summary
 * (`refuseWhenRateLimited` in app/web/http.server.ts), before any work.
 */
function overLimit(req: Request, res: Response, next: NextFunction) {
  if (normalisedPath(req).endsWith(".data")) {
    res.locals.rateLimited = true;
    return next();
  }
  refusal(req, res, 429, "errors.rateLimited");
}

/**
 * Over the sign-up ceiling every post (with or without JavaScript) goes on, marked, to the sign-up
 * action: a live venue code typed into the form lifts the per-address ceiling there, and without
 * one the action refuses it with the message in the form (app/routes/signup.tsx).
 */
function markOverLimit(_req: Request, res: Response, next: NextFunction) {
  res.locals.rateLimited = true;
  next();
}

/**
 * Per-IP limits on sign-in posts. Login and reset posts share one window (`limit` per
 * `windowMinutes`; wrong passwords are also slowed per login name by the login throttle).
 * Sign-ups have their own, higher ceiling (`signupLimit` per `signupWindowMinutes`): a room of
 * residents on the community centre's one Wi-Fi signs up from one address, and past it with the
 * committee's venue code (each sign-up still limited per login name).
 */
export function authRateLimit(opts: { limit: number; windowMinutes: number; signupLimit?: number; signupWindowMinutes?: number }) {
  const common = { standardHeaders: "draft-8" as const, legacyHeaders: false, handler: overLimit };
  const signIn = rateLimit({ ...common, windowMs: opts.windowMinutes * 60_000, limit: opts.limit });
  const signUp = rateLimit({ ...common, handler: markOverLimit, windowMs: (opts.signupWindowMinutes ?? opts.windowMinutes) * 60_000, limit: opts.signupLimit ?? opts.limit });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isAuthPost(req)) return next();
    return SIGNUP_POST_PATHS.has(normalisedPath(req).replace(/\.data$/, "")) ? signUp(req, res, next) : signIn(req, res, next);
  };
}

/** A Node stream that passes at most `maxBytes` through and fails, without reading further, past that. */
export function byteLimit(maxBytes: number, onOver: () => void) {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size <= maxBytes) return done(null, chunk);
      onOver();
      const err = Object.assign(new Error("request body too large"), { status: 413, code: "BODY_TOO_LARGE" });
      done(err);
    },
  });
}

/**
 * Remix behind Express, with the request body counted as it streams. Stock
 * `@remix-run/express` hands Remix the raw request, and `request.formData()` reads it whole
 * whatever its size (a chunked body has no Content-Length to check first). Here the body
 * passes through `byteLimit`: past `maxBodyBytes` the stream fails, the request stops being
 * read, and the answer is a 413 that closes the connection, whatever the action made of the
 * failed read. A body nobody reads is not read either; its connection is closed after the answer.
 */
export function remixHandler(opts: {
  build: ServerBuild;
  mode: string;
  /** a number, or the limit for a path (the attachment upload takes more than a form) */
  maxBodyBytes: number | ((path: string) => number);
  getLoadContext: (req: Request, res: Response) => Promise<AppLoadContext>;
}): RequestHandler {
  const handle = createRemixNodeHandler(opts.build, opts.mode);
  return async (req, res, next) => {
    try {
      let tooLarge = false;
      let body: ReadableStream<Uint8Array> | undefined;
      const max = typeof opts.maxBodyBytes === "number" ? opts.maxBodyBytes : opts.maxBodyBytes(req.path);
      if (req.method !== "GET" && req.method !== "HEAD") {
        const limited = req.pipe(byteLimit(max, () => (tooLarge = true)));
        // the limiter failing unpipes it: the request stays paused with the rest unread
        limited.on("error", () => req.unpipe(limited));
        body = createReadableStreamFromReadable(limited);
      }
      const response = await handle(remixRequest(req, res, body), await opts.getLoadContext(req, res));
      if (tooLarge) {
        await response.body?.cancel().catch(() => {});
        res.setHeader("Connection", "close");
        return refusal(req, res, 413, "errors.tooLarge");
      }
      if (!req.complete) {
        // a body the action left unread is not read after the answer either, unless its declared
        // length is within the limit: then the rest is read and dropped, so that a browser still
        // sending it sees the answer (an upload refused at 10 MB) instead of a connection reset
        const declared = Number(req.headers["content-length"] ?? 0);
        if (!tooLarge && declared > 0 && declared <= max) {
          req.unpipe();
          req.resume();
        } else res.setHeader("Connection", "close");
      }
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/*
 * The two halves below are what `@remix-run/express` does (its package exports only the whole
 * handler), except that the body is the one given.
 */

/** The Fetch request Remix gets, with the given body. */
function remixRequest(req: Request, res: Response, body: ReadableStream<Uint8Array> | undefined) {
  // the port from X-Forwarded-Host or Host; req.hostname honours the "trust proxy" setting
  const ports = [req.get("X-Forwarded-Host"), req.get("host")].map((h) => Number.parseInt(h?.split(":")[1] ?? "", 10));
  const port = ports.find((p) => Number.isSafeInteger(p));
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  // loaders and actions are aborted once no answer can be written (closed before finishing)
  let controller: AbortController | null = new AbortController();
  const signal = controller.signal;
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new globalThis.Request(url.href, { method: req.method, headers: remixHeaders(req.headers), signal, body, duplex: "half" } as RequestInit);
}

function remixHeaders(incoming: http.IncomingHttpHeaders) {
  const headers = new Headers();
  for (const [key, values] of Object.entries(incoming)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  return headers;
}

async function sendRemixResponse(res: Response, response: globalThis.Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
