import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { ElderNavLinks, ElderOffer, ElderSwitch, SiteFooter, type ElderState } from "./components/elder-mode";
import { useNonce } from "./components/nonce";
import { LiveNotifications } from "./realtime/live-notifications";
import { translate, type Locale, type MessageKey } from "./i18n";
import { PageMessages } from "./i18n/page-messages";
import { useT } from "./i18n/use-t";
import { elderModeOf } from "./modules/accounts/elder-mode.server";
import { getUnreadCount } from "./modules/notifications/notifications.server";
import { commandContext } from "./web/http.server";
import styles from "./styles.css";
import elderStyles from "./elder.css";

const ICON =
  "data:image/svg+xml," +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#a4161a"/><text x="16" y="23" font-size="18" text-anchor="middle" fill="#fff">议</text></svg>');

/** Every page has a title; routes with their own meta replace it. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: translate(data?.locale ?? "zh-CN", "app.name") }];

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: elderStyles },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = commandContext(context);
  const actor = context.actor;
  const unread = actor ? await getUnreadCount(ctx) : 0;
  return json({
    locale: context.locale,
    user: actor ? { id: actor.id, name: actor.displayName, isAdmin: actor.roles.some((r) => r.role === "town_admin" || r.role === "county_admin") } : null,
    unread,
    // 长辈模式 (issue 22): the account's choice, else the browser's cookie; the simplified menu links to the person's own community
    elder: {
      ...elderModeOf(actor, request.headers.get("cookie"), request.headers.get("user-agent")),
      communityId: actor?.memberships.find((m) => m.status === "verified")?.communityId ?? null,
    } satisfies ElderState,
  });
}

export type RootData = Awaited<ReturnType<typeof loader>> extends { json(): Promise<infer T> } ? T : never;

function Header() {
  const t = useT();
  const data = useRouteLoaderData<typeof loader>("root");
  const location = useLocation();
  const here = location.pathname + location.search;
  const elder = data?.elder;
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <div className="header-inner">
        <Link to="/" className="brand">
          {t("app.name")}
        </Link>
        <ElderSwitch on={!!elder?.on} />
        {/* on a phone the links fold behind one button (a checkbox and its label: no JavaScript needed) */}
        <input type="checkbox" id="nav-toggle" className="nav-toggle" aria-controls="site-nav" />
        <label htmlFor="nav-toggle" className="nav-toggle-label">
          {t("nav.menuButton")}
        </label>
        <nav aria-label={t("nav.menu")} id="site-nav">
          <ul>
            {elder?.on ? (
              <ElderNavLinks communityId={elder.communityId} signedIn={!!data?.user} />
            ) : (
              <>
                <li>
                  <Link to="/communities">{t("nav.communities")}</Link>
                </li>
                <li>
                  <Link to="/volunteers">{t("nav.volunteers")}</Link>
                </li>
                <li>
                  <Link to="/search">{t("search.title")}</Link>
                </li>
              </>
            )}
            {data?.user ? (
              <>
                <li>
                  <LiveNotifications initial={data.unread} userId={data.user.id} />
                </li>
                <li>
                  <Link to="/account">{t("nav.account")}</Link>
                </li>
                {data.user.isAdmin && !elder?.on ? (
                  <li>
                    <Link to="/admin">{t("nav.admin")}</Link>
                  </li>
                ) : null}
                <li>
                  <Form method="post" action="/logout">
                    <button type="submit" className="link-button">
                      {t("nav.logout")}
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <>
                <li>
                  <Link to={`/login?next=${encodeURIComponent(here)}`}>{t("nav.login")}</Link>
                </li>
                <li>
                  <Link to="/signup">{t("nav.signup")}</Link>
                </li>
              </>
            )}
            <li>
              <Form method="post" action="/language" reloadDocument>
                <input type="hidden" name="lang" value={t.locale === "en" ? "zh-CN" : "en"} />
                <input type="hidden" name="next" value={here} />
                <button type="submit" className="link-button" lang={t.locale === "en" ? "zh-CN" : "en"}>
                  {t("lang.switch")}
                </button>
              </Form>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}

function Document({ children, locale, title }: { children: React.ReactNode; locale: Locale; title?: string }) {
  const nonce = useNonce();
  const elderOn = useRouteLoaderData<typeof loader>("root")?.elder?.on;
  return (
    <html lang={locale} data-mode={elderOn ? "elder" : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* one description for every page (a route's own meta replaces its parent's, so it is rendered here, not by meta()) */}
        <meta name="description" content={translate(locale, "app.tagline")} />
        <link rel="icon" href={ICON} />
        {/* zod, where a page validates in the browser, must not compile parsers with new Function: the
            Content Security Policy forbids eval and the browser reports zod's probe in its issues panel.
            zod reads this global when it loads, so it is set before any module runs. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: "globalThis.__zod_globalConfig={jitless:true}" }} />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <PageMessages locale={locale} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <Document locale={data?.locale ?? "zh-CN"}>
      <Header />
      <main id="main" tabIndex={-1}>
        {data?.elder?.offer ? <ElderOffer /> : null}
        <Outlet />
      </main>
      <SiteFooter />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const locale: Locale = data?.locale ?? (typeof document !== "undefined" && document.documentElement.lang === "en" ? "en" : "zh-CN");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const known = [400, 401, 403, 404, 409, 413, 415, 429];
  const code = known.includes(status) ? status : 500;
  const messageKey = isRouteErrorResponse(error) && typeof error.data?.messageKey === "string" ? error.data.messageKey : undefined;
  const title = translate(locale, `errorPage.title.${code}` as MessageKey);
  const body = code === 500 ? translate(locale, "errorPage.body.500") : messageKey ? translate(locale, messageKey) : status === 404 ? translate(locale, "errors.notFound") : title;
  return (
    <Document locale={locale} title={`${title} — ${translate(locale, "app.name")}`}>
      {data ? <Header /> : null}
      <main id="main" tabIndex={-1}>
        <h1>{title}</h1>
        <p>{body}</p>
        <p>
          <a href="/">{translate(locale, "errorPage.back")}</a>
        </p>
      </main>
      {data ? <SiteFooter /> : null}
    </Document>
  );
}
