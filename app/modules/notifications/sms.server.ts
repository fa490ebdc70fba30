/**
 * The SMS channel: a provider interface (Alibaba Cloud, Tencent Cloud, or `console` for
 * development) behind one channel that composes the text, counts its segments and keeps quiet
 * hours. Messages are short: the signature, the notice in the recipient's language, nothing else.
 */
import { messageOf } from "./compose";
import { BEIJING_OFFSET_MS } from "../shared/beijing-time";
import type { ChannelSender, Delivery } from "./outbox.server";

/** One SMS provider: sends one text to one mainland number or throws. */
export interface SmsProvider {
  readonly name: string;
  /** `delivery`: the outbox row a notice comes from; none for a code sent at once (sign-in help) */
  send(message: { to: string; text: string; segments: number; delivery?: Delivery }): Promise<void>;
}

/** A text of up to 70 characters (UCS-2, as any Chinese text is) is one segment; longer ones go in parts of 67. */
export function smsSegments(text: string) {
  const n = [...text].length;
  return n <= 70 ? 1 : Math.ceil(n / 67);
}

/** No SMS from 21:00 to 08:00 Beijing time. */
export const QUIET_FROM_HOUR = 21;
export const QUIET_UNTIL_HOUR = 8;

/** When a message that would go out at `now` may be sent: `now` outside quiet hours, else the next 08:00 Beijing time. */
export function afterQuietHours(now: Date): Date | null {
  const local = new Date(now.getTime() + BEIJING_OFFSET_MS);
  const hour = local.getUTCHours();
  if (hour >= QUIET_UNTIL_HOUR && hour < QUIET_FROM_HOUR) return null;
  const until = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), QUIET_UNTIL_HOUR) - BEIJING_OFFSET_MS);
  return hour >= QUIET_FROM_HOUR ? new Date(until.getTime() + 86_400_000) : until;
}

export function composeSms(d: Delivery, signature: string) {
  // a burst or digest says how many notices wait, not each one: a text stays short
  const text = `【${signature}】${messageOf(d).summary}`;
  return { text, segments: smsSegments(text) };
}

function isUrgent(d: Delivery) {
  const kinds = d.bundle ? d.bundle.items.map((i) => i.kind) : [d.kind];
  return d.urgentKinds.length > 0 && kinds.every((k) => d.urgentKinds.includes(k));
}

/** The channel over one provider; `holdUntil` keeps quiet hours. */
export function smsChannel(provider: SmsProvider, opts: { signature: string }): ChannelSender {
  return {
    // what the person marked urgent goes out at night too (every notice in it, when bundled)
    holdUntil: (d, now) => (isUrgent(d) ? null : afterQuietHours(now)),
    async send(d) {
      if (!d.phone) throw new Error("no mobile number");
      const { text, segments } = composeSms(d, opts.signature);
      await provider.send({ to: d.phone, text, segments, delivery: d });
    },
  };
}

/** A text sent now, outside the outbox and quiet hours: a code the person has just asked for. */
export function textMessageSender(provider: SmsProvider, opts: { signature: string }) {
  return (to: string, body: string) => {
    const text = `【${opts.signature}】${body}`;
    return provider.send({ to, text, segments: smsSegments(text) });
  };
}

/** Development: writes each message to the log instead of sending it. */
export function consoleSmsProvider(write: (line: Record<string, unknown>) => void): SmsProvider {
  return {
    name: "console",
    async send({ to, text, segments, delivery }) {
      write({ sms: true, to, segments, key: delivery?.key ?? null, text });
    },
  };
}
