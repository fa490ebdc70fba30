import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "../app/modules/accounts/auth.server";
import { getSessionActor } from "../app/modules/accounts/sessions.server";
import { verifyLedger } from "../app/modules/ledger/ledger.server";
import { systemClock } from "../app/modules/shared/clock";
import { context } from "../tests/support/factories";
import { testDatabase } from "../tests/support/db";
import { areas } from "./schema";
import type { Database } from "./client";
import { DEMO_PASSWORD, seedIfEmpty } from "./seed";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe("demo seed", () => {
  it("fills an empty database once: a county, two towns, urban and rural communities, one account per role", async () => {
    expect(await seedIfEmpty(database, () => {})).toBe(true);
    expect(await seedIfEmpty(database, () => {})).toBe(false);
    const all = await database.db.select().from(areas);
    expect(all.filter((a) => a.kind === "county")).toHaveLength(1);
    expect(all.filter((a) => a.kind === "town")).toHaveLength(2);
    expect(new Set(all.filter((a) => a.kind === "community").map((a) => a.communityType))).toEqual(new Set(["urban", "rural"]));
    // The seed writes on the system clock, so the test reads on it too (one clock).
    const { ctx } = context(database.db, null, systemClock);
    const { token } = await logIn(ctx, { identifier: "committee_a", password: DEMO_PASSWORD });
    const actor = await getSessionActor(database.db, token, ctx.clock.now());
    expect(actor?.roles.map((r) => r.role)).toEqual(["committee"]);
    expect((await verifyLedger(database.db)).ok).toBe(true);
    // volunteering: organizer_a runs a team of 幸福里社区 with a past and a coming activity
    const { getMyRecords } = await import("../app/modules/volunteers/records.server");
    const { listMyTeams } = await import("../app/modules/volunteers/volunteers.server");
    const org = await logIn(ctx, { identifier: "organizer_a", password: DEMO_PASSWORD });
    expect((await listMyTeams(context(database.db, await getSessionActor(database.db, org.token, ctx.clock.now()), systemClock).ctx)).map((t) => t.name)).toEqual(["幸福里志愿队"]);
    const wang = await logIn(ctx, { identifier: "13800000001", password: DEMO_PASSWORD });
    const records = await getMyRecords(context(database.db, await getSessionActor(database.db, wang.token, ctx.clock.now()), systemClock).ctx);
    expect(records.confirmedHours).toBe(3);
  });
});
