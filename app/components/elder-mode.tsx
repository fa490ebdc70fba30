import { Form, Link, useLocation } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

/** What the root loader says about 长辈模式 for this request. */
export type ElderState = { on: boolean; offer: boolean; communityId: number | null };

function useHere() {
  const location = useLocation();
  return location.pathname + location.search;
}

/**
 * The header's clearly marked switch: a plain form post (no JavaScript needed), so it works the
 * same on every page. The text says what pressing it does.
 */
export function ElderSwitch({ on }: { on: boolean }) {
  const t = useT();
  const here = useHere();
  return (
    <Form method="post" action="/elder-mode" reloadDocument className="elder-switch">
      <input type="hidden" name="mode" value={on ? "off" : "on"} />
      <input type="hidden" name="next" value={here} />
      <button type="submit" className="elder-switch-button" title={t(on ? "elder.switchHintOff" : "elder.switchHintOn")} aria-pressed={on}>
        {t(on ? "elder.switchOff" : "elder.switchOn")}
      </button>
    </Form>
  );
}

/** The few things a resident does, for the simplified menu of 长辈模式 (the notifications link is the live one, placed by the header). */
export function ElderNavLinks({ communityId, signedIn }: { communityId: number | null; signedIn: boolean }) {
  const t = useT();
  const matters = communityId ? `/communities/${communityId}/matters` : "/communities";
  const votes = communityId ? `/communities/${communityId}/matters?state=voting` : "/communities";
  return (
    <>
      <li>
        <Link to={matters}>{t("elder.nav.matters")}</Link>
      </li>
      <li>
        <Link to={votes}>{t("elder.nav.votes")}</Link>
      </li>
      {signedIn ? (
        <li>
          <Link to="/volunteers/records">{t("elder.nav.hours")}</Link>
        </li>
      ) : null}
    </>
  );
}

/** Offered once, on a phone's first visit: a form with two answers; either one is remembered by the cookie. */
export function ElderOffer() {
  const t = useT();
  const here = useHere();
  return (
    // no heading: it comes before the page's own h1
    <aside className="notice elder-offer" aria-labelledby="elder-offer-title">
      <p id="elder-offer-title" className="elder-offer-title">
        {t("elder.offer.title")}
      </p>
      <p>{t("elder.offer.body")}</p>
      <Form method="post" action="/elder-mode" reloadDocument className="button-row">
        <input type="hidden" name="next" value={here} />
        <button type="submit" name="mode" value="on">
          {t("elder.offer.accept")}
        </button>
        <button type="submit" name="mode" value="off" className="secondary">
          {t("elder.offer.decline")}
        </button>
      </Form>
    </aside>
  );
}

/** Every page's footer: the accessibility statement is one link away. */
export function SiteFooter() {
  const t = useT();
  return (
    <footer className="site-footer" aria-label={t("footer.label")}>
      <div className="footer-inner">
        <Link to="/accessibility">{t("footer.accessibility")}</Link>
      </div>
    </footer>
  );
}
