import type { Locale } from ".";

/** A whole catalogue, fetched as its own chunk: a page never downloads the other language. */
export function fetchCatalogue(locale: Locale): Promise<Partial<Record<string, string>>> {
  return locale === "en" ? import("./en").then((m) => m.en) : import("./zh-CN").then((m) => m.zhCN);
}
