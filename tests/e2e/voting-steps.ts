/**
 * Steps of the committee's side of a vote, shared by the journeys that need a vote open (the voting
 * journey, the notification journey): a matter made votable, residents verified, a vote set up.
 */
import { expect, type Locator, type Page } from "@playwright/test";
import { COMMUNITY_NAME, beijingFromNow, DAY, expectAccessible, field, scheduleConsultation } from "./support";

/** The state tag at the top of a matter or vote page. */
export function stateTag(page: Page) {
  return page.locator("main .tag.state");
}

/** Every page has a <title> (root meta is the fallback); axe's full rule set applies. */
export async function expectAccessibleUntitled(page: Page, label: string) {
  await page.waitForLoadState("load");
  expect((await page.title()).trim(), `${label} has a title`).not.toBe("");
  return expectAccessible(page, label);
}

/**
 * As committee_a: verifies the applicants on the 居民审核 page, checking each 通过 button's
 * accessible name exactly (server-rendered attributes must not be corrupted).
 */
export async function verifyResidents(page: Page, communityId: number, displayNames: string[], check: boolean) {
  await page.goto(`/communities/${communityId}/members`);
  await expect(page.getByRole("heading", { level: 1, name: `${COMMUNITY_NAME}：居民审核` })).toBeVisible();
  if (check) await expectAccessible(page, "居民审核");
  for (const displayName of displayNames) {
    const item = page.getByRole("listitem").filter({ has: page.getByText(displayName, { exact: true }) });
    await expect(item).toHaveCount(1);
    const button = item.locator('button[name="decision"][value="verify"]');
    await expect(button).toHaveCount(1);
    expect(await button.getAttribute("aria-label")).toBe(`通过：${displayName}`);
    await button.click();
    await expect(page.getByText(`已通过 ${displayName} 的申请。`)).toBeVisible();
  }
}

/**
 * As committee_a: opens 幸福里社区 from the home page and returns its id. Waits for the URL first:
 * committee_a's own home heading ("您好，幸福里社区 陈书记") contains the community's name.
 */
export async function openCommunityAsStaff(page: Page, check: boolean) {
  await page.goto("/");
  await page.getByRole("region", { name: "各地社区" }).getByRole("link", { name: COMMUNITY_NAME, exact: true }).click();
  await expect(page).toHaveURL(/\/communities\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: COMMUNITY_NAME, exact: true })).toBeVisible();
  if (check) await expectAccessible(page, "community page (committee member)");
  return Number(/\/communities\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
}

/** The command form behind a <details> summary on the matter page (受理, 安排协商 …). */
export function commandForm(page: Page, name: string): Locator {
  return page.locator("details").filter({ has: page.locator("summary", { hasText: new RegExp(`^${name}$`) }) });
}

/**
 * As the committee: proposes a matter (a committee proposal goes straight to review), accepts it
 * for a residents' meeting and schedules the meeting 5 days ahead, so it can be put to a vote.
 * `check` runs the accessibility check on each page (the script-less test sees the same pages).
 */
export async function committeeMakesVotableMatter(page: Page, communityId: number, title: string, check: boolean) {
  await page.goto(`/communities/${communityId}/matters/new`);
  await expect(page.getByRole("heading", { level: 1, name: "提出新议题" })).toBeVisible();
  if (check) await expectAccessibleUntitled(page, "proposal form (committee)");
  await field(page, "标题").fill(title);
  await field(page, "详细说明").fill("东门电动车乱停，挡住消防通道，居民多次反映。");
  await field(page, "类别").selectOption({ label: "公共事务" });
  await field(page, "涉及范围").fill("东门");
  await field(page, "希望的结果").fill("在东门内侧建一个带充电桩的停车棚。");
  await page.getByRole("main").getByRole("button", { name: "保存草稿" }).click();
  await expect(page).toHaveURL(/\/matters\/\d+\?saved=1$/);
  const matterId = Number(/\/matters\/(\d+)/.exec(new URL(page.url()).pathname)?.[1]);
  expect(matterId).toBeGreaterThan(0);
  await expect(stateTag(page)).toHaveText("草稿");
  if (check) await expectAccessible(page, "matter page (committee draft)");

  await page.getByRole("button", { name: "提交，开始征集附议" }).click();
  await expect(page).toHaveURL(new RegExp(`/matters/${matterId}\\?done=submitted$`));
  await expect(stateTag(page)).toHaveText("待审核");
  const accept = commandForm(page, "受理");
  await accept.locator("summary").click();
  await accept.getByLabel("居民（村民）会议").check();
  if (check) await expectAccessible(page, "matter page (under review, accept form open)");
  await accept.getByRole("button", { name: "受理", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/matters/${matterId}\\?done=done$`));
  await expect(stateTag(page)).toHaveText("已受理");

  // one scheduling step: the first session's time is the consultation's
  await scheduleConsultation(page, matterId, beijingFromNow(5 * DAY, "T"), check ? (label) => expectAccessibleUntitled(page, label) : undefined);
  await expect(stateTag(page)).toHaveText("已安排协商");
  await expect(page.getByRole("link", { name: "发起表决" })).toBeVisible();
  if (check) await expectAccessible(page, "matter page (scheduled)");
  return matterId;
}

/**
 * From the scheduled matter's page: 发起表决 with a yes/no question, every verified resident,
 * the 居民会议 rule, a secret ballot and no closing time. Returns the vote id and electorate size.
 */
/** The committee fills the vote set-up form of a scheduled matter (secret yes/no, residents' meeting) and submits it; answers the vote's id. */
export async function committeeSetsUpVote(page: Page, matterId: number, question: string, check: boolean, opensAt?: string) {
  await page.goto(`/matters/${matterId}`);
  await expect(stateTag(page)).toHaveText("已安排协商");
  await page.getByRole("link", { name: "发起表决" }).click();
  await expect(page).toHaveURL(new RegExp(`/matters/${matterId}/votes/new$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("发起表决：");
  if (check) await expectAccessibleUntitled(page, "vote set-up form");
  await field(page, "表决事项").fill(question);
  await field(page, "表决方式").selectOption({ label: "同意 / 不同意 / 弃权" });
  await field(page, "谁来表决").selectOption({ label: "本社区全体认证居民（每人一票）" });
  await field(page, "适用规则").selectOption({ label: "居民会议（城市居民委员会组织法第九、十条）" });
  await field(page, "投票方式").selectOption({ label: "无记名投票（公布时不显示姓名）" });
  if (opensAt) await field(page, "开始时间（选填）").fill(opensAt);
  await page.getByRole("main").getByRole("button", { name: "发起表决", exact: true }).click();

  await expect(page).toHaveURL(/\/votes\/\d+$/);
  const voteId = Number(/\/votes\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
  expect(voteId).toBeGreaterThan(0);
  await expect(page.getByRole("heading", { level: 1, name: question })).toBeVisible();
  return voteId;
}
