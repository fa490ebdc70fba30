import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { testDatabase } from "../../../tests/support/db";
import { makeUser } from "../../../tests/support/factories";
import { findUserByLogin } from "./lookup.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe("findUserByLogin", () => {
  it("finds an account the way signing in does: phone however written, username in any case", async () => {
    const phone = `139${String(process.pid % 100_000_000).padStart(8, "0")}`;
    const byPhone = await makeUser(database.db, { phone });
    const byName = await makeUser(database.db, { username: "lookup_holder" });
    const spaced = `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)} ${phone.slice(7)}`;
    expect((await findUserByLogin(database.db, spaced))?.id).toBe(byPhone.id);
    expect((await findUserByLogin(database.db, `86${phone}`))?.id).toBe(byPhone.id);
    expect((await findUserByLogin(database.db, "Lookup_Holder"))?.id).toBe(byName.id);
    expect((await findUserByLogin(database.db, { kind: "username", value: "lookup_holder" }))?.id).toBe(byName.id);
  });

  it("finds nobody for text that is neither a phone nor a username, or an unknown one", async () => {
    for (const text of ["", "  ", "<b>", "12345", "lookup holder", "nobody_at_all"]) expect(await findUserByLogin(database.db, text), text).toBeNull();
  });
});
