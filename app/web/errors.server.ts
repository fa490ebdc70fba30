/**
 * The one mapping from a DomainError to what each web adapter answers: an HTTP status (form
 * actions, loaders, the ballot API), a conform reply with the message beside its field, and a
 * socket.io ack. Domain code only throws DomainError; nothing under app/modules knows of HTTP.
 */
import { DomainError, type DomainErrorCode } from "~/modules/shared/errors";
import { msg } from "~/modules/shared/validation";

export const httpStatusOf: Record<DomainErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_state: 409,
  conflict: 409,
  validation: 400,
  rate_limited: 429,
  // "Precondition Required": the adapters answer with the confirmation step, not a change
  unconfirmed: 428,
};

/** The HTTP status of a DomainError. */
export const statusOf = (e: DomainError) => httpStatusOf[e.code];

const HIDDEN_FIELDS = ["password", "confirm", "current", "idNumber"];
/** What the helpers need of a conform submission (any schema's). */
export type Submission = { reply(options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]>; hideFields?: string[] }): unknown };

/** The conform reply for a DomainError: its message beside its field, or at the top. */
export function domainErrorReply(submission: Submission, e: DomainError) {
  const m = msg(e.messageKey, e.params);
  return submission.reply({ formErrors: e.field ? [] : [m], fieldErrors: e.field ? { [e.field]: [m] } : {}, hideFields: HIDDEN_FIELDS });
}

/** The conform reply for input that did not pass the schema. */
export const invalidReply = (submission: Submission) => submission.reply({ hideFields: HIDDEN_FIELDS });

export type Ack = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; params?: Record<string, string | number> } };

/** The socket ack for a failure: a DomainError says its code and message key; anything else is a fault. */
export function ackError(e: unknown): Ack {
  if (e instanceof DomainError) return { ok: false, error: { code: e.code, message: e.messageKey, params: e.params } };
  return { ok: false, error: { code: "internal", message: "errorPage.body.500" } };
}

/** Runs a socket event's work and acks its result, or its error as ackError maps it. */
export async function answer(ack: unknown, run: () => Promise<unknown>) {
  const reply = typeof ack === "function" ? (ack as (r: Ack) => void) : () => {};
  try {
    reply({ ok: true, data: await run() });
  } catch (e) {
    reply(ackError(e));
  }
}
