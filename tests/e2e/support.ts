import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { beijingWallTime, DAY } from "../support/time";
import { sinkPorts } from "./sink-ports";

export { DAY, MINUTE } from "../support/time";

/** Password of every seeded demo account (server/demo/seed.ts). */
export const DEMO_PASSWORD = "yishi-demo-2026";
export const COMMUNITY_NAME = "幸福里社区";

let counter = 0;

/**
 * A moment `ms` from now as Beijing wall time, "YYYY-MM-DD HH:mm" (or with "T", what a
 * datetime-local input takes). The journeys' one clock is the system clock, which the server
 * under test reads too: no form in a journey gets a literal date.
 */
export function beijingFromNow(ms: number, separator: " " | "T" = " ") {
  return beijingWallTime(new Date(Date.now() + ms), separator);
}

/** "YYYY-MM-DD" in Beijing, `days` from now. */
export function beijingDayFromNow(days: number) {
  return beijingFromNow(days * DAY).slice(0, 10);
}

/** A user nobody else has made: username (letter first, ≤ 32 chars), display name and password. */
export function newResident(prefix = "e2e") {
  counter += 1;
  const tag = `${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
  return {
    username: `${prefix}_${tag}`.slice(0, 32),
    displayName: `测试居民${tag}`.slice(0, 40),
    password: "correct horse battery",
  };
}
export type Resident = ReturnType<typeof newResident>;

/** One script-enabled scratch context per browser, for checking pages of script-less contexts. */
const scratchContexts = new WeakMap<Browser, Promise<BrowserContext>>();
function scratchContext(page: Page) {
  const browser = page.context().browser();
  if (!browser) throw new Error("expectAccessible needs a page from a launched browser");
  let context = scratchContexts.get(browser);
  if (!context) {
    context = browser.newContext({ javaScriptEnabled: true, locale: "zh-CN" });
    scratchContexts.set(browser, context);
  }
  return context;
}

/** Impacts that fail a page: everything but "minor". */
const FAILING_IMPACTS = new Set(["moderate", "serious", "critical"]);

/**
 * Ids used more than once, and form controls with no accessible name, in the page's DOM. axe 4.7+
 * no longer runs `duplicate-id`, and a `<label for>` whose id also names an earlier element
 * labels that element instead (the browser's own `control.labels` is empty), which axe's label
 * rule does not always see.
 */
async function structuralProblems(page: Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    const seen = new Map<string, number>();
    for (const el of Array.from(document.querySelectorAll("[id]"))) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    for (const [id, n] of seen) if (n > 1) problems.push(`duplicate id "${id}" (${n} elements)`);
    const controls = Array.from(document.querySelectorAll<HTMLInputElement>("input, select, textarea"));
    for (const c of controls) {
      if (c.type === "hidden" || c.type === "submit" || c.type === "button" || c.type === "reset") continue;
      const named = (c.labels?.length ?? 0) > 0 || c.getAttribute("aria-label")?.trim() || c.getAttribute("aria-labelledby")?.trim() || c.title?.trim();
      if (!named) problems.push(`unnamed ${c.tagName.toLowerCase()}${c.name ? ` name="${c.name}"` : ""}${c.id ? ` id="${c.id}"` : ""}`);
    }
    return problems;
  });
}

/**
 * Runs axe-core on the page as it is now and fails on any "moderate", "serious" or "critical"
 * violation, printing each one (rule, impact, help and the offending nodes) so the failure says
 * what to fix; and fails on a duplicate id or a form control without a name.
 *
 * axe needs timers, which never fire in a context with JavaScript disabled. For such a page the
 * rendered DOM is copied, scripts removed, into a scratch page of a script-enabled context at the
 * same URL and viewport (so the app's own stylesheets load) and axe runs there.
 *
 * `disableRules` skips named axe rules, only for a known, reported app bug on that page.
 */
export async function expectAccessible(page: Page, label: string, options: { disableRules?: string[] } = {}) {
  await page.waitForLoadState("load");
  const scripting = await page.evaluate(() => "__remixContext" in window);
  let results: Awaited<ReturnType<AxeBuilder["analyze"]>>;
  const axe = (p: Page) => new AxeBuilder({ page: p }).disableRules(options.disableRules ?? []);
  let structural: string[];
  if (scripting) {
    results = await axe(page).analyze();
    structural = await structuralProblems(page);
  } else {
    const html = (await page.content())
      .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "")
      .replace(/<link\b[^>]*rel="modulepreload"[^>]*>/gi, "");
    const url = page.url().replace(/#.*$/, "");
    const copy = await (await scratchContext(page)).newPage();
    try {
      const viewport = page.viewportSize();
      if (viewport) await copy.setViewportSize(viewport);
      await copy.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
      await copy.goto(url, { waitUntil: "load" });
      results = await axe(copy).analyze();
      structural = await structuralProblems(copy);
    } finally {
      await copy.close();
    }
  }
  const bad = results.violations.filter((v) => FAILING_IMPACTS.has(v.impact ?? ""));
  if (bad.length) {
    const report = bad
      .map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${v.nodes.map((n) => `    - ${n.target.join(" ")}: ${n.failureSummary?.replace(/\n/g, " ")}`).join("\n")}`)
      .join("\n");
    console.log(`axe violations on ${label} (${page.url()}${scripting ? "" : ", no JavaScript"}):\n${report}`);
  }
  expect(
    bad.map((v) => `${v.impact} ${v.id} (${v.nodes.length} node${v.nodes.length === 1 ? "" : "s"})`),
    `moderate/serious/critical axe violations on ${label}`,
  ).toEqual([]);
  expect(structural, `duplicate ids or unnamed form controls on ${label} (${page.url()})`).toEqual([]);
}

/** The labelled fields are matched exactly: "密码" must not also find "再次输入密码". */
export function field(page: Page, label: string) {
  return page.getByLabel(label, { exact: true });
}

/** Signs up through the form and waits for the signed-in home page. */
export async function signUpInPage(page: Page, user: Resident) {
  await page.goto("/signup");
  await expect(page.getByRole("heading", { level: 1, name: "注册账户" })).toBeVisible();
  await field(page, "手机号或用户名").fill(user.username);
  await field(page, "称呼").fill(user.displayName);
  await field(page, "密码").fill(user.password);
  await field(page, "再次输入密码").fill(user.password);
  await page.getByRole("main").getByRole("button", { name: "注册", exact: true }).click();
  // a phone number is proven first: the server (configured with the e2e SMS endpoint) texts a code
  if (/^1[3-9]\d{9}$/.test(user.username)) await enterTextedCode(page, user.username);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: `您好，${user.displayName}` })).toBeVisible();
}

/** The texts the e2e SMS endpoint received for `phone` (tests/e2e/sinks.ts), oldest first. */
export async function textsTo(request: APIRequestContext, phone: string) {
  const inbox = `http://127.0.0.1:${sinkPorts(Number(process.env.E2E_PORT ?? 3210)).inbox}`;
  type Sms = { provider: string; signatureValid: boolean; phone: string; signName: string; templateId: string; content: string };
  return ((await (await request.get(`${inbox}/sms`)).json()) as Sms[]).filter((m) => m.phone === phone);
}

/** Sign-up's step two: reads the code texted to `phone` and finishes signing up. */
export async function enterTextedCode(page: Page, phone: string) {
  await expect(page.getByRole("heading", { level: 1, name: "验证手机号" })).toBeVisible();
  let code: string | undefined;
  await expect
    .poll(async () => (code = /\d{6}/.exec((await textsTo(page.request, phone)).at(-1)?.content ?? "")?.[0]), { timeout: 20_000 })
    .toBeTruthy();
  await field(page, "短信验证码").fill(code!);
  await page.getByRole("main").getByRole("button", { name: "完成注册" }).click();
}

/** Signs in through the form; `next` is where the login page sends the user afterwards. */
export async function logInInPage(page: Page, identifier: string, password: string) {
  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await field(page, "手机号或用户名").fill(identifier);
  await field(page, "密码").fill(password);
  await page.getByRole("main").getByRole("button", { name: "登录", exact: true }).click();
  // attached, not visible: on a phone the header's links sit behind its 菜单 button
  await expect(page.getByRole("button", { name: "退出登录", includeHidden: true })).toBeAttached();
}

/** On a phone the header's links fold behind 菜单: opens it (a no-op where the links show anyway). */
export async function openMenu(page: Page) {
  const menu = page.locator("label.nav-toggle-label");
  if (await menu.isVisible()) {
    if (!(await page.locator("#nav-toggle").isChecked())) await menu.click();
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  }
}

/** The header's height in CSS pixels, from its box. */
export async function headerHeight(page: Page) {
  const box = await page.locator("header.site-header").boundingBox();
  expect(box, "the header has a box").not.toBeNull();
  return box!.height;
}

/** Creates an account with a plain form post (no browser), for tests that only need one to exist. */
export async function signUpByRequest(request: APIRequestContext, user: Resident) {
  const res = await request.post("/signup", {
    form: { identifier: user.username, displayName: user.displayName, password: user.password, confirm: user.password },
    maxRedirects: 0,
  });
  expect(res.status(), await res.text()).toBe(302);
}

/** A second, independent browser context (own cookies) with the same settings as the test's own. */
export async function newContext(browser: Browser, opts: { baseURL?: string; javaScriptEnabled?: boolean; locale?: string }): Promise<BrowserContext> {
  return browser.newContext({ baseURL: opts.baseURL, javaScriptEnabled: opts.javaScriptEnabled ?? true, locale: opts.locale ?? "zh-CN" });
}

/** Opens 幸福里社区 from the home page's list of all communities and returns its id. */
export async function openCommunityFromHome(page: Page) {
  await page.goto("/");
  const list = page.getByRole("region", { name: "各地社区" });
  await list.getByRole("link", { name: COMMUNITY_NAME, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: COMMUNITY_NAME })).toBeVisible();
  const id = /\/communities\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1];
  expect(id, `community id in ${page.url()}`).toBeTruthy();
  return Number(id);
}

/** On the community page: asks to join with an address and waits for the pending notice. */
export async function askToJoin(page: Page, address: string) {
  await field(page, "住址").fill(address);
  // an adult on record: residents' meetings list only residents recorded 18 or over
  await page.getByLabel(/^出生年份/).fill(String(new Date().getUTCFullYear() - 40));
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(page.getByText("您的加入申请正在审核中。")).toBeVisible();
}

/** As a committee member: verifies one applicant on the community's 居民审核 page. */
export async function verifyApplicant(page: Page, communityId: number, displayName: string, label = "居民审核") {
  await page.goto(`/communities/${communityId}/members`);
  await expect(page.getByRole("heading", { level: 1, name: `${COMMUNITY_NAME}：居民审核` })).toBeVisible();
  await expectAccessible(page, label);
  const item = page.getByRole("listitem").filter({ has: page.getByText(displayName, { exact: true }) });
  await expect(item).toHaveCount(1);
  await item.getByRole("button", { name: `通过：${displayName}` }).click();
  await expect(page.getByText(`已通过 ${displayName} 的申请。`)).toBeVisible();
}

let phones = 0;

/** A mainland mobile number (1 + 10 digits) no other test of this run has used, for signing up by phone. */
export function newPhone() {
  phones += 1;
  const tail = `${Date.now() % 1_000_000}${process.pid % 100}${phones}`.slice(-8).padStart(8, "0");
  return `139${tail}`;
}

/**
 * Resolves once the page's next socket.io connection is established: arm it before the navigation
 * that opens the socket. The server joins the user's room before it acknowledges the connect
 * (the "40{sid}" frame), so after this a push cannot be missed.
 */
export function socketConnected(page: Page, timeout = 15_000) {
  const connected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no socket.io connection from ${page.url()} within ${timeout} ms`)), timeout);
    page.on("websocket", (ws) => {
      if (!ws.url().includes("/socket.io/")) return;
      ws.on("framereceived", ({ payload }) => {
        if (typeof payload === "string" && payload.startsWith("40")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  });
  connected.catch(() => {}); // awaited by the caller; this only keeps an early rejection from going unhandled
  return connected;
}

/** As a committee member: verifies several applicants from one visit to the community's 居民审核 page. */
export async function verifyApplicants(page: Page, communityId: number, displayNames: string[], label = "居民审核") {
  await page.goto(`/communities/${communityId}/members`);
  await expect(page.getByRole("heading", { level: 1, name: `${COMMUNITY_NAME}：居民审核` })).toBeVisible();
  await expectAccessible(page, label);
  for (const displayName of displayNames) {
    const item = page.getByRole("listitem").filter({ has: page.getByText(displayName, { exact: true }) });
    await expect(item).toHaveCount(1);
    await item.getByRole("button", { name: `通过：${displayName}` }).click();
    await expect(page.getByText(`已通过 ${displayName} 的申请。`)).toBeVisible();
  }
}

/**
 * KNOWN APP BUG workaround (reported, not fixed here): React 18.3.1's renderToPipeableStream
 * (app/entry.server.tsx) can leave NUL bytes where a multi-byte character would have crossed the
 * end of its 2 KB buffer (facebook/react#24985, #31134), so a page may read "居民（村\0民）会议".
 * Browsers show each NUL as "�" in text and keep it in attributes (an aria-label stays garbled even
 * after hydration), which fails a test at random depending on where the bytes land.
 *
 * This routes the context's HTML documents through the runner, drops the NUL bytes and records
 * each URL that had any in `seen`, so a journey can report them instead of failing by chance.
 * Redirects are passed back to the browser as they are; cookies are shared with the context.
 * Chromium refuses a WebSocket to 127.0.0.1 from a document the runner fulfilled (local network
 * access checks), so call `context.unrouteAll()` before loading a page that needs its live socket.
 */
export async function stripNulBytes(context: BrowserContext, seen: string[]) {
  await context.route(
    (url) => !url.pathname.startsWith("/build/") && !url.pathname.startsWith("/socket.io/"),
    async (route) => {
      if (route.request().resourceType() !== "document") return route.fallback();
      const response = await route.fetch({ maxRedirects: 0 });
      let body = await response.body();
      if (body.includes(0)) {
        seen.push(route.request().url());
        body = Buffer.from(body.filter((b) => b !== 0));
      }
      // the body is already decoded; route.fetch has stored any cookies in the context
      const headers = { ...response.headers() };
      for (const h of ["content-length", "content-encoding", "transfer-encoding", "set-cookie"]) delete headers[h];
      return route.fulfill({ status: response.status(), headers, body });
    },
  );
}

/**
 * An irreversible action's two steps: the first is a link (a GET, nothing changes) that shows
 * "确定要…吗？" with what will happen; only "确认：…" does it. Works the same without JavaScript.
 */
export async function confirmIrreversible(page: Page, label: string, fill?: () => Promise<void>) {
  await page.getByRole("link", { name: label, exact: true }).click();
  const step = page.getByRole("region", { name: `确定要${label}吗？` });
  await expect(step).toBeVisible();
  await expect(step).toContainText("不能");
  await expect(page.getByRole("button", { name: label, exact: true })).toHaveCount(0);
  if (fill) await fill();
  await step.getByRole("button", { name: `确认：${label}`, exact: true }).click();
}

/**
 * Counts the pages a person waits for from now on: each document load without JavaScript; each
 * loader round trip (a GET of `<path>.data`: a link followed, or the page shown after a form's post)
 * with it. `stop()` returns the count and stops counting.
 */
export function countPageLoads(page: Page, javaScript: boolean) {
  let count = 0;
  const onFrame = (frame: import("@playwright/test").Frame) => {
    if (frame === page.mainFrame()) count += 1;
  };
  const onRequest = (req: import("@playwright/test").Request) => {
    if (req.method() === "GET" && new URL(req.url()).pathname.endsWith(".data")) count += 1;
  };
  if (javaScript) page.on("request", onRequest);
  else page.on("framenavigated", onFrame);
  return {
    get count() {
      return count;
    },
    stop() {
      page.off("request", onRequest);
      page.off("framenavigated", onFrame);
      return count;
    },
  };
}

/**
 * The one scheduling step from an accepted matter's page: 安排议事会 → the session form (the
 * first agenda item is the matter itself) → its start time is the consultation's time. Lands in
 * the new room; the matter is then 已安排协商.
 */
export async function scheduleConsultation(page: Page, matterId: number, when: string, check?: (label: string) => Promise<void>) {
  await page.getByRole("link", { name: "安排议事会", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/matters/${matterId}/sessions/new$`));
  await expect(page.getByText("安排协商只需这一步")).toBeVisible();
  if (check) await check("schedule form (first session)");
  await field(page, "开始时间").fill(when);
  await page.getByRole("main").getByRole("button", { name: "安排议事会", exact: true }).click();
  await expect(page).toHaveURL(/\/rooms\/\d+$/);
  await page.goto(`/matters/${matterId}`);
}
