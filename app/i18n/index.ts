import * as server from "./catalogues.server";
import type { MessageKey } from "./zh-CN";

export type { MessageKey };
export type Locale = "zh-CN" | "en";
export const LOCALES: Locale[] = ["zh-CN", "en"];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export const TIME_ZONE = "Asia/Shanghai";

type Catalogue = Partial<Record<string, string>>;

/**
 * Whole catalogues: on the server both (catalogues.server.ts); in the browser (where that module
 * is empty) none at first, then the page's language once load.client.ts has fetched it.
 */
const catalogues: Partial<Record<Locale, Catalogue>> = { ...(server.catalogues ?? {}) };
/** In the browser until the whole catalogue arrives: the messages the server used for this page. */
let page: { locale: Locale; messages: Catalogue } | null = null;
let recorder: ((locale: Locale, key: string, message: string) => void) | null = null;
let loader: ((locale: Locale) => Promise<Catalogue>) | null = null;
let version = 0;
let missed = false;
const listeners = new Set<() => void>();

const has = (o: Catalogue | undefined, k: string) => !!o && Object.prototype.hasOwnProperty.call(o, k);

function lookup(locale: Locale, key: string): string | undefined {
  const cat = catalogues[locale] ?? catalogues[DEFAULT_LOCALE];
  if (has(cat, key)) {
    recorder?.(locale, key, cat![key]!);
    return cat![key];
  }
  if (page?.locale === locale && has(page.messages, key)) return page.messages[key];
  if (!catalogues[locale]) {
    // something the server did not render (a validation message, a live update, another page):
    // shown as its key for a moment, then again in words when the catalogue arrives
    missed = true;
    void loadCatalogue(locale);
  }
  return undefined;
}

/** Server: every message looked up while a page renders goes to `record` (see messages.server.ts). */
export function setMessageRecorder(record: typeof recorder) {
  recorder = record;
}

/** Browser: the messages the server put in the page, and how to fetch a whole catalogue. */
export function installPageMessages(locale: Locale, messages: Catalogue, load: (locale: Locale) => Promise<Catalogue>) {
  page = { locale, messages };
  loader = load;
}

const loading = new Map<Locale, Promise<void>>();
/** Fetches a whole catalogue (once); components using useT render again when it arrives. */
export function loadCatalogue(locale: Locale): Promise<void> {
  if (catalogues[locale] || !loader) return Promise.resolve();
  let p = loading.get(locale);
  if (!p) {
    p = loader(locale).then((cat) => {
      catalogues[locale] = cat;
      // what is on screen came from the page's own messages and reads the same: render again only
      // if something was missing
      if (missed) {
        missed = false;
        version++;
        for (const l of listeners) l();
      }
    });
    p.catch(() => loading.delete(locale));
    loading.set(locale, p);
  }
  return p;
}

/** For useSyncExternalStore: changes when a catalogue arrives. */
export const catalogueStore = {
  subscribe(l: () => void) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  version: () => version,
};

export type Params = Record<string, string | number | undefined>;

export function isMessageKey(k: string): k is MessageKey {
  const any = catalogues["zh-CN"] ?? catalogues.en;
  if (any) return has(any, k);
  return !!page && has(page.messages, k);
}

/** An instant as stored in a parameter: "2026-12-06T07:10:45.535Z" (or with an offset). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function translate(locale: Locale, key: MessageKey | string, params: Params = {}): string {
  const template = lookup(locale, key) ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = String(params[name] ?? "");
    // a parameter written "@key" is itself a catalogue entry (e.g. a state name inside a notification)
    const inner = v.startsWith("@") ? lookup(locale, v.slice(1)) : undefined;
    if (inner !== undefined) return inner;
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
