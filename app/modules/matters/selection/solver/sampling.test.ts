import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { solveMaximinHere } from "./maximin";
import { canonicalize, canonicalJson, drawPanel, meetsQuotas, nextReplacement, reserveOrder, SeededStream } from "./sampling";
import { syntheticPool } from "./synthetic";
import { SelectionInputError, type Distribution, type SolveInput } from "./types";

const seed = (s: string) => createHash("sha256").update(s).digest("hex");

let input: SolveInput;
let dist: Distribution;
beforeAll(async () => {
  input = syntheticPool({ n: 120, k: 12, seed: 7, households: true });
  dist = await solveMaximinHere(input, { timeLimitMs: 20_000 });
}, 30_000);

describe("drawPanel", () => {
  it("gives panels that meet every quota and the household rule over 1,000 seeds", () => {
    expect(dist.optimal).toBe(true);
    expect(input.people.some((p) => input.people.some((q) => q !== p && q.household === p.household))).toBe(true);
    const households = new Map(input.people.map((p) => [p.id, p.household]));
    for (let i = 0; i < 1000; i++) {
      const panel = drawPanel(dist, seed(`seed-${i}`));
      expect(meetsQuotas(input, panel)).toEqual({ ok: true });
      const hs = panel.map((id) => households.get(id));
      expect(new Set(hs).size).toBe(panel.length);
    }
  });

  it("draws each person about as often as the distribution says (within 4 standard errors + 1/N)", () => {
    const N = 20_000;
    const hits = new Map<string, number>();
    for (let i = 0; i < N; i++) for (const id of drawPanel(dist, seed(`freq-${i}`))) hits.set(id, (hits.get(id) ?? 0) + 1);
    let worst = 0;
    for (const p of input.people) {
      const pi = dist.selection[p.id];
      const freq = (hits.get(p.id) ?? 0) / N;
      const tolerance = 4 * Math.sqrt((pi * (1 - pi)) / N) + 1 / N;
      worst = Math.max(worst, Math.abs(freq - pi) / tolerance);
      expect(Math.abs(freq - pi), `${p.id}: frequency ${freq} vs probability ${pi}`).toBeLessThanOrEqual(tolerance);
    }
    expect(worst).toBeGreaterThan(0);
  });

  it("is deterministic: the same seed gives the same panel and reserve; other seeds differ", () => {
    const s = seed("meeting-2025-03-01");
    const a = drawPanel(dist, s);
    // a copy that went through JSON (as published) draws the same panel
    const published = JSON.parse(JSON.stringify({ panels: dist.panels, probabilities: dist.probabilities })) as Distribution;
    expect(drawPanel(published, s)).toEqual(a);
    expect(reserveOrder(input.people, a, s)).toEqual(reserveOrder(input.people, [...a].reverse(), s));
    const others = Array.from({ length: 20 }, (_, i) => drawPanel(dist, seed(`other-${i}`)).join());
    expect(others.some((o) => o !== a.join())).toBe(true);
    expect(reserveOrder(input.people, a, seed("other"))).not.toEqual(reserveOrder(input.people, a, s));
  });

  it("rejects a seed that is not hexadecimal", () => {
    expect(() => drawPanel(dist, "seed-0")).toThrow(SelectionInputError);
    expect(() => drawPanel(dist, "")).toThrow(SelectionInputError);
  });
});

describe("canonical form", () => {
  it("sorts, merges duplicates and rounds to 1e-12 units summing to exactly 1", () => {
    const c = canonicalize(
      [["b", "a"], ["c", "a"], ["a", "b"], ["x", "y"]],
      [1 / 3, 1 / 3, 1 / 3 - 1e-14, 1e-14],
    );
    expect(c.panels).toEqual([["a", "b"], ["a", "c"]]);
    const units = c.probabilities.map((p) => Math.round(p * 1e12));
    expect(units.reduce((a, b) => a + b, 0)).toBe(1e12);
    // 666666666666.66… and 333333333333.33…: the leftover unit goes to the larger remainder; ["x","y"] rounds to nothing
    expect(units).toEqual([666_666_666_667, 333_333_333_333]);
  });

  it("publishes probabilities and panels in that form", () => {
    expect(canonicalize(dist.panels, dist.probabilities)).toEqual({ panels: dist.panels, probabilities: dist.probabilities });
    const units = dist.probabilities.map((p) => Math.round(p * 1e12));
    expect(units.reduce((a, b) => a + b, 0)).toBe(1e12);
    for (const p of dist.probabilities) expect(Math.round(p * 1e12) / 1e12).toBe(p);
  });

  it("canonicalJson sorts keys at every depth and is stable", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it("draws uniform integers without bias from the HMAC stream", () => {
    const s = SeededStream.fromHex("00ff", "t");
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[Number(s.below(3n))]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(4 * Math.sqrt(3000 * (1 / 3) * (2 / 3)));
  });
});

describe("reserve and replacement", () => {
  it("orders everyone not on the panel, each once", () => {
    const panel = drawPanel(dist, seed("r"));
    const order = reserveOrder(input.people, panel, seed("r"));
    expect(order).toHaveLength(input.people.length - panel.length);
    expect(new Set([...order, ...panel]).size).toBe(input.people.length);
  });

  it("replaces a decliner with the first reserve who keeps every quota and household rule", () => {
    let filled = 0;
    let impossible = 0;
    for (let i = 0; i < 30; i++) {
      const s = seed(`replace-${i}`);
      let seated = drawPanel(dist, s);
      const order = reserveOrder(input.people, seated, s);
      const skip = new Set<string>();
      // three declines in a row, each filled
      for (let d = 0; d < 3; d++) {
        const leaving = seated[d];
        const r = nextReplacement(input, seated, leaving, order, skip);
        if (r === null) {
          // then truly no one left would do
          impossible++;
          for (const c of order) if (!seated.includes(c) && !skip.has(c)) expect(meetsQuotas(input, [...seated.filter((x) => x !== leaving), c]).ok).toBe(false);
          skip.add(leaving);
          continue;
        }
        filled++;
        const next = [...seated.filter((x) => x !== leaving), r!];
        expect(meetsQuotas(input, next)).toEqual({ ok: true });
        // nobody earlier in the order would have kept the quotas
        for (const earlier of order.slice(0, order.indexOf(r!))) {
          if (seated.includes(earlier) || skip.has(earlier)) continue;
          expect(meetsQuotas(input, [...seated.filter((x) => x !== leaving), earlier]).ok).toBe(false);
        }
        skip.add(leaving);
        seated = next;
      }
    }
    // with tight quotas on a small pool many declines cannot be filled by one swap; both paths are exercised
    expect(filled).toBeGreaterThan(10);
    expect(impossible).toBeGreaterThan(0);
  });

  it("returns null when no one left can keep the quotas", () => {
    const tiny: SolveInput = {
      k: 2,
      onePerHousehold: true,
      quotas: [{ category: "g", value: "f", min: 1, max: 1 }],
      people: [
        { id: "a", household: "h1", attributes: { g: "f" } },
        { id: "b", household: "h2", attributes: { g: "m" } },
        { id: "c", household: "h2", attributes: { g: "f" } },
        { id: "d", household: "h3", attributes: { g: "m" } },
      ],
    };
    expect(meetsQuotas(tiny, ["a", "b"])).toEqual({ ok: true });
    // "c" is a woman but shares b's household; "d" is a man: a must be replaced by a woman
    expect(nextReplacement(tiny, ["a", "b"], "a", ["d", "c"], new Set())).toBeNull();
    expect(nextReplacement(tiny, ["a", "b"], "b", ["c", "d"], new Set())).toBe("d");
    expect(nextReplacement(tiny, ["a", "b"], "b", ["c", "d"], new Set(["d"]))).toBeNull();
  });

  it("meetsQuotas names what is broken", () => {
    const tiny: SolveInput = {
      k: 2,
      onePerHousehold: true,
      quotas: [{ category: "g", value: "f", min: 1, max: 1 }],
      people: [
        { id: "a", household: "h1", attributes: { g: "m" } },
        { id: "b", household: "h1", attributes: { g: "m" } },
      ],
    };
    const r = meetsQuotas(tiny, ["a", "b", "zz"]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.broken).toEqual([tiny.quotas[0]]);
      expect(r.problems.sort()).toEqual(["household", "size", "unknown_id"]);
    }
  });
});
