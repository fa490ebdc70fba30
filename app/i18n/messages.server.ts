import { AsyncLocalStorage } from "node:async_hooks";
import { setMessageRecorder, type Locale } from ".";

type Used = Map<Locale, Record<string, string>>;
const store = new AsyncLocalStorage<Used>();

setMessageRecorder((locale, key, message) => {
  const used = store.getStore();
  if (!used) return;
  let m = used.get(locale);
  if (!m) used.set(locale, (m = {}));
  m[key] = message;
});

/** Runs a page's render, remembering every catalogue message it looks up. */
export function withMessageRecording<T>(fn: () => T): T {
  return store.run(new Map(), fn);
}

/**
 * The messages of `locale` looked up so far in this render, as the JSON the page carries for the
 * browser to hydrate with (so a page ships its own few hundred messages, not the catalogue).
 */
export function usedMessagesJson(locale: Locale): string {
  const used = store.getStore()?.get(locale) ?? {};
  return JSON.stringify(used).replace(/</g, "\\u003c");
}
