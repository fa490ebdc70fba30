import { describe, expect, it } from "vitest";
import { batched } from "./batch";

/** A run that records each batch and answers when `release` is called. */
function recorder() {
  const batches: number[][] = [];
  const waiting: (() => void)[] = [];
  const run = (items: number[]) => {
    batches.push(items);
    return new Promise<string[]>((resolve) => waiting.push(() => resolve(items.map((i) => `r${i}`))));
  };
  const releaseAll = () => waiting.splice(0).forEach((f) => f());
  return { batches, run, releaseAll };
}
const turn = () => new Promise((r) => setImmediate(r));

describe("batched", () => {
  it("calls made in one turn go together, each gets its own result in order", async () => {
    const r = recorder();
    const call = batched(r.run, { maxItems: 10, maxInFlight: 2 });
    const answers = Promise.all([1, 2, 3].map(call));
    await turn();
    expect(r.batches).toEqual([[1, 2, 3]]);
    r.releaseAll();
    expect(await answers).toEqual(["r1", "r2", "r3"]);
  });

  it("no batch is larger than maxItems, and calls queue while maxInFlight batches run", async () => {
    const r = recorder();
    const call = batched(r.run, { maxItems: 2, maxInFlight: 1 });
    const first = Promise.all([1, 2, 3].map(call));
    await turn();
    expect(r.batches).toEqual([[1, 2]]);
    const later = Promise.all([4, 5].map(call));
    await turn();
    // still one in flight: nothing more has started
    expect(r.batches).toEqual([[1, 2]]);
    r.releaseAll();
    await turn();
    await turn();
    expect(r.batches).toEqual([[1, 2], [3, 4]]);
    r.releaseAll();
    await turn();
    await turn();
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
    r.releaseAll();
    expect(await first).toEqual(["r1", "r2", "r3"]);
    expect(await later).toEqual(["r4", "r5"]);
  });

  it("a failing batch rejects its own calls only", async () => {
    let n = 0;
    const call = batched(async (items: number[]) => {
      if (n++ === 0) throw new Error("database down");
      return items.map((i) => i * 10);
    }, { maxItems: 10, maxInFlight: 1 });
    const failed = Promise.allSettled([1, 2].map(call));
    await turn();
    const ok = Promise.all([3].map(call));
    expect((await failed).map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await ok).toEqual([30]);
  });
});
