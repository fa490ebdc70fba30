import type { MessageKey } from "~/i18n";

export type DomainErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "invalid_state"
  | "conflict"
  | "validation"
  | "rate_limited";

/** A rule of the product said no. `message` is a catalogue key; adapters translate it. */
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

export const httpStatusOf: Record<DomainErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_state: 409,
  conflict: 409,
  validation: 400,
  rate_limited: 429,
};
