import * as z from "zod";
import { msg } from "../shared/validation";
import { IMPORTANT_KINDS, LEVELS } from "./levels";

const level = z.enum(LEVELS, { error: msg("errors.required") });
const urgentKind = z.enum([...IMPORTANT_KINDS] as [string, ...string[]], { error: msg("errors.invalid") });

/** Mute or unmute one followed matter (e-mail and SMS only; the app still shows its notices). */
export const MuteSchema = z.object({
  matterId: z.coerce.number({ error: msg("errors.invalid") }).int().positive().max(2_147_483_647),
  // "true"/"false" from the form; a boolean when the command re-reads what the action parsed
  muted: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], { error: msg("errors.invalid") }),
});

/** The notification settings form (account → notifications), shared by the form and the command. */
export const NotificationSettingsSchema = z
  .object({
    email: z
      .string()
      .trim()
      .max(254, { error: msg("notifications.errors.emailInvalid") })
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: msg("notifications.errors.emailInvalid") })
      .optional(),
    emailLevel: level,
    smsLevel: level,
    locale: z.enum(["zh-CN", "en"], { error: msg("errors.required") }),
    /** ticked kinds: their SMS goes out during quiet hours too (none ticked: nothing arrives) */
    smsUrgent: z
      .union([urgentKind, z.array(urgentKind).max(IMPORTANT_KINDS.size)])
      .optional()
      .transform((v) => [...new Set(v === undefined ? [] : Array.isArray(v) ? v : [v])]),
  })
  .superRefine((v, ctx) => {
    if (v.emailLevel !== "none" && !v.email) ctx.addIssue({ code: "custom", path: ["email"], message: msg("notifications.errors.emailNeeded") });
  });
