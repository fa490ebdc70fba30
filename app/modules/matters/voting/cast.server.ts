/** Casting: a voter casts or changes their ballot online, one post at a time or many together (the ballot API batches them). */
import type { Actor } from "../../accounts/actor";
import { can } from "../../accounts/permissions";
import { sessionIdOf, touchSessions } from "../../accounts/sessions.server";
import { sqlState, type Db } from "../../../../db/client";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { insertFirstBallots, readCastViews, updateBallots, type BallotChange, type FirstBallot, type WriteResult } from "./ballot-store.server";
import { ballotKeys, receiptMac, sealBallot, unsealBallot } from "./keys.server";
import { receiptFor, sha256 } from "./receipts.server";
import { notTakingBallots, validChoices, type VoteRow } from "./vote.server";

/** How often a post is read again after losing a race (the same voter casting from two places at once). */
const CAST_ATTEMPTS = 4;

/**
 * A ballot post: who (a signed-in user, or the session token of the post, looked up with the
 * ballot's own read), on which vote, the chosen options, the form's key and, to change a secret
 * ballot, the receipt kept.
 */
export interface BallotPost {
  actorId?: number;
  sessionToken?: string;
  voteId: number;
  choices: string[];
  idem: string;
  receipt?: string;
}
export type BallotAnswer = { receipt: string | null; changed: boolean };

/**
 * Casts or changes ballots; the latest counts. One ballot per voter is the participation key.
 * Posts that arrive together are handled together: one statement reads them all, then at most
 * one statement inserts the first ballots and one updates the changed ones, each auto-committed
 * and re-checking under a share lock that the vote is still open. A retried post (same form key,
 * same choice) writes nothing and gets its receipt again. Each post gets its own answer or
 * DomainError. Emits `vote.cast` once per vote written to. Eligibility is `vote.cast`: a
 * row of the vote's elector list that the poster votes as.
 */
export async function castBallots(ctx: Pick<CommandContext, "db" | "events" | "clock" | "settings">, posts: BallotPost[]): Promise<(BallotAnswer | DomainError)[]> {
  const now = ctx.clock.now();
  const out: (BallotAnswer | DomainError | undefined)[] = new Array(posts.length);
  const sessions = posts.map((p) => (p.actorId === undefined ? sessionIdOf(p.sessionToken) : null));
  const ballotKeyRing = ballotKeys(ctx.settings);
  const keys = posts.map((p) => {
    const receipt = receiptFor(p.voteId, p.idem);
    const kept = p.receipt && p.receipt !== receipt ? p.receipt : null;
    const mac = receiptMac(ballotKeyRing, p.voteId, receipt);
    return { receipt, hash: sha256(receipt), mac, kept, keptMac: kept ? receiptMac(ballotKeyRing, p.voteId, kept) : mac };
  });
  const written = new Set<number>();
  // races lost per post; a post that only waited its turn behind the same voter's other post does not count
  const lost = posts.map(() => 0);
  const busy: number[] = [];
  let pending = posts.map((_, i) => i);
  while (pending.length) {
    const views = await readCastViews(
      ctx.db,
      pending.map((i) => ({ i, voteId: posts[i].voteId, userId: posts[i].actorId ?? null, session: sessions[i], m1: keys[i].mac, m2: keys[i].keptMac })),
      now,
      ctx.settings?.sessions,
    );
    const stale: string[] = [];
    const firsts: FirstBallot[] = [];
    const changes: BallotChange[] = [];
    const later: number[] = [];
    const claimed = new Set<string>();
    const answers = new Map<number, BallotAnswer>();
    for (const i of pending) {
      const p = posts[i];
      const k = keys[i];
      const view = views.get(i);
      if (view?.staleSession) stale.push(view.staleSession);
      if (!view?.userId) {
        out[i] = new DomainError("unauthenticated", "errors.unauthenticated");
        continue;
      }
      if (!view.state) {
        out[i] = new DomainError("not_found", "errors.notFound");
        continue;
      }
      const refused = notTakingBallots(view.state, view.due);
      if (refused) {
        out[i] = refused;
        continue;
      }
      if (!can(voterAs(view.userId), "vote.cast", { type: "voteElector", voteId: p.voteId, userId: view.userId, voterKey: view.voterKey }) || !view.voterKey) {
        out[i] = new DomainError("forbidden", "voting.errors.notEligible");
        continue;
      }
      const options = JSON.parse(view.options) as VoteRow["options"];
      const choices = validChoices({ options, maxChoices: view.maxChoices }, p.choices);
      if (!choices) {
        out[i] = new DomainError("validation", "voting.errors.badChoice", { max: view.maxChoices }, "choices");
        continue;
      }
      if (view.channel === "paper") {
        out[i] = new DomainError("conflict", "voting.errors.votedOnPaper");
        continue;
      }
      // one write per voter per round: a second post of the same voter waits for the next read
      const claim = `${p.voteId}:${view.voterKey}`;
      const at = { voteId: p.voteId, voterKey: view.voterKey };
      const optionIds = options.map((o) => o.id);
      if (!view.channel) {
        if (claimed.has(claim)) later.push(i);
        else {
          claimed.add(claim);
          const sealed = view.secret ? { mac: k.mac, sealed: sealBallot(ballotKeyRing, at, optionIds, { receiptHash: k.hash, choices }) } : { mac: null, sealed: null };
          firsts.push({ i, ...at, hash: k.hash, choices, ...sealed });
          answers.set(i, { receipt: k.receipt, changed: false });
        }
        continue;
      }
      // voted online before: change the ballot found (a secret one only with a receipt whose keyed hash is on the voter's own row)
      let found: { hash: string; choices: string[] } | null = null;
      if (view.secret) {
        if (view.secretMatch && view.sealed) {
          const b = unsealBallot(ballotKeyRing, at, optionIds, view.sealed);
          found = { hash: b.receiptHash, choices: b.choices };
        } else {
          out[i] = new DomainError("conflict", p.receipt ? "voting.errors.wrongReceipt" : "voting.errors.needReceipt", {}, "receipt");
          continue;
        }
      } else if (view.receiptHash && view.ballotChoices !== null) {
        found = { hash: view.receiptHash, choices: JSON.parse(view.ballotChoices) as string[] };
      } else {
        // (an open ballot always has its row; only a race lands here)
        if (++lost[i] < CAST_ATTEMPTS) later.push(i);
        else busy.push(i);
        continue;
      }
      const retry = view.secret ? view.secretMatch === 1 : found.hash === k.hash;
      if (retry && sameChoices(found.choices, choices)) {
        // the same form posted again (its answer was lost): nothing to write
        out[i] = { receipt: k.receipt, changed: false };
        continue;
      }
      if (claimed.has(claim)) {
        later.push(i);
        continue;
      }
      claimed.add(claim);
      const sealed = view.secret ? { mac: view.secretMatch === 1 ? k.mac : k.keptMac, sealed: sealBallot(ballotKeyRing, at, optionIds, { receiptHash: found.hash, choices }) } : { mac: null, sealed: null };
      changes.push({ i, ...at, hash: found.hash, choices, ...sealed });
      // an open ballot changed from a new form has no new receipt: the first one stays its receipt
      answers.set(i, view.secret ? { receipt: retry ? k.receipt : k.kept, changed: !retry } : { receipt: retry ? k.receipt : null, changed: !retry });
    }
    const [inserted, updated] = await Promise.all([insertFirsts(ctx.db, firsts, now), updateBallots(ctx.db, changes, now), touchSessions(ctx.db, stale, now)]);
    for (const r of [...inserted, ...updated]) {
      if ("error" in r) out[r.i] = r.error;
      else if (r.written) {
        out[r.i] = answers.get(r.i)!;
        written.add(posts[r.i].voteId);
      } else if (!r.open) out[r.i] = new DomainError("invalid_state", "voting.errors.closed");
      else if (++lost[r.i] < CAST_ATTEMPTS) later.push(r.i); // another post of the same voter got there first: read again
      else busy.push(r.i);
    }
    pending = later;
  }
  for (const i of busy) out[i] = new DomainError("conflict", "voting.errors.busy");
  for (const voteId of written) ctx.events.publish({ type: "vote.cast", voteId });
  return out as (BallotAnswer | DomainError)[];
}

/**
 * First ballots, all in one statement. A form key whose receipt is already someone else's ballot
 * (or another post's in the same statement) fails the statement: then each is tried alone, so
 * only that post is refused.
 */
async function insertFirsts(db: Db, rows: FirstBallot[], now: Date): Promise<(WriteResult | { i: number; error: DomainError })[]> {
  try {
    return await insertFirstBallots(db, rows, now);
  } catch (e) {
    if (sqlState(e).code !== "23505") throw e;
    if (rows.length === 1) return [{ i: rows[0].i, error: new DomainError("conflict", "voting.errors.staleForm") }];
    // one by one, in order: the first post with a form key keeps it
    const out: (WriteResult | { i: number; error: DomainError })[] = [];
    for (const r of rows) out.push(...(await insertFirsts(db, [r], now)));
    return out;
  }
}

/**
 * The poster as `vote.cast` sees them: only who they are, since the vote's elector list, not the
 * person's roles or memberships, decides (a post found by its session brings no more than its user).
 */
const voterAs = (userId: number): Actor => ({ id: userId, displayName: "", roles: [], memberships: [] });

/** One post: castBallots for the signed-in actor, its DomainError thrown. */
export async function castBallot(ctx: CommandContext, voteId: number, input: { choices: string[]; idem: string; receipt?: string }) {
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const [answer] = await castBallots(ctx, [{ actorId: ctx.actor.id, voteId, ...input }]);
  if (answer instanceof DomainError) throw answer;
  return answer;
}

function sameChoices(a: string[], b: string[]) {
  const x = [...a].sort();
  return x.length === b.length && x.every((c, i) => c === b[i]);
}

