import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { beijingDayFromNow, DEMO_PASSWORD, expectAccessible, field, logInInPage, newContext } from "./support";

async function checkedPage(page: Page, label: string) {
  await page.waitForLoadState("load");
  expect((await page.title()).trim(), `${label} has a title`).not.toBe("");
  await expectAccessible(page, label);
}

/** docs/volunteer-record-format.md, written again here so the test checks the documented format, not the code. */
function canonical(v: unknown, indent?: number): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === "object" ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])])) : x;
  return JSON.stringify(sort(v), null, indent);
}

test("a volunteer downloads a signed record that another installation imports without JavaScript; a move is declined, then accepted, and the records stay", async ({ browser, baseURL }) => {
  test.setTimeout(300_000);

  // the volunteer (seeded 王阿姨) downloads her whole record from her records page
  const volContext = await newContext(browser, { baseURL });
  const vol = await volContext.newPage();
  await logInInPage(vol, "13800000001", DEMO_PASSWORD);
  await vol.goto("/volunteers/records");
  await checkedPage(vol, "my records");
  const [download] = await Promise.all([vol.waitForEvent("download"), vol.getByRole("link", { name: "带签名的 JSON 文件" }).click()]);
  const issued = readFileSync((await download.path())!, "utf8");
  const doc = JSON.parse(issued);
  expect(doc).toMatchObject({ format: "yishi-volunteer-record", version: 1, signature: { alg: "Ed25519" } });
  expect(doc.volunteer.idMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
  expect(issued).toBe(`${canonical(doc, 2)}\n`);
  // the published key verifies it, exactly as the format document says
  const published = await (await vol.request.get("/.well-known/yishi-volunteer-key")).json();
  expect(published).toMatchObject({ alg: "Ed25519", keyId: doc.signature.keyId });

  // "another installation": the same record re-issued under a key of the test's own
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("base64");
  const { signature: _old, ...body } = doc;
  const keyId = createHash("sha256").update(Buffer.from(raw, "base64")).digest("hex").slice(0, 16);
  const other = { ...body, issuer: { origin: "https://other-county.example", keyId, publicKeyUrl: "https://other-county.example/.well-known/yishi-volunteer-key" } };
  const file = `${canonical({ ...other, signature: { alg: "Ed25519", keyId, value: sign(null, Buffer.from(canonical(other)), privateKey).toString("base64") } }, 2)}\n`;

  // the community's organizer imports it on a phone without JavaScript: an altered byte is refused first
  const orgContext = await newContext(browser, { baseURL, javaScriptEnabled: false });
  const org = await orgContext.newPage();
  await logInInPage(org, "organizer_a", DEMO_PASSWORD);
  await org.goto("/volunteers/import");
  await checkedPage(org, "import form");
  const upload = async (text: string) => {
    await field(org, "本平台的志愿者编号或手机号").fill("13800000001");
    await org.getByLabel("记录文件（JSON）").setInputFiles({ name: "record.json", mimeType: "application/json", buffer: Buffer.from(text) });
    await field(org, "原平台的公钥").fill(raw);
    await org.getByRole("button", { name: "核验并导入" }).click();
  };
  await upload(file.replace('"format": "yishi', '"format":  "yishi'));
  await expect(org.getByRole("alert")).toContainText("文件与出具时不完全一致");
  await checkedPage(org, "import form with an error");
  await upload(file);
  await expect(org.getByText(/签名核验通过，已导入 \d+ 条记录/)).toBeVisible();
  await orgContext.close();

  // her team records a training session she attended and an honour (a mistake shown first)
  const teamContext = await newContext(browser, { baseURL });
  const team = await teamContext.newPage();
  await logInInPage(team, "organizer_a", DEMO_PASSWORD);
  await team.goto("/teams");
  await team.getByRole("link", { name: "幸福里志愿队" }).first().click();
  await team.getByRole("link", { name: "培训与表彰" }).click();
  await checkedPage(team, "training and honours");
  const trainingTitle = `急救培训${Date.now().toString(36)}`;
  await field(team, "培训名称").fill(trainingTitle);
  await field(team, "培训日期").fill(beijingDayFromNow(0));
  await field(team, "培训时长（小时）").fill("0.1");
  await field(team, "参加培训的志愿者").fill("13800000001");
  await team.getByRole("button", { name: "登记培训" }).click();
  await expect(team.getByRole("alert")).toBeVisible();
  await checkedPage(team, "training form with an error");
  await field(team, "培训时长（小时）").fill("2");
  await team.getByRole("button", { name: "登记培训" }).click();
  await expect(team.getByText("培训已登记，共 1 人。")).toBeVisible();
  await field(team, "受表彰的志愿者（编号或手机号）").fill("13800000001");
  await field(team, "表彰名称").fill("优秀志愿者");
  await field(team, "表彰日期").fill(beijingDayFromNow(0));
  await team.getByRole("button", { name: "登记表彰" }).click();
  await expect(team.getByText("表彰已登记。")).toBeVisible();
  await teamContext.close();

  // the volunteer sees the imported hours apart from her own
  await vol.goto("/volunteers/records");
  await expect(vol.getByRole("heading", { name: "从其他平台导入的记录" })).toBeVisible();
  await expect(vol.getByText("https://other-county.example", { exact: false }).first()).toBeVisible();
  await expect(vol.getByText(trainingTitle, { exact: false })).toBeVisible();
  await expect(vol.getByText("优秀志愿者", { exact: false }).first()).toBeVisible();
  await checkedPage(vol, "my records with an import");

  // 孙大姐 (a volunteer of 幸福里社区) edits her details and asks to move to 李家村
  const sunContext = await newContext(browser, { baseURL });
  const sun = await sunContext.newPage();
  await logInInPage(sun, "13800000003", DEMO_PASSWORD);
  await sun.goto("/volunteers/profile");
  await checkedPage(sun, "edit profile");
  await sun.getByLabel(/^可服务时间/).fill("周末上午");
  await sun.getByRole("button", { name: "保存资料" }).click();
  await expect(sun.getByText("资料已保存。")).toBeVisible();
  const beforeRecords = await recordTitles(sun);
  await sun.goto("/volunteers/profile");
  await sun.getByLabel("迁入社区").selectOption({ label: "李家村" });
  await sun.getByRole("button", { name: "提交迁移申请" }).click();
  await expect(sun.getByText("迁移申请已提交")).toBeVisible();
  await checkedPage(sun, "profile with a pending move");

  // 李家村's committee declines (a reason is required), she asks again, and it is accepted
  const comContext = await newContext(browser, { baseURL });
  const com = await comContext.newPage();
  await logInInPage(com, "committee_c", DEMO_PASSWORD);
  await com.goto("/volunteers/moves");
  await checkedPage(com, "incoming moves");
  const item = () => com.getByRole("listitem").filter({ hasText: "孙桂芳" });
  await item().getByText("不同意", { exact: true }).click();
  await item().getByRole("button", { name: "告知志愿者" }).click();
  await expect(com.getByRole("alert")).toContainText("请写明不同意的原因");
  await checkedPage(com, "incoming moves with an error");
  await item().getByLabel("不同意的原因").fill("请先到村委会登记住址");
  await item().getByRole("button", { name: "告知志愿者" }).click();
  await expect(com.getByText("已告知志愿者不同意的原因。")).toBeVisible();
  await sun.goto("/volunteers/profile");
  await expect(sun.getByText("请先到村委会登记住址")).toBeVisible();
  await sun.getByLabel("迁入社区").selectOption({ label: "李家村" });
  await sun.getByRole("button", { name: "提交迁移申请" }).click();
  await expect(sun.getByText("迁移申请已提交")).toBeVisible();
  await com.goto("/volunteers/moves");
  await item().getByRole("button", { name: "同意迁入" }).click();
  await expect(com.getByText("已同意迁入。")).toBeVisible();
  await sun.goto("/volunteers");
  await expect(sun.getByRole("main").getByText("李家村").first()).toBeVisible();
  expect(await recordTitles(sun)).toEqual(beforeRecords);

  // and back home, so the demo stays as seeded: 幸福里's committee accepts
  await sun.goto("/volunteers/profile");
  await sun.getByLabel("迁入社区").selectOption({ label: "幸福里社区" });
  await sun.getByRole("button", { name: "提交迁移申请" }).click();
  await expect(sun.getByText("迁移申请已提交")).toBeVisible();
  const backContext = await newContext(browser, { baseURL });
  const back = await backContext.newPage();
  await logInInPage(back, "committee_a", DEMO_PASSWORD);
  await back.goto("/volunteers/moves");
  await back.getByRole("listitem").filter({ hasText: "孙桂芳" }).getByRole("button", { name: "同意迁入" }).click();
  await expect(back.getByText("已同意迁入。")).toBeVisible();
  for (const c of [volContext, sunContext, comContext, backContext]) await c.close();
});

async function recordTitles(page: Page) {
  await page.goto("/volunteers/records");
  return page.locator("main .card-list .item-title").allTextContents();
}
