import * as z from "zod";
import { msg } from "../shared/validation";
import { LEVELS } from "./levels";

const level = z.enum(LEVELS, { error: msg("errors.required") });

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
  })
  .superRefine((v, ctx) => {
    if (v.emailLevel !== "none" && !v.email) ctx.addIssue({ code: "custom", path: ["email"], message: msg("notifications.errors.emailNeeded") });
  });
