/**
 * The lawful path of a 居民会议 (issue 19), end to end: in a community of its own with a register
 * (3 adults on record), two verified adult residents speak in the room (one with JavaScript, one
 * by plain form) and vote; the quorum is counted over the register and the result says so; the
 * minutes are confirmed by both and signed off by the committee; a visitor who never signs in reads
 * the result and the confirmed minutes (names masked) on the 居务公开 page.
 *
 * The community, its register, the matter past its notice period and the session are put straight
 * into the database (scheduling is another journey's), so this needs the server on PostgreSQL:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/yishi_e2e_lawful npx playwright test -c .config/playwright.config.ts tests/e2e/lawful-meeting.spec.ts
 */
import postgres from "postgres";
import { expect, test, type Page } from "@playwright/test";
import { beijingDayFromNow, confirmIrreversible, expectAccessible, field, logInInPage, newContext, newResident, signUpByRequest, type Resident } from "./support";

const url = process.env.DATABASE_URL;

/** A community under 城关镇 of its own (the demo's 幸福里社区 keeps no register), its committee, residents 18+, a register, a matter and a session. */
async function setUp(sql: postgres.Sql, committee: Resident, residents: Resident[]) {
  const tag = Date.now().toString(36);
  const [town] = await sql<{ id: number; path: string }[]>`select id, path from areas where name = '城关镇'`;
  const [c] = await sql<{ id: number }[]>`insert into areas (parent_id, kind, community_type, name, residents, households) values (${town.id}, 'community', 'urban', ${`守法社区${tag}`}, 5, 3) returning id`;
  await sql`update areas set path = ${`${town.path}${c.id}/`} where id = ${c.id}`;
  const [staff] = await sql<{ id: number }[]>`select id from users where username = ${committee.username}`;
  await sql`insert into role_grants (user_id, role, area_id) values (${staff.id}, 'committee', ${c.id})`;
  for (const [i, r] of residents.entries()) {
    await sql`insert into memberships (user_id, community_id, status, address, birth_year, decided_at)
      select id, ${c.id}, 'verified', ${`${i + 1} 号楼`}, 1980, now() from users where username = ${r.username}`;
  }
  // the register in effect on the vote's opening day: 3 adults, so 2 present is more than half
  await sql`insert into community_register (community_id, residents, adults, households, as_of, source, recorded_by)
    values (${c.id}, 5, 3, 3, ${beijingDayFromNow(-10)}, 'census', ${staff.id})`;
  const [cat] = await sql<{ id: number }[]>`select min(id)::int as id from categories`;
  const title = `居民会议：楼道加装照明 ${tag}`;
  const [m] = await sql<{ id: number }[]>`
    insert into matters (community_id, proposer_id, state, title, description, category_id, affected_area, desired_outcome, form, submitted_at, materials_published_at)
    values (${c.id}, ${staff.id}, 'scheduled', ${title}, '楼道夜间太暗，老人上下楼不便。', ${cat.id}, '全部楼道', '加装声控照明', 'meeting', now() - interval '40 days', now() - interval '30 days')
    returning id`;
  const [s] = await sql<{ id: number }[]>`
    insert into room_sessions (matter_id, scheduled_at, place, moderator_id, checkin_code, created_by, created_at)
    values (${m.id}, now() + interval '1 hour', '社区活动室', ${staff.id}, ${`L${tag}`.slice(0, 8)}, ${staff.id}, now()) returning id`;
  await sql`insert into room_agenda_items (session_id, position, title, minutes) values (${s.id}, 0, '讨论方案', 20)`;
  return { communityId: c.id, matterId: m.id, sessionId: s.id, title };
}

const statementCard = (page: Page, text: string) => page.locator("#statements > li").filter({ hasText: text });

test.describe("a 居民会议 on the lawful path", () => {
  test.skip(!url, "needs the server on PostgreSQL (DATABASE_URL); see the header of this file");

  test("residents speak and vote, the quorum counts over the register, the minutes are confirmed and the public reads it all", async ({ browser, baseURL, page: staff, request }) => {
    test.setTimeout(240_000);
    const sql = postgres(url!, { max: 1, onnotice: () => {} });
    const [committee, a, b] = [newResident("lc"), newResident("la"), newResident("lb")];
    for (const u of [committee, a, b]) await signUpByRequest(request, u);
    const { communityId, matterId, sessionId, title } = await setUp(sql, committee, [a, b]);
    const roomPath = `/rooms/${sessionId}`;

    await logInInPage(staff, committee.username, committee.password);
    await staff.goto(roomPath);
    await staff.getByRole("button", { name: "开始议事会" }).click();
    await expect(staff.locator("#room-status")).toHaveAttribute("data-status", "open");

    // residents of a 居民会议 speak: A with JavaScript, B by plain form
    const ctxA = await newContext(browser, { baseURL });
    const ctxB = await newContext(browser, { baseURL, javaScriptEnabled: false });
    const [pa, pb] = await Promise.all([ctxA.newPage(), ctxB.newPage()]);
    await logInInPage(pa, a.username, a.password);
    await logInInPage(pb, b.username, b.password);
    await pa.goto(roomPath);
    await expect(pa.locator("#live-status")).toHaveAttribute("data-live", "1");
    await pa.getByLabel("支持", { exact: true }).check();
    await pa.getByLabel("意见内容").fill("支持加装声控灯。");
    await pa.getByRole("button", { name: "发送", exact: true }).click();
    await expect(statementCard(staff, "支持加装声控灯。")).toBeVisible();
    await expectAccessible(pa, "room (resident at a 居民会议)");
    await pb.goto(roomPath);
    await pb.getByLabel("支持", { exact: true }).check();
    await pb.getByLabel("意见内容").fill("同意，电费从公共收益出。");
    await pb.getByRole("button", { name: "发送", exact: true }).click();
    await expect(pb).toHaveURL(/saved=\d+/);
    await expect(statementCard(pb, "同意，电费从公共收益出。")).toBeVisible();

    // a residents' vote: both residents vote; 2 of the register's 3 adults is a quorum
    await staff.goto(`/matters/${matterId}`);
    await staff.getByRole("link", { name: "发起表决" }).click();
    await field(staff, "表决事项").fill("是否同意加装声控照明？");
    await field(staff, "表决方式").selectOption({ label: "同意 / 不同意 / 弃权" });
    await field(staff, "谁来表决").selectOption({ label: "本社区全体认证居民（每人一票）" });
    await field(staff, "适用规则").selectOption({ label: "居民会议（城市居民委员会组织法第九、十条）" });
    await field(staff, "投票方式").selectOption({ label: "记名投票（公布时显示姓名）" });
    await staff.getByRole("main").getByRole("button", { name: "发起表决", exact: true }).click();
    await expect(staff).toHaveURL(/\/votes\/\d+$/);
    const votePath = new URL(staff.url()).pathname;
    for (const p of [pa, pb]) {
      await p.goto(votePath);
      const cast = p.getByRole("region", { name: "投票", exact: true });
      await cast.getByRole("radio", { name: "同意", exact: true }).check();
      await cast.getByRole("button", { name: "投票", exact: true }).click();
      await expect(p.getByRole("status").filter({ hasText: "您的投票已记录。" })).toBeVisible();
    }
    // close the room, then count the vote
    await staff.goto(roomPath);
    await confirmIrreversible(staff, "结束议事会并生成纪要");
    await expect(staff.locator("#room-status")).toHaveAttribute("data-status", "closed");
    await staff.goto(votePath);
    await confirmIrreversible(staff, "结束表决并计票");
    await expect(staff.getByRole("heading", { name: /^表决结果/ })).toContainText("通过");
    await expect(staff.getByText(/法定人数的基数：社区登记的.*3（来源：人口普查/)).toBeVisible();

    // the minutes are a draft until both residents confirm and the committee signs off
    await staff.goto(`${roomPath}/minutes`);
    await expect(staff.locator("#minutes-status")).toContainText("草稿");
    await expect(staff.locator("#minutes-status")).toContainText("参会人员已确认 0/2");
    await field(staff, "撰写总结").fill("居民一致同意加装声控照明。");
    await staff.getByRole("button", { name: "保存总结" }).click();
    await expect(staff.getByRole("link", { name: "签发纪要并公开" })).toHaveCount(0);
    await expectAccessible(staff, "minutes (draft, committee)");
    for (const [p, who] of [[pa, a], [pb, b]] as const) {
      await p.goto(`${roomPath}/minutes`);
      await p.getByRole("button", { name: "提交" }).click();
      await expect(p.getByText(`${who.displayName}: 确认纪要`)).toBeVisible();
    }
    await staff.reload();
    await expect(staff.locator("#minutes-status")).toContainText("参会人员已确认 2/2");
    await confirmIrreversible(staff, "签发纪要并公开");
    await expect(staff.locator("#minutes-status")).toContainText("已确认");
    await expect(staff.getByLabel("撰写总结")).toHaveCount(0);
    await expectAccessible(staff, "minutes (confirmed, committee)");

    // a visitor, never signed in, reads the result and the confirmed minutes on the open page
    const ctxV = await newContext(browser, { baseURL });
    const visitor = await ctxV.newPage();
    await visitor.goto(`/open/${communityId}`);
    const item = visitor.locator(`#open-m-${matterId}`);
    await expect(item).toContainText(title);
    await expect(item).toContainText("通过");
    await expect(item).toContainText("法定人数的基数");
    await expect(visitor.getByRole("heading", { name: "主要数据" })).toBeVisible();
    await expectAccessible(visitor, "open page (visitor)");
    await item.getByRole("link", { name: /^会议纪要/ }).click();
    await expect(visitor).toHaveURL(new RegExp(`/open/minutes/${sessionId}$`));
    await expect(visitor.getByRole("heading", { level: 1 })).toContainText(title);
    await expect(visitor.getByText("居民一致同意加装声控照明。")).toBeVisible();
    await expect(visitor.locator("#public-statements")).toContainText("支持加装声控灯。");
    await expect(visitor.locator("main")).not.toContainText(a.displayName);
    await expectAccessible(visitor, "confirmed minutes (visitor)");
    // a draft is not public: another session's minutes that do not exist answer 404
    expect((await visitor.request.get(`/open/minutes/${sessionId + 100000}`)).status()).toBe(404);

    // B's confirmation was given, and the public sees the count but not who
    await expect(visitor.getByText("确认 2 人，提出意见 0 人")).toBeVisible();

    // … and downloads the open data from the page, still without an account: the result and the minutes, no names
    await visitor.goto(`/open/${communityId}`);
    for (const [link, type] of [["下载开放数据（CSV）", "text/csv"], ["下载开放数据（JSON）", "application/json"]] as const) {
      const href = await visitor.getByRole("link", { name: link }).getAttribute("href");
      const res = await visitor.request.get(href!);
      expect(res.status()).toBe(200);
      expect(res.headers()["content-type"]).toContain(type);
      const body = await res.text();
      expect(body).toContain(title);
      for (const name of [a.displayName, b.displayName, committee.displayName, a.username]) expect(body).not.toContain(name);
    }
    const data = JSON.parse(await (await visitor.request.get(`/open/${communityId}/data.json`)).text());
    const mine = data.matters.find((x: { id: number }) => x.id === matterId);
    expect(mine.minutes).toEqual([expect.objectContaining({ sessionId, summary: "居民一致同意加装声控照明。" })]);
    expect(mine.votes[0]).toMatchObject({ passed: true, quorumMet: true, quorumBase: { count: 3, kind: "adults", source: "census" } });
    await Promise.all([ctxA.close(), ctxB.close(), ctxV.close()]);
    await sql.end();
  });
});
