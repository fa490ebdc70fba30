/**
 * Reaching residents outside the app, against real parts: the built app sends e-mail to a real SMTP
 * server and texts through Alibaba Cloud's official SDK to a local endpoint that checks each signed
 * request (tests/e2e/sinks.ts). A resident signs up with a phone number (proved by the texted code),
 * joins, chooses "important only" by e-mail and SMS (a vote opening marked urgent, so the text goes
 * at any hour); the committee opens a vote; exactly one e-mail and one text arrive, and the e-mail's
 * one-click unsubscribe link turns e-mail off.
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { askToJoin, DEMO_PASSWORD, expectAccessible, field, logInInPage, newContext, newResident, openCommunityFromHome, textsTo } from "./support";
import { sinkPorts } from "./sink-ports";
import { committeeMakesVotableMatter, committeeSetsUpVote, openCommunityAsStaff, verifyResidents } from "./voting-steps";

type Mail = { to: string; subject: string; text: string; html: string; messageId: string; listUnsubscribe: string; listUnsubscribePost: string };

const inbox = `http://127.0.0.1:${sinkPorts(Number(process.env.E2E_PORT ?? 3210)).inbox}`;
const texts = textsTo;
const mails = async (request: APIRequestContext, to: string) => ((await (await request.get(`${inbox}/mail`)).json()) as Mail[]).filter((m) => m.to.includes(to));

/** A mainland mobile number no other run of this suite has used. */
function freshPhone() {
  return `139${String(Date.now() % 100_000_000).padStart(8, "0")}`;
}

async function signUpWithPhone(page: Page, request: APIRequestContext, phone: string, displayName: string, password: string) {
  await page.goto("/signup");
  await field(page, "手机号或用户名").fill(phone);
  await field(page, "称呼").fill(displayName);
  await field(page, "密码").fill(password);
  await field(page, "再次输入密码").fill(password);
  await page.getByRole("main").getByRole("button", { name: "注册", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "验证手机号" })).toBeVisible();
  await expect(page.getByText(`验证码已发到 ${phone}`)).toBeVisible();
  await expectAccessible(page, "sign-up step two (the code)");
  await expect.poll(async () => (await texts(request, phone)).length, { timeout: 20_000 }).toBe(1);
  const [codeText] = await texts(request, phone);
  expect(codeText).toMatchObject({ provider: "aliyun", signatureValid: true, templateId: "SMS_460000001" });
  const code = /\d{6}/.exec(codeText.content)?.[0];
  expect(code, codeText.content).toBeTruthy();
  await field(page, "短信验证码").fill(code!);
  await page.getByRole("main").getByRole("button", { name: "完成注册" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: `您好，${displayName}` })).toBeVisible();
}

test("a resident proves the phone by SMS code, chooses important-only e-mail and texts, and gets exactly one of each when a vote opens; the e-mail's unsubscribe link works", async ({ browser, baseURL, request }) => {
  test.setTimeout(240_000);
  const me = newResident("notify");
  const phone = freshPhone();
  const email = `${me.username}@example.test`;
  const resident = await (await newContext(browser, { baseURL })).newPage();
  await signUpWithPhone(resident, request, phone, me.displayName, me.password);
  await openCommunityFromHome(resident);
  await askToJoin(resident, "东门 7 号楼 2 单元");

  const committee = await (await newContext(browser, { baseURL })).newPage();
  await logInInPage(committee, "committee_a", DEMO_PASSWORD);
  const communityId = await openCommunityAsStaff(committee, false);
  await verifyResidents(committee, communityId, [me.displayName], false);

  // the resident's choices: important news by e-mail and by text, a vote opening sent even at night
  await resident.goto("/account/notifications");
  await expect(resident.getByRole("heading", { level: 1, name: "通知设置" })).toBeVisible();
  await expectAccessible(resident, "notification settings");
  await field(resident, "邮件通知").selectOption({ label: "只接收重要通知（状态变化、投票开始、结果、承诺逾期、邀请）" });
  await field(resident, "电子邮件地址（选填）").fill(email);
  await field(resident, "短信通知").selectOption({ label: "只接收重要通知（状态变化、投票开始、结果、承诺逾期、邀请）" });
  await resident.getByRole("checkbox", { name: "我可以参加的投票开始了" }).check();
  await resident.getByRole("main").getByRole("button", { name: "保存设置" }).click();
  await expect(resident.getByText("通知设置已保存。")).toBeVisible();

  const title = `东门停车棚${Date.now().toString(36)}`;
  const question = "是否在东门建停车棚？";
  const matterId = await committeeMakesVotableMatter(committee, communityId, title, false);
  const voteId = await committeeSetsUpVote(committee, matterId, question, false);

  // one text (besides the sign-up code) and one e-mail, each about this vote
  await expect.poll(async () => (await texts(request, phone)).length, { timeout: 60_000 }).toBe(2);
  await expect.poll(async () => (await mails(request, email)).length, { timeout: 60_000 }).toBe(1);
  const sms = (await texts(request, phone))[1];
  expect(sms.signatureValid).toBe(true);
  expect(sms.content).toContain(title);
  const [mail] = await mails(request, email);
  expect(mail.text).toContain(title);
  expect(mail.text).toContain(`/votes/${voteId}`);
  expect(mail.listUnsubscribePost).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  const unsubscribe = /<(https?:\/\/[^>]+\/unsubscribe\/[^>]+)>/.exec(mail.listUnsubscribe)?.[1];
  expect(unsubscribe, mail.listUnsubscribe).toBeTruthy();

  // nothing more comes for the same event (a second delivery would be a duplicate)
  await resident.waitForTimeout(5_000);
  expect(await texts(request, phone)).toHaveLength(2);
  expect(await mails(request, email)).toHaveLength(1);

  // the link in the e-mail, opened in the browser (its host is the server's configured origin)
  await resident.goto(new URL(unsubscribe!).pathname);
  await expect(resident.getByRole("heading", { level: 1, name: "退订通知" })).toBeVisible();
  await expectAccessible(resident, "unsubscribe");
  await resident.getByRole("main").getByRole("button", { name: "确定退订" }).click();
  await expect(resident.getByText("已退订。您仍可在“我的账户”中重新开启。")).toBeVisible();
  await resident.goto("/account/notifications");
  await expect(field(resident, "邮件通知")).toHaveValue("none");
  await expect(field(resident, "短信通知")).toHaveValue("important");
});
