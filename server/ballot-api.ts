import type http from "node:http";
import { parseWithZod } from "@conform-to/zod/v4";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import type { MessageKey } from "../app/i18n";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { tokenId } from "../app/modules/accounts/sessions.server";
import { castBallots, type BallotAnswer, type BallotPost } from "../app/modules/matters/voting/cast.server";
import { formatReceipt, newBallotKey } from "../app/modules/matters/voting/receipts.server";
import { CastBallotSchema } from "../app/modules/matters/voting/schemas";
import type { Clock } from "../app/modules/shared/clock";
import { DomainError } from "../app/modules/shared/errors";
import type { EventBus } from "../app/modules/shared/events";
import { sessionTokenOf } from "../app/web/actor.server";
import { domainErrorReply, invalidReply, statusOf } from "../app/web/errors.server";
import { parseId } from "../app/web/http.server";
import { msg } from "../app/modules/shared/validation";
import type { Settings } from "../app/modules/shared/settings";
import { batched } from "./batch";
import { bodyRefusal, isCrossOrigin } from "./http";

/** A ballot form is a few short fields; anything larger is not one. */
export const MAX_BALLOT_BYTES = 8 * 1024;
/**
 * Ballot posts one signed-in session may make in a minute: a voter casts, retries and changes a
 * few times; a script posting in a loop is told to wait (429) before anything reads the database.
 */
export const BALLOT_LIMIT = { points: 20, seconds: 60 };
const PATH = /^\/api\/votes\/([^/?#]*)\/ballot(?:\?[^#]*)?$/;
const INTENT = "cast";

export interface BallotApiDeps {
  db: Db;
  events: EventBus;
  clock: Clock;
  log: Logger;
  publicOrigin?: string;
  /** The configuration's settings: the session policy and the ballot key reach castBallots through them. */
  settings?: Settings;
}

/**
 * The vote page's ballot form, posted by its script: `POST /api/votes/<id>/ballot` with the form's
 * own fields. The same command as the page's form action (castBallots, which the action calls for
 * one post) and the same replies, as JSON, without rendering the page again; the form still posts
 * to the page's action when there is no JavaScript. It is answered before Express so a vote's rush
 * of ballots pays for the ballot alone, and so it does its own guarding: same origin, a form body
 * of a ballot's size, a session cookie (its token read as resolveActor reads it). castBallots looks
 * the session up in the same read as the ballot, with accounts' live-session SQL, and decides who
 * may vote on what. Every refusal is a 4xx with a message key, mapped as every adapter maps it.
 */
export function ballotApi(deps: BallotApiDeps) {
  // when a vote opens everyone posts at once: posts that arrive together share their statements
  // (one read with their sessions, one insert, one update for the lot)
  const cast = batched<BallotPost, BallotAnswer | DomainError>((posts) => castBallots(deps, posts), { maxItems: 100, maxInFlight: 4 });
  // per session (a session is one user's; a new one needs a sign-in, itself limited), per process
  const limiter = new RateLimiterMemory({ keyPrefix: "ballot", points: BALLOT_LIMIT.points, duration: BALLOT_LIMIT.seconds });
  const served: Served = { ...deps, cast, limiter };
  return {
    handles: (req: http.IncomingMessage) => req.method === "POST" && !!req.url?.startsWith("/api/votes/") && PATH.test(req.url),
    serve: (req: http.IncomingMessage, res: http.ServerResponse) => {
      serveBallot(served, req, res).catch((err: Error) => {
        deps.log.error({ err: err.message, url: req.url }, "ballot API fault");
        if (!res.headersSent) answer(res, 500, { intent: INTENT, result: formError("errorPage.body.500") });
        else res.destroy();
      });
    },
  };
}

function answer(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.end(text);
}

/** A conform-shaped reply with one message at the top of the form. */
const formError = (key: MessageKey) => ({ status: "error", error: { "": [msg(key)] } });

/** The body as text, or null as soon as it is longer than `max` (the rest is not read). */
function readBody(req: http.IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      resolve(null);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

interface Served extends BallotApiDeps {
  cast: (post: BallotPost) => Promise<BallotAnswer | DomainError>;
  limiter: RateLimiterMemory;
}

async function serveBallot(deps: Served, req: http.IncomingMessage, res: http.ServerResponse) {
  const refuse = (status: number, key: MessageKey) => {
    deps.log.warn({ status, url: req.url }, "ballot refused");
    answer(res, status, { intent: INTENT, result: formError(key) });
  };
  if (isCrossOrigin(req.headers, deps.publicOrigin)) return refuse(403, "errors.crossOrigin");
  const refused = bodyRefusal(req.headers, MAX_BALLOT_BYTES);
  if (refused) return refuse(refused.status, refused.key);
  if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) return refuse(415, "errors.unsupportedBody");
  const body = await readBody(req, MAX_BALLOT_BYTES);
  if (body === null) {
    // answer now and close the connection: the rest of an oversized body is not read
    res.setHeader("connection", "close");
    return refuse(413, "errors.tooLarge");
  }
  const voteId = parseId(PATH.exec(req.url ?? "")?.[1]);
  if (!voteId) return refuse(404, "errors.notFound");
  const sessionToken = sessionTokenOf(req.headers.cookie);
  if (!sessionToken) return refuse(401, "errors.unauthenticated");
  try {
    await deps.limiter.consume(tokenId(sessionToken));
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    res.setHeader("retry-after", String(Math.max(1, Math.ceil(e.msBeforeNext / 1000))));
    return refuse(429, "errors.rateLimited");
  }

  const form = new URLSearchParams(body);
  const parsed = CastBallotSchema.safeParse({ choices: form.getAll("choices"), idem: form.get("idem") || undefined, receipt: form.get("receipt") || undefined });
  // the field messages of a refused form come from conform, as the page's own action gives them
  const submission = () => parseWithZod(form, { schema: CastBallotSchema });
  if (!parsed.success) {
    deps.log.warn({ status: 400, url: req.url }, "ballot refused");
    return answer(res, 400, { intent: INTENT, result: invalidReply(submission()) });
  }
  const r = await deps.cast({ sessionToken, voteId, ...parsed.data });
  if (r instanceof DomainError) {
    deps.log.warn({ status: statusOf(r), url: req.url, error: r.messageKey }, "ballot refused");
    return answer(res, statusOf(r), { intent: INTENT, result: domainErrorReply(submission(), r) });
  }
  // a fresh form key for the next change: a later post is a new ballot form, never this one again
  answer(res, 200, { intent: INTENT, receipt: r.receipt ? formatReceipt(r.receipt) : null, changed: r.changed, idem: newBallotKey() });
}
