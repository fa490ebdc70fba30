import type { MessageKey } from "~/i18n";

export type DomainErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "invalid_state"
  | "conflict"
  | "validation"
  | "rate_limited"
  /** An irreversible command came without its confirmation (`confirm=yes` from the confirmation step). */
  | "unconfirmed";

/**
 * A rule of the product said no. `message` is a catalogue key; adapters translate it, and map the
 * code to an HTTP status or a socket ack in one place (app/web/errors.server.ts).
 */
export class DomainError extends Error {
  constructor(
    public readonly code: DomainErrorCode,
    public readonly messageKey: MessageKey,
    public readonly params: Record<string, string | number> = {},
    /** For validation errors: the field the message belongs to. */
    public readonly field?: string,
  ) {
    super(`${code}: ${messageKey}`);
    this.name = "DomainError";
  }
}
