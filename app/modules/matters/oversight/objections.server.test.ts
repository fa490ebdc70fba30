import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../db/client";
import { areas, ledgerEntries, matters } from "../../../../db/schema";
import { fixedClock } from "../../shared/clock";
import { testDatabase } from "../../../../tests/support/db";
import { actorOf, grant, join, makeTree, makeUser } from "../../../../tests/support/factories";
import { makeMatter, ROOM_NOW } from "../../../../tests/support/room";
import { EventBus } from "../../shared/events";
import type { Actor } from "../../accounts/actor";
import { getDashboard } from "../outcomes/dashboard.server";
import { getOpenData } from "../outcomes/open-data.server";
import { listCommunityLedger } from "../../communities/ledger-view.server";
import { answerObjection, fileObjection, getMatterObjections } from "./objections.server";
import { AnswerObjectionSchema, FileObjectionSchema } from "./schemas";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

const DAY = 86_400_000;
const code = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string; messageKey?: string }) => `${e.code}:${e.messageKey}`);
const object = (x: Record<string, unknown>) => FileObjectionSchema.parse({ intent: "object", ...x });

async function world() {
  const db = database.db;
  const tree = await makeTree(db);
  const ids = { committee: await makeUser(db), supervisor: await makeUser(db, { name: "监督员王明" }), otherSupervisor: await makeUser(db), resident: await makeUser(db), townAdmin: await makeUser(db) };
  await grant(db, ids.committee.id, "committee", tree.a1.id);
  await grant(db, ids.supervisor.id, "supervisor", tree.a1.id);
  await grant(db, ids.otherSupervisor.id, "supervisor", tree.b1.id);
  await grant(db, ids.townAdmin.id, "town_admin", tree.townA.id);
  await join(db, ids.resident.id, tree.a1.id);
  // the community gives its committee 5 days to answer
  await db.update(areas).set({ objectionAnswerDays: 5 }).where(eq(areas.id, tree.a1.id));
  const m = await makeMatter(db, tree.a1.id, ids.committee.id, tree.county.id);
  const a: Record<keyof typeof ids, Actor> = {} as never;
  for (const [k, u] of Object.entries(ids)) a[k as keyof typeof ids] = await actorOf(db, u.id);
  const events = new EventBus();
  const ctx = (actor: Actor | null, at = ROOM_NOW) => ({ db, actor, events, clock: fixedClock(at) });
  return { tree, m, a, ctx };
}

describe("oversight: the supervision committee objects, the committee answers in public (issue 19)", () => {
  it("only the community's supervision committee files; the answer is due after the community's days; the target must be the matter's", async () => {
    const { m, a, ctx } = await world();
    for (const who of [a.resident, a.committee]) expect(await code(fileObjection(ctx(who), m.id, object({ target: "matter", body: "为什么？" })))).toBe("forbidden:oversight.errors.supervisorsOnly");
    expect(await code(fileObjection(ctx(a.otherSupervisor), m.id, object({ target: "matter", body: "x" })))).toBe("forbidden:oversight.errors.supervisorsOnly");
    expect(await code(fileObjection(ctx(a.supervisor), m.id, object({ target: "vote", targetId: 999_999, body: "x" })))).toBe("validation:oversight.errors.target");
    expect(FileObjectionSchema.safeParse({ intent: "object", target: "vote", body: "x" }).success).toBe(false);
    const o = await fileObjection(ctx(a.supervisor), m.id, object({ target: "matter", body: "预算为何未公示？请说明。" }));
    expect(o.answerDue.getTime() - o.filedAt.getTime()).toBe(5 * DAY);
    const ledger = await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.action, "matter.objectionFiled"));
    expect(ledger.some((l) => l.entityId === String(m.id))).toBe(true);
  });

  it("the committee answers once; an unanswered objection past its day is flagged on the community's and the town's dashboards", async () => {
    const { tree, m, a, ctx } = await world();
    const o = await fileObjection(ctx(a.supervisor), m.id, object({ target: "matter", body: "请公开费用明细，联系电话13800001111" }));
    const before = await getDashboard(ctx(a.committee, new Date(ROOM_NOW.getTime() + 4 * DAY)), tree.a1.id);
    expect(before.total).toMatchObject({ objectionsOpen: 1, objectionsOverdue: 0 });
    const late = new Date(ROOM_NOW.getTime() + 6 * DAY);
    const community = await getDashboard(ctx(a.committee, late), tree.a1.id);
    expect(community.total).toMatchObject({ objectionsOpen: 1, objectionsOverdue: 1 });
    const town = await getDashboard(ctx(a.townAdmin, late), tree.townA.id);
    expect(town.total.objectionsOverdue).toBe(1);
    expect(town.communities.find((c) => c.id === tree.a1.id)).toMatchObject({ objectionsOverdue: 1 });
    // the supervision committee reads its community's dashboard, not another's
    expect((await getDashboard(ctx(a.supervisor, late), tree.a1.id)).total.objectionsOverdue).toBe(1);
    expect(await code(getDashboard(ctx(a.supervisor, late), tree.b1.id))).toBe("forbidden:errors.forbidden");

    // the public sees the objection, its overdue state and, later, the answer; no name, no phone number
    const open = await getOpenData(ctx(null, late), tree.a1.id);
    expect(open.figures.total).toMatchObject({ objectionsOpen: 1, objectionsOverdue: 1 });
    const pub = open.matters.find((x) => x.id === m.id)!.objections;
    expect(pub).toEqual([expect.objectContaining({ id: o.id, overdue: true, answer: null, body: "请公开费用明细，联系电话[…]" })]);
    expect(JSON.stringify(open)).not.toContain("监督员王明");

    const answer = (text: string) => AnswerObjectionSchema.parse({ intent: "answer", objectionId: String(o.id), answer: text });
    expect(await code(answerObjection(ctx(a.supervisor, late), m.id, answer("自己答")))).toBe("forbidden:errors.forbidden");
    await answerObjection(ctx(a.committee, late), m.id, answer("费用明细已张贴在公告栏。"));
    expect(await code(answerObjection(ctx(a.committee, late), m.id, answer("改口")))).toBe("invalid_state:oversight.errors.answered");
    const after = await getDashboard(ctx(a.committee, late), tree.a1.id);
    expect(after.total).toMatchObject({ objectionsOpen: 0, objectionsOverdue: 0 });
    const page = await getMatterObjections(ctx(null, late), m.id);
    expect(page.objections[0]).toMatchObject({ answer: "费用明细已张贴在公告栏。", overdue: true });
    expect(page).toMatchObject({ canObject: false, canAnswer: false });
  });

  it("the supervision committee reads a matter still collecting co-signs; a resident of another community does not", async () => {
    const { m, a, ctx } = await world();
    await database.db.update(matters).set({ state: "collecting" }).where(eq(matters.id, m.id));
    expect((await getMatterObjections(ctx(a.supervisor), m.id)).canObject).toBe(true);
    expect(await code(getMatterObjections(ctx(a.otherSupervisor), m.id))).toBe("not_found:errors.notFound");
  });

  it("the supervision committee reads its community's ledger, with the objection in it; a resident and another community's supervisor do not", async () => {
    const { tree, m, a, ctx } = await world();
    await fileObjection(ctx(a.supervisor), m.id, object({ target: "matter", body: "请说明" }));
    const page = await listCommunityLedger(ctx(a.supervisor), tree.a1.id);
    expect(page.entries.map((e) => e.action)).toContain("matter.objectionFiled");
    expect(await code(listCommunityLedger(ctx(a.resident), tree.a1.id))).toBe("forbidden:errors.forbidden");
    expect(await code(listCommunityLedger(ctx(a.otherSupervisor), tree.a1.id))).toBe("forbidden:errors.forbidden");
  });
});
