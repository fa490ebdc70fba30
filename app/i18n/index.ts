import { en } from "./en";
import { zhCN, type MessageKey } from "./zh-CN";

export type { MessageKey };
export type Locale = "zh-CN" | "en";
export const LOCALES: Locale[] = ["zh-CN", "en"];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export const TIME_ZONE = "Asia/Shanghai";

const catalogues: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

export type Params = Record<string, string | number | undefined>;

export function isMessageKey(k: string): k is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, k);
}

/** An instant as stored in a parameter: "2026-12-06T07:10:45.535Z" (or with an offset). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function translate(locale: Locale, key: MessageKey | string, params: Params = {}): string {
  const cat = catalogues[locale] ?? catalogues[DEFAULT_LOCALE];
  const template = isMessageKey(key) ? cat[key] : key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = String(params[name] ?? "");
    // a parameter written "@key" is itself a catalogue entry (e.g. a state name inside a notification)
    if (v.startsWith("@") && isMessageKey(v.slice(1))) return cat[v.slice(1) as MessageKey];
    // an instant (a notification's deadline, stored when it was written) is shown in Beijing time in
    // the reader's language, through the one formatter, never as raw UTC
    return INSTANT.test(v) ? formatTime(locale, v) : v;
  });
}

/** cookie first, then Accept-Language, else zh-CN. */
export function pickLocale(cookieValue: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (cookieValue === "en" || cookieValue === "zh-CN") return cookieValue;
  const wanted = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag, q] = part.trim().split(";q=");
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q);
  for (const w of wanted) {
    if (w.tag.startsWith("zh")) return "zh-CN";
    if (w.tag.startsWith("en")) return "en";
  }
  return DEFAULT_LOCALE;
}

// Building a DateTimeFormat with a time zone costs ~0.2 ms; a page with a long timeline calls
// this hundreds of times, so each locale's formatter is made once (immutable, safe to share).
const timeFormats: Record<Locale, Intl.DateTimeFormat> = {
  "zh-CN": new Intl.DateTimeFormat("zh-CN", { timeZone: TIME_ZONE, dateStyle: "medium", timeStyle: "short" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, dateStyle: "medium", timeStyle: "short" }),
};

export function formatTime(locale: Locale, d: Date | string) {
  return (timeFormats[locale] ?? timeFormats[DEFAULT_LOCALE]).format(typeof d === "string" ? new Date(d) : d);
}
