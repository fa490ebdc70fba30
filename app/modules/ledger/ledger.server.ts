import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { ledgerEntries } from "../../../db/schema";

export const GENESIS = "0".repeat(64);

export interface LedgerInput {
  /** The chain this entry joins: "area:<id>" for things inside an area, "user:<id>" for an account. */
  stream: string;
  actorId: number | null;
  action: string;
  entityType: string;
  entityId: string | number;
  /** Before/after summary: small, no secrets (never a password hash or an ID number). */
  summary: Record<string, unknown>;
  at: Date;
}

/** JSON with object keys sorted at every level, so jsonb's reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export function entryHash(e: {
  stream: string;
  seq: number;
  prevHash: string;
  actorId: number | null;
  action: string;
  entityType: string;
  entityId: string;
  summary: unknown;
  createdAt: string;
}) {
  const content = canonicalJson([e.stream, e.seq, e.prevHash, e.actorId, e.action, e.entityType, e.entityId, e.summary, e.createdAt]);
  return createHash("sha256").update(content).digest("hex");
}

/**
 * Appends one entry inside the caller's transaction. A transaction-scoped advisory lock on the
 * stream serialises appends to the same chain only; other streams proceed in parallel.
 */
export async function appendLedger(tx: Db, input: LedgerInput) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${input.stream}, 0))`);
  const [last] = await tx
    .select({ seq: ledgerEntries.seq, hash: ledgerEntries.hash })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.stream, input.stream))
    .orderBy(desc(ledgerEntries.seq))
    .limit(1);
  const row = {
    stream: input.stream,
    seq: (last?.seq ?? 0) + 1,
    prevHash: last?.hash ?? GENESIS,
    actorId: input.actorId,
    action: input.action,
    entityType: input.entityType,
    entityId: String(input.entityId),
    summary: JSON.parse(JSON.stringify(input.summary)) as unknown,
    createdAt: input.at.toISOString(),
  };
  const hash = entryHash(row);
  await tx.insert(ledgerEntries).values({ ...row, hash });
  return { seq: row.seq, hash };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  streams: number;
  firstBad?: { id: number; stream: string; seq: number; problem: "hash" | "link" | "sequence" };
}

/** Walks every chain in order and names the first entry whose content, link or sequence is wrong. */
export async function verifyLedger(db: Db, pageSize = 2000): Promise<VerifyResult> {
  const lastOf = new Map<string, { seq: number; hash: string }>();
  let checked = 0;
  let cursor = 0;
  for (;;) {
    const rows = await db.select().from(ledgerEntries).where(gt(ledgerEntries.id, cursor)).orderBy(asc(ledgerEntries.id)).limit(pageSize);
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1].id;
    // chains interleave by id; each entry is checked against the last one of its own stream
    for (const r of rows) {
      checked++;
      const last = lastOf.get(r.stream);
      const bad = (problem: "hash" | "link" | "sequence"): VerifyResult => ({
        ok: false,
        checked,
        streams: lastOf.size,
        firstBad: { id: r.id, stream: r.stream, seq: r.seq, problem },
      });
      if (r.seq !== (last?.seq ?? 0) + 1) return bad("sequence");
      if (r.prevHash !== (last?.hash ?? GENESIS)) return bad("link");
      if (entryHash({ ...r, createdAt: normaliseTime(r.createdAt) }) !== r.hash) return bad("hash");
      lastOf.set(r.stream, { seq: r.seq, hash: r.hash });
    }
  }
  return { ok: true, checked, streams: lastOf.size };
}

/** Both drivers hand back timestamptz in "string" mode in their own format; the hash used ISO. */
function normaliseTime(t: string) {
  return new Date(t.includes("T") ? t : t.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")).toISOString();
}

export async function listLedger(db: Db, opts: { stream?: string; limit?: number } = {}) {
  const q = db.select().from(ledgerEntries);
  const rows = await (opts.stream ? q.where(and(eq(ledgerEntries.stream, opts.stream))) : q)
    .orderBy(desc(ledgerEntries.id))
    .limit(Math.min(opts.limit ?? 50, 200));
  return rows;
}
