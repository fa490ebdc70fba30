import { DomainError } from "../../app/modules/shared/errors";

/** The one place that turns a command's DomainError into an error ack. */
export async function answer(ack: unknown, run: () => Promise<unknown>) {
  const reply = typeof ack === "function" ? (ack as (r: unknown) => void) : () => {};
  try {
    reply({ ok: true, data: await run() });
  } catch (e) {
    if (e instanceof DomainError) reply({ ok: false, error: { code: e.code, message: e.messageKey, params: e.params } });
    else reply({ ok: false, error: { code: "internal", message: "errorPage.body.500" } });
  }
}
