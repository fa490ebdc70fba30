import * as z from "zod";
import { fromBeijing } from "../../shared/beijing-time";
import { ConfirmField } from "../../shared/confirm";
import { msg, name, text } from "../../shared/validation";
import { STANCES, REACTIONS } from "./choices";
export { STANCES, REACTIONS } from "./choices";
export type { Stance, ReactionValue } from "./choices";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const id = z.coerce.number({ error: msg("errors.invalid") }).int({ error: msg("errors.invalid") }).positive({ error: msg("errors.invalid") }).max(2_147_483_647, { error: msg("errors.invalid") });
const optionalId = z.preprocess(blankToUndefined, id.optional());
/** A client's retry key: the same key twice stores the action once. */
export const ClientKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { error: msg("errors.invalid") });
const optionalKey = z.preprocess(blankToUndefined, ClientKey.optional());


const boundedInt = (min: number, max: number, key: Parameters<typeof msg>[0]) =>
  z.coerce.number({ error: msg(key) }).int({ error: msg(key) }).min(min, { error: msg(key) }).max(max, { error: msg(key) });

/**
 * Everything that can happen in a room, as one union on `intent`: the plain form posts it and
 * the socket sends it, and both reach the same command.
 */
export const RoomActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("post"),
      key: optionalKey,
      stance: z.enum(STANCES, { error: msg("room.errors.stance") }),
      body: text(1000),
      replyTo: optionalId,
      /** Staff only: the in-person attendee whose words they record. */
      speaker: z.preprocess(blankToUndefined, name(40).optional()),
    }),
    z.object({ intent: z.literal("react"), key: optionalKey, statementId: id, value: z.enum(REACTIONS, { error: msg("errors.invalid") }) }),
    z.object({ intent: z.literal("raiseHand"), key: optionalKey }),
    z.object({ intent: z.literal("lowerHand"), key: optionalKey }),
    z.object({ intent: z.literal("giveFloor"), key: optionalKey, userId: id }),
    z.object({ intent: z.literal("extendTurn"), key: optionalKey, seconds: z.preprocess(blankToUndefined, boundedInt(10, 600, "room.errors.seconds").default(60)) }),
    z.object({ intent: z.literal("endTurn"), key: optionalKey }),
    z.object({ intent: z.literal("nextItem"), key: optionalKey }),
    z.object({ intent: z.literal("prevItem"), key: optionalKey }),
    z.object({ intent: z.literal("extendItem"), key: optionalKey, minutes: z.preprocess(blankToUndefined, boundedInt(1, 60, "room.errors.minutes").default(5)) }),
    z.object({ intent: z.literal("pin"), key: optionalKey, statementId: id }),
    z.object({ intent: z.literal("unpin"), key: optionalKey, statementId: id }),
    z.object({ intent: z.literal("hide"), key: optionalKey, statementId: id, reason: text(300) }),
    z.object({ intent: z.literal("mute"), key: optionalKey, userId: id, reason: z.preprocess(blankToUndefined, text(300).optional()) }),
    z.object({ intent: z.literal("unmute"), key: optionalKey, userId: id }),
    z.object({ intent: z.literal("ask"), key: optionalKey, body: text(500) }),
    z.object({ intent: z.literal("surface"), key: optionalKey, questionId: id }),
    z.object({ intent: z.literal("checkin"), key: optionalKey, userId: optionalId, name: z.preprocess(blankToUndefined, name(40).optional()) }),
    z.object({ intent: z.literal("checkinCode"), key: optionalKey, code: z.string({ error: msg("errors.required") }).trim().min(1, { error: msg("errors.required") }).max(20, { error: msg("room.errors.code") }) }),
    z.object({ intent: z.literal("open"), key: optionalKey }),
    z.object({ intent: z.literal("close"), key: optionalKey, confirm: ConfirmField }),
  ],
  { error: msg("errors.invalid") },
);
export type RoomAction = z.output<typeof RoomActionSchema>;
export type RoomIntent = RoomAction["intent"];

/** Moderator actions (the minutes list them). */
export const MODERATION_KINDS = ["statement.pinned", "statement.hidden", "participant.muted", "participant.unmuted", "question.surfaced", "floor.given", "turn.extended", "turn.ended", "agenda.changed"] as const;

const isoLocal = z
  .string({ error: msg("errors.required") })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: msg("room.errors.when") })
  .refine((s) => !Number.isNaN(fromBeijing(s.slice(0, 10), s.slice(11)).getTime()) && Number(s.slice(0, 4)) >= 1900 && Number(s.slice(0, 4)) <= 2200, { error: msg("room.errors.when") })
  .transform((s) => fromBeijing(s.slice(0, 10), s.slice(11)));

/** The committee's schedule form: when (Beijing time), where, who moderates, and up to 8 agenda items. */
export const ScheduleSessionSchema = z.object({
  scheduledAt: isoLocal,
  place: z.preprocess(blankToUndefined, text(100).optional()),
  moderatorId: z.preprocess(blankToUndefined, id.optional()),
  items: z
    .array(z.object({ title: z.string().max(400).optional(), minutes: z.string().max(10).optional() }))
    .max(8)
    .default([])
    .transform((rows, ctx) => {
      const out: { title: string; minutes: number }[] = [];
      rows.forEach((r, i) => {
        if (!(r.title?.trim() || r.minutes?.trim())) return;
        const p = z.object({ title: name(100), minutes: boundedInt(1, 240, "room.errors.minutes") }).safeParse(r);
        if (!p.success) for (const issue of p.error.issues) ctx.addIssue({ code: "custom", path: [i, ...issue.path], message: issue.message });
        else out.push(p.data);
      });
      if (out.length === 0 && rows.every((r) => !(r.title?.trim() || r.minutes?.trim()))) {
        ctx.addIssue({ code: "custom", path: [0, "title"], message: msg("room.errors.noItems") });
      }
      return out;
    }),
});

export const SummarySchema = z.object({ intent: z.literal("summary"), summary: text(4000) });
/** The committee signs the minutes off (issue 19). */
export const ConfirmMinutesSchema = z.object({ intent: z.literal("confirm"), confirm: ConfirmField });
/** A correction to confirmed minutes, appended and kept in the ledger. */
export const CorrectionSchema = z.object({ intent: z.literal("correct"), correction: text(2000) });
export const MinutesResponseSchema = z
  .object({
    intent: z.literal("respond"),
    kind: z.enum(["confirm", "comment"], { error: msg("errors.required") }),
    comment: z.preprocess(blankToUndefined, text(1000).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "comment" && !v.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: msg("room.errors.comment") });
  });

/** What a socket sends to join: the session and the last seq it holds (0 for none). */
export const JoinSchema = z.object({ sessionId: id, since: z.coerce.number().int().min(0).max(2_147_483_647).default(0) });
/** A socket's action: the room and the action. */
export const SocketActionSchema = z.object({ sessionId: id, action: RoomActionSchema });
