import { translate } from "~/i18n";
import type { Delivery } from "./outbox.server";

/**
 * What one outside message says, in the recipient's language: a one-line summary, the notices it
 * carries (a burst or a digest: one line each, oldest first) and the page it points to.
 */
export function messageOf(d: Delivery): { summary: string; lines: string[]; link: string | null } {
  if (!d.bundle) return { summary: translate(d.locale, d.kind, d.params), lines: [], link: d.link };
  const items = d.bundle.items;
  const lines = items.map((i) => translate(d.locale, i.kind, i.params));
  if (d.bundle.type === "digest") return { summary: translate(d.locale, "notifications.bundle.digest", { count: items.length }), lines, link: "/notifications" };
  const last = items[items.length - 1]!;
  const title = [...items].reverse().find((i) => typeof i.params.title === "string")?.params.title ?? translate(d.locale, "notifications.bundle.someMatter");
  return { summary: translate(d.locale, "notifications.bundle.burst", { count: items.length, title }), lines, link: last.link ?? d.link };
}
