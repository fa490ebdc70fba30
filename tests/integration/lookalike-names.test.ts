import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { memberships, users } from "../../db/schema";
import * as signup from "../../app/routes/signup";
import * as community from "../../app/routes/communities.$areaId._index";
import { SignUpSchema } from "../../app/modules/accounts/schemas";
import { CreateAreaSchema } from "../../app/modules/communities/schemas";
import { CategorySchema, MaterialSchema, MatterDraftSchema } from "../../app/modules/matters/schemas";
import { RespondSchema } from "../../app/modules/matters/outcomes/schemas";
import { CreateTeamSchema } from "../../app/modules/volunteers/schemas";
import { nameKey, parseMsg } from "../../app/modules/shared/validation";
import { testDatabase } from "../support/db";
import { actorOf, grant, makeTree, makeUser } from "../support/factories";
import { callRoute, formBody, loadContext } from "../support/remix";

let database: Database;
let tree: Awaited<ReturnType<typeof makeTree>>;
beforeAll(async () => {
  database = await testDatabase();
  tree = await makeTree(database.db);
});
afterAll(() => database.close());

const ZWSP = "\u200B";
const RLO = "\u202E";
const lookalikes = (n: string) => [`${n.slice(0, 1)}${ZWSP}${n.slice(1)}`, `${n}${ZWSP}`, `${RLO}${n}`, `${n}\u2066`, `${n.slice(0, 1)}\u200D${n.slice(1)}`, `\u00AD${n}`, `${n.slice(0, 1)}\uFEFF${n.slice(1)}`];

const messageOf = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? "ok" : parseMsg(r.error!.issues[0].message).key);

describe("names and titles refuse invisible format characters (Unicode Cf) and are NFC", () => {
  it("a display name with a zero-width space, an RTL override or any other format character is refused", () => {
    for (const bad of lookalikes("王主任")) {
      expect(messageOf(SignUpSchema.safeParse({ identifier: "someone_new", displayName: bad, password: "long enough", confirm: "long enough" })), JSON.stringify(bad)).toBe(
        "errors.formatCharacters",
      );
    }
  });

  it("is normalised to NFC: a decomposed é is stored composed", () => {
    const r = SignUpSchema.parse({ identifier: "nfc_person", displayName: "Rene\u0301", password: "long enough", confirm: "long enough" });
    expect(r.displayName).toBe("Ren\u00E9");
  });

  it("every other name and title field refuses them too", () => {
    const bad = `社区${ZWSP}服务`;
    expect(messageOf(CreateAreaSchema.safeParse({ parentId: "1", name: bad }))).toBe("errors.formatCharacters");
    expect(messageOf(CreateTeamSchema.safeParse({ areaId: "1", name: bad }))).toBe("errors.formatCharacters");
    expect(messageOf(CategorySchema.safeParse({ name: bad }))).toBe("errors.formatCharacters");
    expect(messageOf(MaterialSchema.safeParse({ title: bad, body: "正文" }))).toBe("errors.formatCharacters");
    const draft = MatterDraftSchema.safeParse({ title: `${RLO}修路灯的事情`, description: "x".repeat(30), affectedArea: "1 号楼" });
    expect(draft.success).toBe(false);
    expect(draft.error!.issues.map((i) => parseMsg(i.message).key)).toContain("errors.formatCharacters");
  });

  it("longer text refuses bidi overrides but keeps emoji joined with a zero-width joiner", () => {
    expect(messageOf(RespondSchema.safeParse({ response: `同意${RLO}不同意` }))).toBe("errors.formatCharacters");
    expect(messageOf(RespondSchema.safeParse({ response: "全家 👨\u200D👩\u200D👧 都同意" }))).toBe("ok");
  });

  it("the sign-up page answers 400 with the message beside the name and creates no account", async () => {
    const [{ n: before }] = await database.db.select({ n: count() }).from(users);
    const res = await callRoute(signup.action, {
      body: formBody({ identifier: "zw_space", displayName: `王${ZWSP}主任`, password: "long enough", confirm: "long enough" }),
      context: loadContext(database.db, null),
    });
    expect(res.status).toBe(400);
    expect(res.data.result.error.displayName.map((m: string) => parseMsg(m).key)).toEqual(["errors.formatCharacters"]);
    const [{ n: after }] = await database.db.select({ n: count() }).from(users);
    expect(after).toBe(before);
  });
});

describe("a display name that passes for a staff member's cannot join their area", () => {
  it("nameKey folds width, case, spaces and invisible characters", () => {
    expect(nameKey("王 主任")).toBe(nameKey("王主任"));
    expect(nameKey("ＷＡＮＧ")).toBe(nameKey("wang"));
    expect(nameKey(`王${ZWSP}主任`)).toBe(nameKey("王主任"));
    expect(nameKey("王主任")).not.toBe(nameKey("王副主任"));
  });

  it("refuses the join request in the staff member's community and in communities below a town admin, not elsewhere", async () => {
    const committee = await makeUser(database.db, { name: "李书记" });
    await grant(database.db, committee.id, "committee", tree.a1.id);
    const townAdmin = await makeUser(database.db, { name: "Zhang Wei" });
    await grant(database.db, townAdmin.id, "town_admin", tree.townA.id);

    const join = async (displayName: string, areaId: number) => {
      // written straight to the table: an account made before this rule, or a name that passes the schema
      const u = await makeUser(database.db, { name: displayName });
      const res = await callRoute(community.action, {
        url: `/communities/${areaId}`,
        params: { areaId: String(areaId) },
        body: formBody({ address: "3 号楼" }),
        context: loadContext(database.db, await actorOf(database.db, u.id)),
      });
      const rows = await database.db.select().from(memberships).where(eq(memberships.userId, u.id));
      return { status: res.status, key: res.data.result?.error?.[""]?.map((m: string) => parseMsg(m).key)[0], joined: rows.length };
    };

    for (const lookalike of ["李 书记", "李书记", `李${ZWSP}书记`]) {
      expect(await join(lookalike, tree.a1.id), lookalike).toEqual({ status: 400, key: "errors.nameLikeStaff", joined: 0 });
    }
    // a town admin's name, in a community of their town, full-width and upper-cased
    expect(await join("ＺＨＡＮＧ ＷＥＩ", tree.a2.id)).toEqual({ status: 400, key: "errors.nameLikeStaff", joined: 0 });
    // another town: neither staff member works there
    expect(await join("李书记", tree.b1.id)).toMatchObject({ status: 302, joined: 1 });
    expect(await join("李大爷", tree.a1.id)).toMatchObject({ status: 302, joined: 1 });
    // the staff member themselves may still join as a resident
    const self = await callRoute(community.action, {
      url: `/communities/${tree.a1.id}`,
      params: { areaId: String(tree.a1.id) },
      body: formBody({ address: "5 号楼" }),
      context: loadContext(database.db, await actorOf(database.db, committee.id)),
    });
    expect(self.status).toBe(302);
  });
});
