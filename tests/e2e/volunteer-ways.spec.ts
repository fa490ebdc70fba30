import { expect, test, type Browser, type Page } from "@playwright/test";
import { beijingFromNow, DEMO_PASSWORD, expectAccessible, field, logInInPage, MINUTE, newContext, newPhone, newResident, openCommunityFromHome, signUpByRequest } from "./support";

/** GB 11643 check character, so each volunteer gets a well-formed ID number that belongs to nobody. */
function checkCharacter(first17: string) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return "10X98765432"[sum % 11];
}
const serialBase = 100 + Math.floor(Math.random() * 800);

/** An optional field: its label ends in the "optional" marker, so only its start is matched. */
function optional(page: Page, label: string) {
  return page.getByLabel(new RegExp(`^${label.replace(/[()（）]/g, "\\$&")}`));
}

async function checkedPage(page: Page, label: string) {
  await page.waitForLoadState("load");
  expect((await page.title()).trim(), `${label} has a title`).not.toBe("");
  await expectAccessible(page, label);
}

let made = 0;

/**
 * A new account registered as a volunteer of the community by plain form posts (the registration
 * form itself is walked in volunteer-journey.spec.ts); returns a signed-in page, name and phone.
 */
async function newVolunteer(browser: Browser, baseURL: string | undefined, communityId: number, realName: string) {
  made += 1;
  const serial = String(serialBase + made).padStart(3, "0");
  const context = await newContext(browser, { baseURL });
  const user = newResident("way");
  await signUpByRequest(context.request, user);
  const phone = newPhone();
  const first17 = `11010119900307${serial}`;
  const res = await context.request.post("/volunteers/register", {
    form: { realName, sex: Number(serial[2]) % 2 ? "male" : "female", birthDate: "1990-03-07", idNumber: first17 + checkCharacter(first17), communityId: String(communityId), contact: phone, serviceTypes: "elderly", consent: "on" },
    maxRedirects: 0,
  });
  expect(res.status(), await res.text()).toBe(302);
  return { page: await context.newPage(), realName, phone };
}

/** Signs the volunteer's account up for the activity with the page's own form post. */
async function signUpFor(page: Page, activityUrl: string) {
  const res = await page.request.post(activityUrl, { form: { intent: "signup" }, maxRedirects: 0 });
  expect(res.status(), await res.text()).toBe(302);
}

test("group entry with a walk-in, self-declarations declined and confirmed, and the county's volunteer rules", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const tag = Date.now().toString(36);
  const title = `周六清扫${tag}`;

  // the organizer publishes an activity that began half an hour ago and ends in an hour and a half
  const orgContext = await newContext(browser, { baseURL });
  const org = await orgContext.newPage();
  await logInInPage(org, "organizer_a", DEMO_PASSWORD);
  const communityId = await openCommunityFromHome(org);
  await org.goto("/teams");
  await org.getByRole("link", { name: "幸福里志愿队" }).first().click();
  await org.getByRole("link", { name: "发布活动" }).click();
  await field(org, "活动名称").fill(title);
  await field(org, "服务内容").fill("小区公共区域清扫");
  await field(org, "地点").fill("中心花园");
  await field(org, "开始时间").fill(beijingFromNow(-30 * MINUTE));
  await field(org, "结束时间").fill(beijingFromNow(90 * MINUTE));
  await field(org, "名额").fill("10");
  await field(org, "负责人").fill("周队长");
  await org.getByRole("button", { name: "发布" }).click();
  await expect(org.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const activityUrl = new URL(org.url()).pathname;

  // five volunteers: two who came as signed up, one walk-in, two who declare their own hours
  const [came, left, walkIn, declined, confirmed] = await Promise.all(
    ["甲", "乙", "丙", "丁", "戊"].map((n) => newVolunteer(browser, baseURL, communityId, `${n}志愿者${tag}`.slice(0, 40))),
  );
  for (const v of [came, left, declined, confirmed]) await signUpFor(v.page, activityUrl);

  // ---- 1. group entry ----
  await org.goto(activityUrl);
  await checkedPage(org, "activity page (organizer, before group entry)");
  await org.getByRole("link", { name: "集体录入", exact: true }).click();
  await expect(org.getByRole("heading", { level: 1, name: `集体录入：${title}` })).toBeVisible();
  await checkedPage(org, "group entry");
  const box = (v: { realName: string }) => org.getByRole("checkbox", { name: new RegExp(`^${v.realName}`) });
  // everyone on the sign-up list starts ticked; the two who will declare did not come
  for (const v of [came, left, declined, confirmed]) await expect(box(v)).toBeChecked();
  await box(declined).uncheck();
  await box(confirmed).uncheck();
  // an unknown walk-in first: the page says what to fix and nothing is recorded
  await optional(org, "未报名但到场的志愿者").fill("ZY0000000000");
  await field(org, "统一签到时间").fill(beijingFromNow(-20 * MINUTE));
  await optional(org, "统一签退时间").fill(beijingFromNow(70 * MINUTE));
  await org.getByRole("button", { name: "录入", exact: true }).click();
  await expect(org.getByRole("alert")).toContainText("找不到志愿者“ZY0000000000”");
  await checkedPage(org, "group entry with an error");
  await optional(org, "未报名但到场的志愿者").fill(walkIn.phone);
  // one person left early: her own check-out time
  await org.getByLabel(`${left.realName} 的签退时间（不同时填写）`).fill(beijingFromNow(10 * MINUTE));
  await org.getByRole("button", { name: "录入", exact: true }).click();
  await expect(org.getByText("已录入 3 人（其中未报名 1 人），生成待确认记录 3 条。")).toBeVisible();
  await checkedPage(org, "group entry done");

  // the records name their way; the walk-in's check-in was made by group entry
  await org.goto(activityUrl);
  const record = (name: string) => org.getByRole("listitem").filter({ has: org.getByText(name, { exact: true }) });
  await expect(record(came.realName)).toContainText("1.5 小时");
  await expect(record(came.realName)).toContainText("记录方式：集体录入");
  await expect(record(left.realName)).toContainText("0.5 小时");
  await expect(record(walkIn.realName)).toContainText("记录方式：集体录入");
  await expect(record(walkIn.realName)).toContainText("待确认");
  await expect(org.getByRole("row").filter({ hasText: walkIn.realName })).toContainText("(集体录入)");
  await checkedPage(org, "activity page after group entry");

  // ---- 2. self-declaration ----
  const declare = async (v: typeof declined, hours: string, note: string) => {
    await v.page.goto(activityUrl);
    await v.page.getByText("申报服务时长", { exact: true }).click();
    await field(v.page, "服务时长（小时）").fill(hours);
    await field(v.page, "说明").fill(note);
    await v.page.getByRole("button", { name: "提交申报" }).click();
  };
  await declined.page.goto(activityUrl);
  await checkedPage(declined.page, "activity page (volunteer who may declare)");
  // more than the activity's span plus the margin is refused, with the error summary
  await declare(declined, "5", "从早到晚都在");
  await expect(declined.page.getByRole("alert")).toBeVisible();
  await checkedPage(declined.page, "declaration with an error");
  await declare(declined, "2", "手机没电，没能签到");
  await expect(declined.page.getByText("已提交申报，等待组织者确认。")).toBeVisible();
  await checkedPage(declined.page, "declaration sent");
  await declare(confirmed, "1.5", "9 点到场布置，10 点半离开");
  await expect(confirmed.page.getByText("已提交申报，等待组织者确认。")).toBeVisible();

  // the organizer declines one with a reason and confirms the other
  await org.goto(activityUrl);
  await expect(record(declined.realName)).toContainText("申报说明：手机没电，没能签到");
  await expect(record(declined.realName)).toContainText("记录方式：本人申报");
  await checkedPage(org, "activity page with declarations");
  const reason = "签到表上没有您，现场照片中也没有找到";
  await record(declined.realName).locator("summary", { hasText: "不予确认" }).click();
  await record(declined.realName).getByLabel("理由（志愿者会看到）").fill(reason);
  await record(declined.realName).getByRole("button", { name: "不予确认" }).click();
  await expect(org.getByText("已保存。")).toBeVisible();
  await expect(record(declined.realName)).toContainText("未获确认");
  await record(confirmed.realName).getByRole("button", { name: "确认记录" }).click();
  await expect(org.getByText("已保存。")).toBeVisible();
  await expect(record(confirmed.realName)).toContainText("已确认");
  await expect(record(confirmed.realName)).toContainText("1.5 小时");
  await checkedPage(org, "activity page after decline and confirm");

  // the volunteer sees why, and may declare again
  await declined.page.goto(activityUrl);
  await expect(declined.page.getByText(`未确认的理由：${reason}`)).toBeVisible();
  await expect(declined.page.getByText("申报服务时长", { exact: true })).toBeVisible();
  await checkedPage(declined.page, "activity page (declined volunteer)");
  await confirmed.page.goto("/volunteers/records");
  await expect(confirmed.page.getByText(title, { exact: false }).first()).toBeVisible();
  await expect(confirmed.page.getByText("1.5 小时").first()).toBeVisible();
  await checkedPage(confirmed.page, "my records (confirmed declaration)");

  // ---- 3. the county's volunteer rules ----
  const adminContext = await newContext(browser, { baseURL });
  const admin = await adminContext.newPage();
  await logInInPage(admin, "county_admin", DEMO_PASSWORD);
  await admin.goto("/admin/volunteer-rules");
  await checkedPage(admin, "volunteer rules (areas)");
  await admin.getByRole("link", { name: "清河县", exact: true }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "清河县：志愿服务规则" })).toBeVisible();
  await checkedPage(admin, "volunteer rules (county)");
  // a step out of range first
  await optional(admin, "时长取整单位（分钟）").fill("999");
  await admin.getByRole("button", { name: "保存规则" }).click();
  await expect(admin.getByRole("alert")).toBeVisible();
  await checkedPage(admin, "volunteer rules with an error");
  await optional(admin, "时长取整单位（分钟）").fill("15");
  await optional(admin, "时长上限余量（分钟）").fill("45");
  await admin.getByRole("button", { name: "保存规则" }).click();
  await expect(admin.getByText("规则已保存。")).toBeVisible();
  const inForce = admin.locator("dl.facts");
  await expect(inForce).toContainText("15 分钟");
  await expect(inForce).toContainText("45 分钟");
  await expect(optional(admin, "时长取整单位（分钟）")).toHaveValue("15");
  await checkedPage(admin, "volunteer rules saved");

  await Promise.all([orgContext, adminContext, ...[came, left, walkIn, declined, confirmed].map((v) => v.page.context())].map((c) => c.close()));
});
