/**
 * The e-mail channel: one message per delivery over SMTP (nodemailer), HTML and plain text in the
 * recipient's language, with a signed one-click unsubscribe link (RFC 8058) in the body and in
 * the `List-Unsubscribe` header. The Message-ID is derived from the delivery's idempotency key,
 * so a message re-sent after a crash mid-send carries the same id and mail systems can drop it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import nodemailer from "nodemailer";
import { translate, type Locale } from "~/i18n";
import type { ChannelSender, Delivery } from "./outbox.server";
import type { Channel } from "./levels";
import { messageOf } from "./compose";

export interface EmailSettings {
  /** smtp://user:pass@host:port or smtps://… (SMTP_URL) */
  smtpUrl: string;
  /** the From address (MAIL_FROM) */
  from: string;
  /** the site's public origin, for links in messages */
  origin: string;
  /** the key that signs unsubscribe links (NOTIFY_KEY) */
  unsubscribeKey: string;
}

/** `<user>.<channel>.<mac>`: lets its holder turn that channel off for that person, and nothing else. */
export function unsubscribeToken(key: string, userId: number, channel: Channel) {
  return `${userId}.${channel}.${mac(key, userId, channel)}`;
}

/** The person and channel a token names, or null when it was not signed with `key`. */
export function readUnsubscribeToken(key: string, token: string): { userId: number; channel: Channel } | null {
  const m = /^(\d{1,10})\.(email|sms)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const userId = Number(m[1]);
  const channel = m[2] as Channel;
  const want = Buffer.from(mac(key, userId, channel));
  const got = Buffer.from(m[3]);
  return want.length === got.length && timingSafeEqual(want, got) ? { userId, channel } : null;
}

function mac(key: string, userId: number, channel: Channel) {
  return createHmac("sha256", key).update(`unsubscribe:${userId}:${channel}`).digest("base64url");
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The message for one delivery, in the recipient's language. */
export function composeEmail(d: Delivery, s: Pick<EmailSettings, "origin" | "unsubscribeKey">) {
  const locale: Locale = d.locale;
  const { summary: body, lines, link: path } = messageOf(d);
  const subject = translate(locale, "notifications.email.subject", { summary: body.length > 60 ? `${body.slice(0, 59)}…` : body });
  const link = new URL(path ?? "/notifications", s.origin).toString();
  const unsubscribe = new URL(`/unsubscribe/${unsubscribeToken(s.unsubscribeKey, d.userId, "email")}`, s.origin).toString();
  const greeting = translate(locale, "notifications.email.greeting", { name: d.displayName });
  const open = translate(locale, "notifications.email.open");
  const why = translate(locale, "notifications.email.why");
  const stop = translate(locale, "notifications.email.unsubscribe");
  const list = lines.map((l) => `- ${l}`).join("\n");
  const text = `${greeting}\n\n${body}\n${list ? `\n${list}\n` : ""}\n${open}: ${link}\n\n--\n${why}\n${stop}: ${unsubscribe}\n`;
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(body)}</p>
${lines.length ? `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>\n` : ""}<p><a href="${escapeHtml(link)}">${escapeHtml(open)}</a></p>
<hr><p style="color:#555;font-size:small">${escapeHtml(why)} <a href="${escapeHtml(unsubscribe)}">${escapeHtml(stop)}</a></p>
</body></html>`;
  const host = new URL(s.origin).hostname || "yishi.local";
  return {
    subject,
    text,
    html,
    messageId: `<${d.key.replace(":", ".")}@${host}>`,
    headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

/** The e-mail channel over one pooled SMTP transport. */
export function emailChannel(s: EmailSettings): ChannelSender & { close(): void } {
  // a pool of a few connections: a vote opening in a large community sends thousands at once
  const transport = nodemailer.createTransport({ url: s.smtpUrl, pool: true, maxConnections: 5 } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(d) {
      if (!d.email) throw new Error("no e-mail address");
      const m = composeEmail(d, s);
      await transport.sendMail({ from: s.from, to: d.email, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId, headers: m.headers });
    },
    close: () => transport.close(),
  };
}
