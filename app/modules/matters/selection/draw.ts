/**
 * The verifiable draw, pure: digests of what is published before the draw, the seed that
 * follows from the committee's secret and the public entropy, and a check anyone can re-run
 * (the public page, `npm run selection:verify`, tests). No database, no clock.
 */
import { createHash } from "node:crypto";
import { canonicalJson, drawPanel, meetsQuotas } from "./engine";
import type { Person, Quota } from "./engine";

export const DRAW_VERSION = "yishi-draw/1";

export const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** Everything published about a draw. Before the draw: no secret, entropy, seed or panel. */
export interface PublishedDraw {
  version: string;
  matterId: number;
  algorithm: string;
  /** Seats filled by lottery (the panel size less the fixed seats). */
  seats: number;
  onePerHousehold: boolean;
  quotas: Quota[];
  pool: Person[];
  poolDigest: string;
  distribution: { panels: string[][]; probabilities: number[] };
  distributionDigest: string;
  commitment: string;
  entropy?: string | null;
  secret?: string | null;
  seed?: string | null;
  panel?: string[] | null;
}

export function poolDigest(pool: Person[]) {
  const sorted = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sha256(canonicalJson(sorted));
}

export function distributionDigest(d: { panels: string[][]; probabilities: number[] }) {
  return sha256(canonicalJson({ panels: d.panels, probabilities: d.probabilities }));
}

/** Entropy as typed at the meeting ("3 5 1 6"), compared without spacing or width differences. */
export function normaliseEntropy(s: string) {
  return s.normalize("NFKC").replace(/\s+/g, " ").trim();
}

export function deriveSeed(secret: string, pool: string, distribution: string, entropy: string) {
  return sha256([DRAW_VERSION, secret, pool, distribution, normaliseEntropy(entropy)].join("|"));
}

export type VerifyCheck = "poolDigest" | "distributionDigest" | "panelsMeetQuotas" | "probabilities" | "commitment" | "seed" | "panel";
export interface VerifyResult {
  ok: boolean;
  /** false while the draw has not happened: only the pre-draw checks ran */
  drawn: boolean;
  checks: { check: VerifyCheck; ok: boolean }[];
  /** the panel the published inputs produce (when drawn) */
  panel: string[] | null;
}

/** Re-runs the draw from the published inputs and says, check by check, whether it matches. */
export function verifyDraw(p: PublishedDraw): VerifyResult {
  const checks: VerifyResult["checks"] = [];
  checks.push({ check: "poolDigest", ok: poolDigest(p.pool) === p.poolDigest });
  checks.push({ check: "distributionDigest", ok: distributionDigest(p.distribution) === p.distributionDigest });
  const input = { people: p.pool, quotas: p.quotas, k: p.seats, onePerHousehold: p.onePerHousehold };
  const ids = new Set(p.pool.map((x) => x.id));
  checks.push({
    check: "panelsMeetQuotas",
    ok: p.distribution.panels.every((panel) => panel.every((id) => ids.has(id)) && meetsQuotas(input, panel).ok),
  });
  const sum = p.distribution.probabilities.reduce((a, b) => a + b, 0);
  checks.push({
    check: "probabilities",
    ok: p.distribution.probabilities.length === p.distribution.panels.length && p.distribution.probabilities.every((x) => x >= 0) && Math.abs(sum - 1) < 1e-6,
  });
  const drawn = Boolean(p.secret && p.entropy && p.seed && p.panel);
  let panel: string[] | null = null;
  if (drawn) {
    checks.push({ check: "commitment", ok: sha256(p.secret!) === p.commitment });
    const seed = deriveSeed(p.secret!, p.poolDigest, p.distributionDigest, p.entropy!);
    checks.push({ check: "seed", ok: seed === p.seed });
    panel = [...drawPanel(p.distribution, seed)].sort();
    const published = [...p.panel!].sort();
    checks.push({ check: "panel", ok: panel.length === published.length && panel.every((x, i) => x === published[i]) });
  }
  return { ok: checks.every((c) => c.ok), drawn, checks, panel };
}
