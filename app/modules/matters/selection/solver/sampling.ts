/**
 * Deterministic, synchronous draws from a published distribution. Nothing here uses Math.random:
 * uniform numbers come from HMAC-SHA256 keyed with the seed, so anyone holding the seed and the
 * published distribution gets the same panel and the same reserve order.
 */
import { createHmac } from "node:crypto";
import { compareIds, sharedHouseholds } from "./model";
import { PROBABILITY_SCALE, SelectionInputError, type Distribution, type Person, type Quota, type SolveInput } from "./types";

/** JSON with object keys sorted (recursively) and `undefined` members left out: a stable text to hash. */
export function canonicalJson(x: unknown): string {
  if (x === null || typeof x !== "object") {
    if (typeof x === "number" && !Number.isFinite(x)) throw new TypeError("canonicalJson: non-finite number");
    if (typeof x === "bigint") return x.toString();
    return JSON.stringify(x) ?? "null";
  }
  if (Array.isArray(x)) return `[${x.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const obj = x as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort(compareIds);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

function seedKey(seedHex: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(seedHex)) throw new SelectionInputError("invalid_seed", "The seed must be a non-empty even-length hexadecimal string");
  return Buffer.from(seedHex, "hex");
}

/**
 * A stream of uniform integers: the i-th 64-bit block is the first 8 bytes of
 * HMAC-SHA256(seed, `${label}/${i}`), big-endian. `below(n)` rejects blocks at or above the largest
 * multiple of n, so every value in [0, n) is exactly equally likely.
 */
export class SeededStream {
  private counter = 0;
  constructor(
    private readonly key: Buffer,
    private readonly label: string,
  ) {}
  static fromHex(seedHex: string, label: string) {
    return new SeededStream(seedKey(seedHex), label);
  }
  next64(): bigint {
    const mac = createHmac("sha256", this.key).update(`${this.label}/${this.counter++}`).digest();
    return mac.readBigUInt64BE(0);
  }
  below(n: bigint): bigint {
    if (n <= 0n) throw new RangeError("below: n must be positive");
    const space = 1n << 64n;
    const limit = space - (space % n);
    for (;;) {
      const v = this.next64();
      if (v < limit) return v % n;
    }
  }
}

/** A probability as an integer number of 1e-12 units (the published precision). */
export const toUnits = (p: number) => Math.round(p * PROBABILITY_SCALE);

/**
 * Draws one panel: a uniform integer u in [0, Σ units) from HMAC(seed, "panel/i"), then the first
 * panel (in the given, published order) whose cumulative units exceed u. Exact integer arithmetic.
 */
export function drawPanel(dist: Pick<Distribution, "panels" | "probabilities">, seedHex: string): string[] {
  if (dist.panels.length === 0 || dist.panels.length !== dist.probabilities.length) throw new Error("drawPanel: the distribution has no panels or mismatched probabilities");
  const units = dist.probabilities.map((p) => {
    const u = toUnits(p);
    if (!Number.isSafeInteger(u) || u < 0) throw new Error("drawPanel: invalid probability");
    return BigInt(u);
  });
  const total = units.reduce((a, b) => a + b, 0n);
  if (total === 0n) throw new Error("drawPanel: probabilities sum to zero");
  const u = SeededStream.fromHex(seedHex, "panel").below(total);
  let acc = 0n;
  for (let i = 0; i < units.length; i++) {
    acc += units[i];
    if (u < acc) return [...dist.panels[i]];
  }
  throw new Error("drawPanel: unreachable");
}

/** Everyone not on the panel, in a seeded order (Fisher–Yates over ids sorted in code-unit order, HMAC(seed, "reserve/i")). */
export function reserveOrder(people: Person[], panel: string[], seedHex: string): string[] {
  const on = new Set(panel);
  const rest = people.map((p) => p.id).filter((id) => !on.has(id)).sort(compareIds);
  const stream = SeededStream.fromHex(seedHex, "reserve");
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Number(stream.below(BigInt(i + 1)));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  return rest;
}

export type QuotaCheck = { ok: true } | { ok: false; broken: Quota[]; problems: ("size" | "duplicate" | "unknown_id" | "household")[] };

/** Whether a panel has k distinct pool members, meets every quota and (if asked) has one person per household. */
export function meetsQuotas(input: SolveInput, panel: string[]): QuotaCheck {
  const byId = new Map(input.people.map((p) => [p.id, p]));
  const problems: ("size" | "duplicate" | "unknown_id" | "household")[] = [];
  if (panel.length !== input.k) problems.push("size");
  if (new Set(panel).size !== panel.length) problems.push("duplicate");
  const members = panel.map((id) => byId.get(id));
  if (members.some((m) => !m)) problems.push("unknown_id");
  const present = members.filter((m): m is Person => !!m);
  if (input.onePerHousehold) {
    const households = present.map((p) => p.household).filter((h): h is string => h !== null && h !== "");
    if (new Set(households).size !== households.length) problems.push("household");
  }
  const broken = input.quotas.filter((q) => {
    const n = present.filter((p) => p.attributes[q.category] === q.value).length;
    return n < q.min || n > q.max;
  });
  return broken.length || problems.length ? { ok: false, broken, problems } : { ok: true };
}

/**
 * The first person in `order` who is not seated, not `leaving` and not in `skip`, such that the
 * panel with them instead of `leaving` meets every quota and the household rule; null if no one does.
 */
export function nextReplacement(input: SolveInput, seated: string[], leaving: string, order: string[], skip: Set<string>): string | null {
  const seatedSet = new Set(seated);
  const rest = seated.filter((id) => id !== leaving);
  for (const r of order) {
    if (r === leaving || seatedSet.has(r) || skip.has(r)) continue;
    if (meetsQuotas(input, [...rest, r]).ok) return r;
  }
  return null;
}

/** Sorts ids within each panel and the panels element-wise in code-unit order (the canonical order drawPanel relies on). */
export function sortPanels(panels: string[][]): string[][] {
  const sorted = panels.map((p) => [...p].sort(compareIds));
  return sorted.sort((a, b) => {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = compareIds(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  });
}

/**
 * Canonical published form: identical panels merged, panels sorted, probabilities rounded to whole
 * 1e-12 units summing exactly to 1e12 (largest remainders get the leftover units; ties by order),
 * zero-unit panels dropped.
 */
export function canonicalize(panels: string[][], probabilities: number[]): { panels: string[][]; probabilities: number[] } {
  const merged = new Map<string, { panel: string[]; p: number }>();
  panels.forEach((panel, i) => {
    const sorted = [...panel].sort(compareIds);
    const key = sorted.join("\u0000");
    const m = merged.get(key);
    if (m) m.p += probabilities[i];
    else merged.set(key, { panel: sorted, p: probabilities[i] });
  });
  const order = sortPanels([...merged.values()].map((m) => m.panel));
  const ps = order.map((panel) => Math.max(0, merged.get(panel.join("\u0000"))!.p));
  const total = ps.reduce((a, b) => a + b, 0);
  const exact = ps.map((p) => (p / total) * PROBABILITY_SCALE);
  const units = exact.map(Math.floor);
  let left = PROBABILITY_SCALE - units.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - units[i] })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let j = 0; left > 0; j = (j + 1) % byRemainder.length, left--) units[byRemainder[j].i]++;
  const keep = units.map((u, i) => i).filter((i) => units[i] > 0);
  return { panels: keep.map((i) => order[i]), probabilities: keep.map((i) => units[i] / PROBABILITY_SCALE) };
}

/** Each person's selection probability from panels and probabilities (summed in whole units, so exact). */
export function selectionOf(people: Person[], panels: string[][], probabilities: number[]): Record<string, number> {
  const units = new Map(people.map((p) => [p.id, 0]));
  panels.forEach((panel, i) => {
    const u = toUnits(probabilities[i]);
    for (const id of panel) units.set(id, (units.get(id) ?? 0) + u);
  });
  const out: Record<string, number> = {};
  for (const p of [...people].sort((a, b) => compareIds(a.id, b.id))) out[p.id] = units.get(p.id)! / PROBABILITY_SCALE;
  return out;
}

export { sharedHouseholds };
