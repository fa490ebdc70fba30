import { usedMessagesJson } from "./messages.server";
import type { Locale } from ".";

const ID = "page-messages";

/**
 * The catalogue messages this page's render used, as JSON for the browser to hydrate with. Rendered
 * last in <body>, after everything that translates. In the browser it renders back the text the
 * server sent, so hydration matches.
 */
export function PageMessages({ locale }: { locale: Locale }) {
  const json = typeof document === "undefined" ? usedMessagesJson(locale) : (document.getElementById(ID)?.textContent ?? "{}");
  return <script id={ID} type="application/json" dangerouslySetInnerHTML={{ __html: json }} />;
}

/** Browser: the messages the server put in the page. */
export function readPageMessages(): Record<string, string> {
  try {
    return JSON.parse(document.getElementById(ID)?.textContent ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}
