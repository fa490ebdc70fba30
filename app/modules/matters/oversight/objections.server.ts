/**
 * Oversight (监督委员会, issue 19): the community's supervision committee files a formal objection
 * (质询) on a matter, one of its votes or one of its commitments; the committee answers in public,
 * once, within the days the community set (fixed on the objection when filed). Unanswered objections
 * past their day are flagged on the dashboards of the community and the town above it, and every
 * objection and answer is on the open page. Timeline and ledger: `objectionFiled`, `objectionAnswered`.
 */
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../../db/client";
import { areas, commitments, matters, objections, votes } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { redact } from "../outcomes/export.server";
import { matterResource, recordMatterEvent } from "../transition.server";
import type { AnswerObjectionSchema, FileObjectionSchema } from "./schemas";

async function matterFacts(db: Db, matterId: number) {
  const [row] = await db
    .select({ m: matters, path: areas.path, answerDays: areas.objectionAnswerDays })
    .from(matters)
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .where(eq(matters.id, matterId));
  return row ?? null;
}

/** Files an objection; the answer is due `objection_answer_days` after filing. */
export async function fileObjection(ctx: CommandContext, matterId: number, input: z.output<typeof FileObjectionSchema>) {
  const f = await matterFacts(ctx.db, matterId);
  const res = f && matterResource(f.m, f.path);
  if (!f || !res || !can(ctx.actor, "matter.view", res)) throw new DomainError("not_found", "errors.notFound");
  if (!can(ctx.actor, "oversight.object", res)) throw new DomainError("forbidden", "oversight.errors.supervisorsOnly");
  let targetId = matterId;
  if (input.target === "vote") {
    const [v] = await ctx.db.select({ id: votes.id }).from(votes).where(and(eq(votes.id, input.targetId!), eq(votes.matterId, matterId)));
    if (!v) throw new DomainError("validation", "oversight.errors.target", {}, "targetId");
    targetId = v.id;
  } else if (input.target === "commitment") {
    const [c] = await ctx.db.select({ id: commitments.id }).from(commitments).where(and(eq(commitments.id, input.targetId!), eq(commitments.matterId, matterId)));
    if (!c) throw new DomainError("validation", "oversight.errors.target", {}, "targetId");
    targetId = c.id;
  }
  const now = ctx.clock.now();
  const answerDue = new Date(now.getTime() + f.answerDays * 86_400_000);
  return inTransaction(ctx, async (tx, emit) => {
    const [row] = await tx
      .insert(objections)
      .values({ communityId: f.m.communityId, matterId, target: input.target, targetId, body: input.body, filedBy: ctx.actor!.id, filedAt: now, answerDue })
      .returning();
    await recordMatterEvent(tx, emit, ctx, f.m, "objectionFiled", { objection: row.id, target: input.target, targetId, due: answerDue.toISOString() }, { kind: "notify.matter.transition", state: "@oversight.notifyFiled" });
    return row;
  });
}

/** The committee answers an objection, once; the answer is public at once. */
export async function answerObjection(ctx: CommandContext, matterId: number, input: z.output<typeof AnswerObjectionSchema>) {
  const f = await matterFacts(ctx.db, matterId);
  const res = f && matterResource(f.m, f.path);
  if (!f || !res || !can(ctx.actor, "matter.view", res)) throw new DomainError("not_found", "errors.notFound");
  if (!can(ctx.actor, "oversight.answer", res)) throw new DomainError("forbidden", "errors.forbidden");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx, emit) => {
    const done = await tx
      .update(objections)
      .set({ answer: input.answer, answeredBy: ctx.actor!.id, answeredAt: now })
      .where(and(eq(objections.id, input.objectionId), eq(objections.matterId, matterId), isNull(objections.answeredAt)))
      .returning();
    if (!done.length) {
      const [o] = await tx.select({ id: objections.id }).from(objections).where(and(eq(objections.id, input.objectionId), eq(objections.matterId, matterId)));
      throw o ? new DomainError("invalid_state", "oversight.errors.answered") : new DomainError("not_found", "errors.notFound");
    }
    await recordMatterEvent(tx, emit, ctx, f.m, "objectionAnswered", { objection: input.objectionId, late: now > done[0].answerDue ? 1 : 0 }, null);
  });
}

export interface PublicObjection {
  id: number;
  target: "matter" | "vote" | "commitment";
  targetId: number;
  body: string;
  filedAt: string;
  answerDue: string;
  answer: string | null;
  answeredAt: string | null;
  /** unanswered past its day, or answered after it */
  overdue: boolean;
}

/**
 * The objections on these matters as the public reads them: the words (phone and ID numbers
 * redacted), the dates and the answer; no names (it is the committee that objects and answers).
 */
export async function listObjections(db: Db, matterIds: number[], now: Date): Promise<(PublicObjection & { matterId: number })[]> {
  if (!matterIds.length) return [];
  const rows = await db.select().from(objections).where(inArray(objections.matterId, matterIds)).orderBy(asc(objections.id));
  return rows.map((o) => ({ matterId: o.matterId, ...toPublic(o, now) }));
}

export function toPublic(o: typeof objections.$inferSelect, now: Date): PublicObjection {
  return {
    id: o.id,
    target: o.target,
    targetId: o.targetId,
    body: redact(o.body)!,
    filedAt: o.filedAt.toISOString(),
    answerDue: o.answerDue.toISOString(),
    answer: redact(o.answer),
    answeredAt: o.answeredAt?.toISOString() ?? null,
    overdue: o.answeredAt ? o.answeredAt > o.answerDue : now > o.answerDue,
  };
}

/** The objections page of a matter: whoever may read the matter reads them; the supervision committee files, the committee answers. */
export async function getMatterObjections(ctx: CommandContext, matterId: number) {
  const f = await matterFacts(ctx.db, matterId);
  const res = f && matterResource(f.m, f.path);
  if (!f || !res || !can(ctx.actor, "matter.view", res)) throw new DomainError("not_found", "errors.notFound");
  const [list, voteRows, commitmentRows] = await Promise.all([
    listObjections(ctx.db, [matterId], ctx.clock.now()),
    ctx.db.select({ id: votes.id, label: votes.question }).from(votes).where(eq(votes.matterId, matterId)).orderBy(asc(votes.id)),
    ctx.db.select({ id: commitments.id, label: commitments.title }).from(commitments).where(eq(commitments.matterId, matterId)).orderBy(asc(commitments.id)),
  ]);
  return {
    matter: { id: f.m.id, title: f.m.title, communityId: f.m.communityId },
    answerDays: f.answerDays,
    objections: list,
    votes: voteRows,
    commitments: commitmentRows,
    canObject: can(ctx.actor, "oversight.object", res),
    canAnswer: can(ctx.actor, "oversight.answer", res),
  };
}
