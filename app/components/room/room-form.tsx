import { Form } from "@remix-run/react";
import { useState, type FormEvent, type ReactNode } from "react";
import { useT } from "~/i18n/use-t";
import type { Ack } from "~/realtime/use-room";

export type Send = (action: Record<string, unknown>) => Promise<Ack>;

/** What every room form needs to go over the socket when it can. */
export interface Live {
  send: Send;
  live: boolean;
}

/**
 * A form that posts plainly without JavaScript; with a live connection it goes over the socket
 * (retried with one key) and the page updates from the room's events.
 */
export function RoomForm({ intent, send, live, children, className, label }: Live & { intent: string; children: ReactNode; className?: string; label?: string }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    if (!live) return;
    e.preventDefault();
    const form = e.currentTarget;
    const action = Object.fromEntries(new FormData(form).entries());
    setBusy(true);
    const r = await send(action);
    setBusy(false);
    if (r.ok) {
      setError(null);
      if (intent === "post" || intent === "ask" || intent === "hide") form.reset();
    } else setError(r.error.message);
  };
  return (
    <Form method="post" className={className} noValidate onSubmit={onSubmit} aria-label={label} aria-busy={busy || undefined}>
      <input type="hidden" name="intent" value={intent} />
      {error ? (
        <p className="field-error" role="alert">
          {t.msg(error)}
        </p>
      ) : null}
      {children}
    </Form>
  );
}

export function Button({ children, secondary }: { children: ReactNode; secondary?: boolean }) {
  return (
    <button type="submit" className={secondary ? "secondary" : undefined}>
      {children}
    </button>
  );
}
