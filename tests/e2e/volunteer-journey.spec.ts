import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { beijingFromNow, DEMO_PASSWORD, expectAccessible, MINUTE, field, logInInPage, newContext, newResident, signUpInPage } from "./support";

/** GB 11643 check character, so the journey can use a well-formed ID number that belongs to nobody. */
function checkCharacter(first17: string) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return "10X98765432"[sum % 11];
}
const serial = `${String(Math.floor(Math.random() * 100)).padStart(2, "0")}${1 + 2 * Math.floor(Math.random() * 5)}`;
const FULL_ID = ((s) => s + checkCharacter(s))(`11010119900307${serial}`);

/** Keeps every text response a context receives (pages, data, exports), to search for the full ID number. */
function recordResponses(context: BrowserContext, bodies: Promise<string>[]) {
  context.on("response", (res) => {
    const type = res.headers()["content-type"] ?? "";
    if (res.status() >= 300 && res.status() < 400) return;
    if (/text|json|javascript|csv|pdf/.test(type)) bodies.push(res.body().then((b) => b.toString("latin1") + b.toString("utf8"), () => ""));
  });
}

async function checkedPage(page: Page, label: string) {
  await page.waitForLoadState("load");
  expect((await page.title()).trim(), `${label} has a title`).not.toBe("");
  await expectAccessible(page, label);
}

test("a volunteer registers, signs up, checks in and out, disputes a record, gets a certificate that a visitor verifies", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const bodies: Promise<string>[] = [];
  const title = `敬老院陪伴${Date.now().toString(36)}`;

  // the organizer (seeded organizer_a of 幸福里志愿队) publishes an activity starting in ten minutes
  const orgContext = await newContext(browser, { baseURL });
  recordResponses(orgContext, bodies);
  const org = await orgContext.newPage();
  await logInInPage(org, "organizer_a", DEMO_PASSWORD);
  await org.getByRole("link", { name: "志愿服务" }).first().click();
  await expect(org.getByRole("heading", { level: 1, name: "志愿服务" })).toBeVisible();
  await checkedPage(org, "volunteering home (organizer)");
  await org.getByRole("link", { name: "幸福里志愿队" }).first().click();
  await expect(org.getByRole("heading", { level: 1, name: "幸福里志愿队" })).toBeVisible();
  await checkedPage(org, "team page");
  await org.getByRole("link", { name: "发布活动" }).click();
  await checkedPage(org, "publish activity");
  // a wrong end time first: the form says what to fix
  await field(org, "活动名称").fill(title);
  await field(org, "服务内容").fill("陪老人聊天、读报");
  await field(org, "地点").fill("社区活动中心");
  await field(org, "开始时间").fill(beijingFromNow(10 * MINUTE));
  await field(org, "结束时间").fill(beijingFromNow(5 * MINUTE));
  await field(org, "名额").fill("5");
  await field(org, "负责人").fill("周队长");
  await org.getByRole("button", { name: "发布" }).click();
  await expect(org.getByRole("alert")).toContainText("结束时间要晚于开始时间");
  await checkedPage(org, "publish activity with an error");
  await field(org, "结束时间").fill(beijingFromNow(130 * MINUTE));
  await org.getByRole("button", { name: "发布" }).click();
  await expect(org.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const activityUrl = new URL(org.url()).pathname;
  await checkedPage(org, "activity page (organizer)");

  // a new resident signs up for an account, registers as a volunteer
  const volContext = await newContext(browser, { baseURL });
  recordResponses(volContext, bodies);
  const vol = await volContext.newPage();
  const user = newResident("vol");
  await signUpInPage(vol, user);
  await vol.getByRole("link", { name: "志愿服务" }).first().click();
  await checkedPage(vol, "volunteering home (not registered)");
  await vol.getByRole("main").getByRole("link", { name: "注册成为志愿者" }).click();
  await expect(vol.getByRole("heading", { level: 1, name: "志愿者注册" })).toBeVisible();
  await checkedPage(vol, "registration form");
  await field(vol, "真实姓名").fill("李志远");
  await vol.getByLabel("性别").selectOption({ label: "男" });
  await field(vol, "出生日期").fill("1990-03-07");
  // a mistyped check character is refused with a plain message, and the number is not sent back
  const typo = FULL_ID.slice(0, 17) + (FULL_ID[17] === "1" ? "2" : "1");
  await field(vol, "身份证号").fill(typo);
  await vol.getByLabel("居住社区").selectOption({ label: "幸福里社区" });
  await field(vol, "联系电话").fill("13912345678");
  await vol.getByLabel("助老服务").check();
  await vol.getByLabel(/我同意社区/).check();
  await vol.getByRole("main").getByRole("button", { name: "注册", exact: true }).click();
  await expect(vol.getByRole("alert")).toContainText("校验位不对");
  await checkedPage(vol, "registration form with an error");
  await field(vol, "身份证号").fill(FULL_ID);
  await vol.getByRole("main").getByRole("button", { name: "注册", exact: true }).click();
  await expect(vol.getByText(/注册成功。您的志愿者编号是 ZY\d{10}。/)).toBeVisible();
  await expect(vol.getByText(`${FULL_ID.slice(0, 4)}**********${FULL_ID.slice(-4)}`)).toBeVisible();
  await checkedPage(vol, "volunteer profile");

  // signs up for the activity from the list
  await vol.getByRole("link", { name: title }).click();
  await checkedPage(vol, "activity page (volunteer)");
  await vol.getByRole("button", { name: "报名" }).click();
  await expect(vol.getByText("您已报名。")).toBeVisible();

  // the organizer shows the rotating code; the volunteer enters it to check in, then out
  await org.goto(`${activityUrl}/code`);
  const code = (await org.getByTestId("checkin-code").textContent())!.trim();
  expect(code).toMatch(/^\d{6}$/);
  await expect(org.getByRole("img", { name: "签到二维码" })).toBeVisible();
  await checkedPage(org, "check-in code");
  await vol.getByRole("link", { name: "签到 / 签退" }).click();
  await checkedPage(vol, "check-in form");
  await field(vol, "签到码").fill(code === "000000" ? "000001" : "000000");
  await vol.getByRole("button", { name: "提交" }).click();
  await expect(vol.getByRole("alert")).toContainText("签到码不对或已过期");
  await checkedPage(vol, "check-in form with an error");
  await field(vol, "签到码").fill(code);
  await vol.getByRole("button", { name: "提交" }).click();
  await expect(vol.getByText(/已签到/)).toBeVisible();
  // the QR code's address fills in the code; check-out is preselected after a check-in
  await vol.goto(`${activityUrl}/checkin?code=${code}`);
  await expect(field(vol, "签到码")).toHaveValue(code);
  await expect(vol.getByLabel("签退")).toBeChecked();
  await vol.getByRole("button", { name: "提交" }).click();
  await expect(vol.getByText(/已签退。本次记录 0 小时/)).toBeVisible();
  await checkedPage(vol, "checked out");

  // the organizer confirms the record with the hours actually served
  await org.goto(activityUrl);
  const record = org.getByRole("listitem").filter({ hasText: "李志远" }).filter({ has: org.getByRole("button", { name: "确认记录" }) });
  await record.getByLabel("时长（小时）").fill("2");
  await record.getByLabel("评价", { exact: false }).first().fill("认真负责");
  await record.getByRole("button", { name: "确认记录" }).click();
  await expect(org.getByText("已保存。")).toBeVisible();
  await checkedPage(org, "activity page with a confirmed record");

  // the volunteer disputes it
  await vol.goto("/volunteers/records");
  await expect(vol.getByRole("heading", { level: 1, name: "我的服务记录" })).toBeVisible();
  await expect(vol.getByText("2 小时").first()).toBeVisible();
  await checkedPage(vol, "my records");
  await vol.getByText("报告记录有误").click();
  await field(vol, "哪里不对").fill("我还帮忙布置了场地，应为 2.5 小时");
  await vol.getByRole("button", { name: "提交报告" }).click();
  await expect(vol.getByText("已提交，组织者会核实并答复。")).toBeVisible();
  await checkedPage(vol, "my records after a report");

  // the organizer corrects it; the old value and the reason stay
  await org.goto(activityUrl);
  await expect(org.getByText(/已报告，待处理/)).toBeVisible();
  const open = org.getByRole("listitem").filter({ hasText: "李志远" }).filter({ has: org.getByRole("button", { name: "更正时长" }) });
  await open.getByLabel("时长（小时）").fill("2.5");
  await open.getByLabel("更正理由").fill("核对现场照片，布置场地半小时");
  await open.getByRole("button", { name: "更正时长" }).click();
  await expect(org.getByText("已保存。")).toBeVisible();
  await checkedPage(org, "activity page after a correction");

  await vol.goto("/volunteers/records");
  await expect(vol.getByText("2 小时改为 2.5 小时，理由：核对现场照片，布置场地半小时")).toBeVisible();
  await expect(vol.getByText(/已更正/)).toBeVisible();

  // the volunteer gets a certificate: a printable page and a PDF
  await vol.goto("/volunteers");
  await vol.getByRole("link", { name: "我的志愿服务证明" }).click();
  await checkedPage(vol, "my certificates");
  await vol.getByRole("button", { name: "开具证明（免费）" }).click();
  await expect(vol.getByRole("heading", { level: 1, name: "志愿服务证明" })).toBeVisible();
  await expect(vol.getByText("2.5 小时")).toBeVisible();
  await checkedPage(vol, "certificate page");
  const number = /证明编号：(ZM\d{8}-[A-Z0-9]{8}-[0-9A-F]{4})/.exec((await vol.locator("main").textContent()) ?? "")![1];
  const pdfHref = await vol.getByRole("link", { name: "下载 PDF" }).getAttribute("href");
  const pdf = await vol.request.get(pdfHref!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const bytes = await pdf.body();
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  bodies.push(Promise.resolve(bytes.toString("latin1")));

  // a visitor, not signed in, checks the number; a forged one fails
  const visitorContext = await newContext(browser, { baseURL });
  recordResponses(visitorContext, bodies);
  const visitor = await visitorContext.newPage();
  await visitor.goto("/certificates");
  await checkedPage(visitor, "verification form");
  await field(visitor, "证明编号").fill(number);
  await visitor.getByRole("button", { name: "核验" }).click();
  await expect(visitor.getByText(`真实有效：编号 ${number}`)).toBeVisible();
  await expect(visitor.getByText("服务时长：2.5 小时")).toBeVisible();
  await expect(visitor.getByText("李志远")).toHaveCount(0);
  await checkedPage(visitor, "verification result (genuine)");
  const forged = number.replace(/-([A-Z0-9])/, (_, c: string) => `-${c === "A" ? "B" : "A"}`);
  await visitor.goto(`/certificates/${forged}`);
  await expect(visitor.getByText(/核验未通过/)).toBeVisible();
  await checkedPage(visitor, "verification result (forged)");

  // the committee's dashboard and export for the community
  await org.goto("/volunteers");
  const committeeContext = await newContext(browser, { baseURL });
  recordResponses(committeeContext, bodies);
  const committee = await committeeContext.newPage();
  await logInInPage(committee, "committee_a", DEMO_PASSWORD);
  await committee.goto("/communities");
  await committee.getByRole("link", { name: "幸福里社区", exact: true }).first().click();
  await committee.getByRole("link", { name: "幸福里社区志愿服务" }).click();
  await expect(committee.getByText("目标：注册志愿者达到常住人口的 15%")).toBeVisible();
  await checkedPage(committee, "volunteer dashboard");
  const csvHref = await committee.getByRole("link", { name: /导出志愿者名单/ }).getAttribute("href");
  const csv = await committee.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  const csvText = await csv.text();
  expect(csvText).toContain("李志远");
  bodies.push(Promise.resolve(csvText));

  // privacy: no page, data response, PDF or export of the whole journey holds the full ID number
  const all = await Promise.all(bodies);
  expect(all.length).toBeGreaterThan(20);
  for (const b of all) expect(b.includes(FULL_ID)).toBe(false);
  await Promise.all([orgContext.close(), volContext.close(), visitorContext.close(), committeeContext.close()]);
});

test.describe("on a 360 px phone with doubled text", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("registration, verification and the dashboard fit without sideways scrolling and keep big buttons", async ({ page }) => {
    const fits = async (label: string, button?: ReturnType<Page["getByRole"]>) => {
      await page.evaluate(() => {
        document.documentElement.style.fontSize = "200%";
      });
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      expect(scrollWidth, `${label} scrolls sideways`).toBeLessThanOrEqual(clientWidth + 1);
      if (button) {
        await button.scrollIntoViewIfNeeded();
        const box = (await button.boundingBox())!;
        expect(box.height, `${label}: button height`).toBeGreaterThanOrEqual(44);
        expect(box.x + box.width, `${label}: button inside the screen`).toBeLessThanOrEqual(clientWidth + 1);
      }
      await expectAccessible(page, `${label} at 360 px with 200% text`);
    };
    await signUpInPage(page, newResident("volphone"));
    await page.goto("/volunteers/register");
    await fits("registration", page.getByRole("main").getByRole("button", { name: "注册", exact: true }));
    await page.goto("/certificates");
    await fits("verification", page.getByRole("button", { name: "核验" }));
    await page.goto("/communities");
    await page.getByRole("link", { name: "幸福里社区", exact: true }).first().click();
    await page.getByRole("link", { name: "幸福里社区志愿服务" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "幸福里社区志愿服务" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "志愿者光荣榜" })).toBeVisible();
    // the table scrolls inside its own frame; the page itself must not
    await fits("dashboard");
  });
});

test("without JavaScript a volunteer registers (a mistake shown by the server first) and signs up for an activity", async ({ browser, baseURL }) => {
  const context = await newContext(browser, { baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await signUpInPage(page, newResident("volnojs"));
  await page.goto("/volunteers/register");
  const id = ((s) => s + checkCharacter(s))(`11010119750101${String(Math.floor(Math.random() * 100)).padStart(2, "0")}2`);
  await field(page, "真实姓名").fill("钱丽");
  await page.getByLabel("性别").selectOption({ label: "女" });
  await field(page, "出生日期").fill("1975-01-02");
  await field(page, "身份证号").fill(id);
  await page.getByLabel("居住社区").selectOption({ label: "幸福里社区" });
  await field(page, "联系电话").fill("010-66778899");
  await page.getByLabel("环境保护").check();
  await page.getByRole("main").getByRole("button", { name: "注册", exact: true }).click();
  // the server answers: consent is missing; the ID number is not sent back
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("需要同意");
  await expect(field(page, "身份证号")).toHaveValue("");
  expect(await page.content()).not.toContain(id);
  await expectAccessible(page, "registration errors without JavaScript");
  await expect(page.getByLabel("环境保护")).toBeChecked();
  await field(page, "身份证号").fill(id);
  await page.getByLabel(/我同意社区/).check();
  await page.getByRole("main").getByRole("button", { name: "注册", exact: true }).click();
  // then: the birth date entered is not the one in the ID number
  await expect(page.getByRole("alert")).toContainText("出生日期不一致");
  expect(await page.content()).not.toContain(id);
  await field(page, "出生日期").fill("1975-01-01");
  await field(page, "身份证号").fill(id);
  await page.getByLabel("环境保护").check();
  await page.getByLabel(/我同意社区/).check();
  await page.getByRole("main").getByRole("button", { name: "注册", exact: true }).click();
  await expect(page.getByText(/注册成功。/)).toBeVisible();
  await page.getByRole("link", { name: "周末楼道清扫" }).click();
  await page.getByRole("button", { name: "报名" }).click();
  await expect(page.getByText("您已报名。")).toBeVisible();
  await expectAccessible(page, "signed up without JavaScript");
  await page.getByRole("button", { name: "取消报名" }).click();
  await expect(page.getByRole("button", { name: "报名" })).toBeVisible();
  await context.close();
});
