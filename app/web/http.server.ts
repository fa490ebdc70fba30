import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type AppLoadContext } from "@remix-run/node";
import { serialize } from "cookie";
import type { z } from "zod";
import type { Actor } from "~/modules/accounts/actor";
import { SESSION_COOKIE } from "~/modules/accounts/sessions.server";
import type { CommandContext } from "~/modules/shared/context";
import { DomainError } from "~/modules/shared/errors";
import { domainErrorReply, invalidReply, statusOf } from "./errors.server";

// the conform replies for a refused form live with the rest of the error mapping
export { domainErrorReply, invalidReply };

export const MAX_FORM_BYTES = 4 * 1024 * 1024;

export function commandContext(context: AppLoadContext): CommandContext {
  return { db: context.db, actor: context.actor, events: context.events, clock: context.clock, ip: context.ip, settings: context.settings, textMessage: context.textMessage };
}

/** Refuses (429, "操作太频繁") a post the server's rate limit marked; see authRateLimit in server/http.ts. */
export function refuseWhenRateLimited(context: AppLoadContext) {
  if (context.rateLimited) throw new DomainError("rate_limited", "errors.rateLimited");
}

/** Signed-in actor, or a redirect to the login page that comes back here afterwards. */
export function requireActor(context: AppLoadContext, request: Request): Actor {
  if (context.actor) return context.actor;
  const url = new URL(request.url);
  throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}

/** A 4xx page: the root error boundary translates `messageKey`. */
export function httpError(status: number, messageKey: string): never {
  throw json({ messageKey }, { status });
}

/** A path parameter as a positive integer id (at most nine digits), or null. */
export function parseId(value: string | undefined): number | null {
  return value && /^\d{1,9}$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}

/** Parses a path parameter as a positive integer id; anything else is a 404, never a 500. */
export function idFromParams(value: string | undefined): number {
  return parseId(value) ?? httpError(404, "errors.notFound");
}

/**
 * Reads a form body. Anything but a form encoding (JSON, text) is a 415, a body too large a 413,
 * a broken one a 400 — stock Remix would answer these with a 500. The bytes are counted as they
 * arrive and reading stops at the limit: a chunked body announces no length to check first.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) httpError(415, "errors.unsupportedBody");
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_FORM_BYTES) httpError(413, "errors.tooLarge");
  const bytes = await readBytes(request, MAX_FORM_BYTES);
  try {
    return await new Response(bytes, { headers: { "content-type": type } }).formData();
  } catch {
    httpError(400, "errors.badRequest");
  }
}

/** The body's bytes, at most `max` of them: past that a 413, and the rest is not read. */
async function readBytes(request: Request, max: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      // the server's own limit (or a dropped connection) ended the stream
      httpError(400, "errors.badRequest");
    }
    if (next.done) break;
    size += next.value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      httpError(413, "errors.tooLarge");
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

export async function parseForm<S extends z.ZodTypeAny>(request: Request, schema: S) {
  const formData = await readForm(request);
  return parseWithZod(formData, { schema });
}


/**
 * Runs a form action: invalid input answers 400 with field messages; a DomainError answers its
 * 4xx with the message beside its field (or at the top); anything else is a real fault.
 */
export async function formAction<S extends z.ZodTypeAny>(
  request: Request,
  schema: S,
  run: (value: z.output<S>) => Promise<Response | Record<string, unknown>>,
  intent?: string,
) {
  const submission = await parseForm(request, schema);
  if (submission.status !== "success") return json({ intent, result: invalidReply(submission) }, { status: 400 });
  try {
    const out = await run(submission.value as z.output<S>);
    if (out instanceof Response) return out;
    return json({ intent, result: submission.reply({ resetForm: true }), ...out });
  } catch (e) {
    // an irreversible command posted without its confirmation: the page shows the step again (`confirm`)
    if (e instanceof DomainError && e.code === "unconfirmed") return json({ intent, confirm: String(e.params.what), result: domainErrorReply(submission, e) }, { status: statusOf(e) });
    if (e instanceof DomainError) return json({ intent, result: domainErrorReply(submission, e) }, { status: statusOf(e) });
    throw e;
  }
}

/** Reads just the `intent` of a multi-form page without consuming the body the action parses. */
export async function intentOf(request: Request): Promise<string> {
  const form = await readForm(request.clone());
  const v = form.get("intent");
  return typeof v === "string" ? v.slice(0, 40) : "";
}

/** Turns a DomainError thrown in a loader into a translated error page with the right status. */
export async function loaderGuard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof DomainError) {
      if (e.code === "unauthenticated") throw redirect("/login");
      httpError(statusOf(e), e.messageKey);
    }
    throw e;
  }
}

export function sessionCookie(context: AppLoadContext, token: string | null, expires?: Date) {
  return serialize(SESSION_COOKIE, token ?? "", {
    httpOnly: true,
    sameSite: "lax",
    secure: context.secureCookies,
    path: "/",
    ...(token ? { expires } : { maxAge: 0 }),
  });
}

const NEXT_BASE = "http://next.invalid";

/**
 * Only a path of this site may be a redirect target taken from input (`next` after sign-in, the
 * language switch). The input is resolved as a URL the way a browser would (tabs and newlines
 * dropped, backslashes read as slashes, dot segments collapsed) and kept only if it stays on this
 * origin and does not come out as a scheme-relative "//host" path; a string check alone passes
 * "/\t/evil.example", which Chromium follows to evil.example. The path comes back as the URL
 * parser writes it (percent-encoded ASCII): a control character or a Chinese search term would
 * otherwise put a character into the Location header that Node refuses (a 500).
 */
export function safeNext(next: string | null | undefined, fallback = "/") {
  if (!next || !next.startsWith("/") || next.length > 2000) return fallback;
  let url: URL;
  try {
    url = new URL(next, NEXT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== NEXT_BASE) return fallback;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("/") && !path.startsWith("//") && path.length <= 500 ? path : fallback;
}

/**
 * A page's query string through its schema: a value the schema cannot take is a 400 page, never
 * a 500. Each key's last value counts (`?q=a&q=b` is "b").
 */
export function queryOf<S extends z.ZodTypeAny>(request: Request, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) httpError(400, "errors.badRequest");
  return parsed.data as z.output<S>;
}
