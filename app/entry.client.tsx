import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { installPageMessages, loadCatalogue, type Locale } from "./i18n";
import { fetchCatalogue } from "./i18n/load.client";
import { readPageMessages } from "./i18n/page-messages";

// Hydrate with the messages the server used for this page. The page's whole catalogue (for what
// only the browser renders: validation messages, live updates, the next page) is fetched when the
// reader first interacts, or as soon as something needs a message the page did not carry.
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

const fetchOnce = () => void loadCatalogue(locale);
for (const type of ["pointerdown", "keydown", "focusin", "touchstart"]) window.addEventListener(type, fetchOnce, { once: true, passive: true, capture: true });
