import type { MetaFunction } from "@remix-run/node";
import { translate, type Locale, type MessageKey } from ".";

/** A page title "<page> — 议事" in the page's language, from a catalogue key. */
export function titleMeta(key: MessageKey, params: (data: unknown) => Record<string, string | number> = () => ({})): MetaFunction {
  return ({ data, matches }) => {
    const locale = ((matches[0]?.data as { locale?: Locale } | undefined)?.locale ?? "zh-CN") as Locale;
    return [{ title: `${translate(locale, key, params(data))} — ${translate(locale, "app.name")}` }];
  };
}
