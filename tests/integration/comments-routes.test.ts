/**
 * The discussion over its two doors: plain form posts (no JavaScript: post, redirect, the comment
 * in view; a bad stance is a 400 with the message beside its field) and the socket (a watcher hears
 * a comment posted by form; `comments:post` runs the same command and spends the post budget).
 */
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { EventBus } from "../../app/modules/shared/events";
import { action, loader } from "../../app/routes/matters.$matterId_.comments";
import * as moderationRoute from "../../app/routes/communities.$areaId.moderation";
import { grant } from "../support/factories";
import { SOCKET_LIMITS } from "../../server/realtime/limits";
import { testDatabase } from "../support/db";
import { actorOf, join, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";
import { makeMatter } from "../support/room";
import { cookieOf, startInstance, type Instance } from "../support/room-sockets";
import { startApp } from "../support/app-server";

let database: Database;
let matterId: number;
let residentId: number;
let outsiderId: number;
let communityId: number;
let committeeId: number;
beforeAll(async () => {
  database = await testDatabase();
  const tree = await makeTree(database.db);
  residentId = (await makeUser(database.db, { name: "王阿姨" })).id;
  await join(database.db, residentId, tree.a1.id);
  outsiderId = (await makeUser(database.db, { name: "外人" })).id;
  await join(database.db, outsiderId, tree.b1.id);
  const proposer = (await makeUser(database.db)).id;
  matterId = (await makeMatter(database.db, tree.a1.id, proposer, tree.county.id)).id;
  communityId = tree.a1.id;
  committeeId = (await makeUser(database.db, { name: "委员" })).id;
  await grant(database.db, committeeId, "committee", tree.a1.id);
});
afterAll(() => database.close());

const params = () => ({ matterId: String(matterId) });

describe("the discussion page without JavaScript", () => {
  it("a resident posts by form and is sent back to the comment; a missing stance is a 400 beside the field, storing nothing", async () => {
    const ctx = loadContext(database.db, await actorOf(database.db, residentId));
    const bad = await callRoute(action, { params: params(), context: ctx, body: formBody({ intent: "post", stance: "", body: "没有立场" }) });
    expect(bad.status).toBe(400);
    expect(bad.data.result.error.stance[0]).toBe("comments.errors.stance");
    const ok = await callRoute(action, { params: params(), context: ctx, body: formBody({ intent: "post", stance: "support", body: "支持！" }) });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toMatch(new RegExp(`^/matters/${matterId}/comments\\?done=posted#comment-\\d+$`));
    const page = await callRoute(loader, { url: `/matters/${matterId}/comments?sort=zzz&page=abc`, params: params(), context: ctx });
    expect(page.status).toBe(200);
    expect(page.data.threads.map((t: { body: string }) => t.body)).toEqual(["支持！"]);
    expect(page.data.balance.support).toBe(1);
  });

  it("someone from another community is told why they cannot take part; an unknown intent is a 400", async () => {
    const ctx = loadContext(database.db, await actorOf(database.db, outsiderId));
    const r = await callRoute(action, { params: params(), context: ctx, body: formBody({ intent: "post", stance: "oppose", body: "反对" }) });
    expect(r.status).toBe(403);
    expect(r.data.result.error[""][0]).toMatch(/^comments.errors.notResident/);
    const u = await callRoute(action, { params: params(), context: ctx, body: formBody({ intent: "drop-table" }) });
    expect(u.status).toBe(400);
  });
});

describe("the discussion live", () => {
  let instance: Instance;
  const events = new EventBus();
  const sockets: Socket[] = [];
  beforeAll(async () => {
    instance = await startInstance(database.db, events);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await instance.close();
  });
  const open = async (userId: number | null) => {
    const s = connect(instance.url, { transports: ["websocket"], extraHeaders: { origin: instance.url, ...(userId ? { cookie: await cookieOf(database.db, userId) } : {}) }, reconnection: false });
    sockets.push(s);
    await new Promise<void>((r) => s.on("connect", () => r()));
    return s;
  };
  const ask = (s: Socket, event: string, payload: unknown) => new Promise<any>((r) => s.emit(event, payload, r));

  it("a reader watching the matter hears of a comment posted by form; one who may not read it cannot watch", async () => {
    const reader = await open(null);
    expect((await ask(reader, "comments:watch", matterId)).ok).toBe(true);
    expect((await ask(reader, "comments:watch", 999_999)).error.code).toBe("not_found");
    const heard = new Promise<any>((r) => reader.on("comments:new", r));
    const ctx = { ...loadContext(database.db, await actorOf(database.db, residentId)), events };
    await callRoute(action, { params: params(), context: ctx, body: formBody({ intent: "post", stance: "question", body: "什么时候开工？" }) });
    expect(await heard).toMatchObject({ matterId, threadId: null });
  });

  it("a comment sent over the socket is the same command, and a flood is refused per user", async () => {
    const s = await open(residentId);
    const ok = await ask(s, "comments:post", { matterId, stance: "neutral", body: "我来补充一点。" });
    expect(ok.ok).toBe(true);
    expect((await ask(s, "comments:post", { matterId, stance: "nope", body: "x" })).error.code).toBe("validation");
    const anon = await open(null);
    expect((await ask(anon, "comments:post", { matterId, stance: "support", body: "匿名" })).error.code).toBe("unauthenticated");
    const answers = [];
    for (let i = 0; i < SOCKET_LIMITS.post.socket + 2; i++) answers.push(await ask(s, "comments:post", { matterId, stance: "support", body: `刷屏${i}` }));
    expect(answers.some((a) => a.error?.code === "rate_limited")).toBe(true);
  });
});

describe("reports and review by form", () => {
  it("a report without a reason is a 400 beside the field; the committee hides with a public reason by form; a resident may not open the queue", async () => {
    const author = await actorOf(database.db, residentId);
    const post = await callRoute(action, { params: params(), context: loadContext(database.db, author), body: formBody({ intent: "post", stance: "oppose", body: "要举报的话" }) });
    const commentId = post.headers.get("location")!.split("#comment-")[1];
    const reporter = loadContext(database.db, await actorOf(database.db, outsiderId));
    const bad = await callRoute(action, { params: params(), context: reporter, body: formBody({ intent: `report-${commentId}`, commentId, reason: "" }) });
    expect([bad.status, bad.data.result.error.reason[0]]).toEqual([400, "comments.errors.reportReason"]);
    const ok = await callRoute(action, { params: params(), context: reporter, body: formBody({ intent: `report-${commentId}`, commentId, reason: "abuse" }) });
    expect(ok.headers.get("location")).toContain("done=reported");
    const staff = loadContext(database.db, await actorOf(database.db, committeeId));
    const queue = await callRoute(moderationRoute.loader, { params: { areaId: String(communityId) }, context: staff });
    expect(queue.data.reports.map((r: { commentId: number }) => String(r.commentId))).toContain(commentId);
    const refused = await callRoute(moderationRoute.loader, { params: { areaId: String(communityId) }, context: loadContext(database.db, author) });
    expect(refused.status).toBe(403);
    const noReason = await callRoute(moderationRoute.action, { params: { areaId: String(communityId) }, context: staff, body: formBody({ intent: `decide-${commentId}`, commentId, decision: "hide", reason: "" }) });
    expect(noReason.status).toBe(400);
    const hide = await callRoute(moderationRoute.action, { params: { areaId: String(communityId) }, context: staff, body: formBody({ intent: `decide-${commentId}`, commentId, decision: "hide", reason: "人身攻击" }) });
    expect(hide.status).toBe(302);
    const page = await callRoute(loader, { params: params(), context: loadContext(database.db, null) });
    expect(page.data.threads.find((t: { id: number }) => String(t.id) === commentId)).toMatchObject({ status: "hidden", body: null, hiddenReason: "人身攻击" });
  });
});

describe("the pages as a browser gets them", () => {
  it("the discussion and the matter page render on the server with the comments, the balance and no duplicate ids", async () => {
    const app = await startApp(database);
    try {
      const cookie = await cookieOf(database.db, committeeId);
      for (const url of [`/matters/${matterId}/comments`, `/matters/${matterId}`, `/matters/${matterId}/comments?sort=agreed&stance=support`, `/communities/${communityId}/moderation`]) {
        const res = await fetch(app.origin + url, { headers: { "accept-language": "zh-CN", cookie } });
        const html = await res.text();
        expect(res.status, url).toBe(200);
        expect(html, url).toMatch(/支持|评论审核/);
        // on the matter page, the ids this section adds (the page's other sections are not this issue's)
        const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]).filter((id) => url.includes("comments") || /^(comment|stance)/.test(id));
        expect(ids.filter((id, i) => ids.indexOf(id) !== i), url).toEqual([]);
      }
      const page = await (await fetch(`${app.origin}/matters/${matterId}/comments?sort=oldest`)).text();
      expect(page).toContain("什么时候开工？");
      expect(page).toContain("立场分布");
      const search = await (await fetch(`${app.origin}/search?q=${encodeURIComponent("开工")}&kind=comment&page=zz`)).text();
      expect(search).toContain("<mark>开工</mark>");
      const odd = await fetch(`${app.origin}/search?q=${encodeURIComponent("<script>%_")}&state=nope&from=2026-99-99`);
      expect(odd.status).toBe(200);
      expect(await odd.text()).not.toContain("<script>%_");
    } finally {
      await app.close();
    }
  });
});
