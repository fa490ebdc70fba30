import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { testDatabase } from "../../../tests/support/db";
import { like } from "drizzle-orm";
import { ledgerEntries } from "../../../db/schema";
import { appendLedger, verifyLedger } from "./ledger.server";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

const entry = (stream: string, n: number) => ({
  stream,
  actorId: 1,
  action: "test.action",
  entityType: "thing",
  entityId: n,
  summary: { before: { b: 1, a: [1, 2] }, after: { z: "好", n } },
  at: new Date(Date.UTC(2026, 10, 26, 8, 0, n)),
});

describe("ledger", () => {
  it("chains entries per stream and verifies a clean chain", async () => {
    for (let i = 1; i <= 5; i++) {
      await database.db.transaction(async (tx) => {
        await appendLedger(tx as never, entry("area:1", i));
        await appendLedger(tx as never, entry("area:2", i));
      });
    }
    const r = await verifyLedger(database.db);
    expect(r).toMatchObject({ ok: true, checked: 10, streams: 2 });
  });

  it("refuses UPDATE and DELETE from ordinary code", async () => {
    await expect(database.exec(`UPDATE ledger_entries SET action = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(database.exec(`DELETE FROM ledger_entries`)).rejects.toThrow(/append-only/);
    await expect(database.exec(`TRUNCATE ledger_entries`)).rejects.toThrow(/append-only/);
  });

  it("names the first entry edited directly in SQL", async () => {
    await database.exec(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_no_update_delete`);
    await database.exec(`UPDATE ledger_entries SET summary = '{"after":{"z":"坏"}}' WHERE stream = 'area:2' AND seq = 3`);
    await database.exec(`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_no_update_delete`);
    const r = await verifyLedger(database.db);
    expect(r.ok).toBe(false);
    expect(r.firstBad).toMatchObject({ stream: "area:2", seq: 3, problem: "hash" });
  });

  it("notices a removed entry as a broken sequence", async () => {
    await database.exec(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_no_update_delete`);
    await database.exec(`DELETE FROM ledger_entries WHERE stream = 'area:1' AND seq = 2`);
    await database.exec(`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_no_update_delete`);
    const r = await verifyLedger(database.db);
    expect(r.firstBad).toMatchObject({ stream: "area:1", seq: 3, problem: "sequence" });
  });

  it("keeps each stream gapless when appends to several streams race", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => database.db.transaction((tx) => appendLedger(tx as never, entry(`area:${100 + (i % 4)}`, i + 1)))),
    );
    const rows = await database.db.select().from(ledgerEntries).where(like(ledgerEntries.stream, "area:10%"));
    for (const s of ["area:100", "area:101", "area:102", "area:103"]) {
      expect(rows.filter((r) => r.stream === s).map((r) => r.seq).sort()).toEqual([1, 2, 3, 4, 5]);
    }
  });
});
