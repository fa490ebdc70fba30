import type { ActionFunction, AppLoadContext, LoaderFunction } from "@remix-run/node";
import type { Db } from "../../db/client";
import type { Actor } from "../../app/modules/accounts/actor";
import { systemClock } from "../../app/modules/shared/clock";
import { EventBus } from "../../app/modules/shared/events";

/** The load context the Express server would build, for calling route loaders and actions directly. */
export function loadContext(db: Db, actor: Actor | null, token?: string): AppLoadContext {
  return {
    db,
    events: new EventBus(),
    clock: systemClock,
    nonce: "test",
    requestId: "test",
    locale: "zh-CN",
    actor,
    sessionToken: token ?? (actor ? "test-token" : undefined),
    secureCookies: false,
    ip: "127.0.0.1",
  } as unknown as AppLoadContext;
}

export function formBody(fields: Record<string, string | string[] | undefined>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) body.append(k, x);
  return body;
}

/** Calls a route function the way Remix would and returns status and JSON, whether it returned or threw a Response. */
export async function callRoute(
  fn: ActionFunction | LoaderFunction,
  opts: { url?: string; method?: string; body?: BodyInit; headers?: Record<string, string>; params?: Record<string, string>; context: AppLoadContext },
) {
  const request = new Request(`http://localhost${opts.url ?? "/"}`, {
    method: opts.method ?? (opts.body ? "POST" : "GET"),
    body: opts.body,
    headers: opts.body instanceof URLSearchParams ? { "content-type": "application/x-www-form-urlencoded", ...opts.headers } : opts.headers,
    // a stream body (a chunked post, no length up front) needs this
    ...(opts.body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  let res: unknown;
  try {
    res = await fn({ request, params: opts.params ?? {}, context: opts.context });
  } catch (e) {
    if (e instanceof Response) res = e;
    else throw e;
  }
  if (!(res instanceof Response)) return { status: 200, data: res as Record<string, any>, headers: new Headers() };
  const text = await res.text();
  let data: Record<string, any> = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { text };
  }
  return { status: res.status, data, headers: res.headers };
}
