import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { installPageMessages, loadCatalogue, type Locale } from "./i18n";
import { fetchCatalogue } from "./i18n/load.client";
import { readPageMessages } from "./i18n/page-messages";

// Hydrate with the messages the server used for this page; the page's whole catalogue (for what
// only the browser renders: validation messages, live updates, the next page) follows when idle.
const locale: Locale = document.documentElement.lang === "en" ? "en" : "zh-CN";
installPageMessages(locale, readPageMessages(), fetchCatalogue);

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});

const idle = (fn: () => void) => ("requestIdleCallback" in window ? window.requestIdleCallback(fn, { timeout: 3000 }) : setTimeout(fn, 1000));
idle(() => void loadCatalogue(locale));
