import { useRouteLoaderData } from "@remix-run/react";
import { useCallback, useSyncExternalStore } from "react";
import { parseMsg } from "~/modules/shared/messages";
import { catalogueStore, DEFAULT_LOCALE, formatTime, translate, type Locale, type MessageKey, type Params } from ".";

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>("root");
  return data?.locale ?? DEFAULT_LOCALE;
}

/** `t(key, params)` in the page's language; `t.msg(m)` translates a form message ("key|{params}"). */
export function useT() {
  const locale = useLocale();
  // renders again when the browser has fetched the whole catalogue (the page came with only its own messages)
  const version = useSyncExternalStore(catalogueStore.subscribe, catalogueStore.version, () => 0);
  const t = useCallback((key: MessageKey, params?: Params) => translate(locale, key, params), [locale, version]) as ((key: MessageKey, params?: Params) => string) & {
    msg: (m: string) => string;
    time: (d: Date | string) => string;
    locale: Locale;
  };
  t.msg = (m: string) => {
    const { key, params } = parseMsg(m);
    return translate(locale, key, params);
  };
  t.time = (d) => formatTime(locale, d);
  t.locale = locale;
  return t;
}
