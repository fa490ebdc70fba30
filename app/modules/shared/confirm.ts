import * as z from "zod";
import { DomainError } from "./errors";

/**
 * The field an irreversible command's form carries from its confirmation step (`confirm=yes`).
 * Optional in the schema so that a post without it reaches `requireConfirmed`, which answers
 * with the confirmation step instead of a field error.
 */
export const ConfirmField = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().max(10).optional());

/**
 * Irreversible commands (close a room or a vote, cancel a vote, draw, reject, annul, withdraw,
 * merge, cancel an activity) run only when the request says it was confirmed: a form posted
 * without the confirmation step, or a script, gets `unconfirmed` and nothing changes.
 * `what` names the step to show (the `?confirm=<what>` of the page).
 */
export function requireConfirmed(input: { confirm?: string }, what: string) {
  if (input.confirm !== "yes") throw new DomainError("unconfirmed", "confirm.required", { what });
}
