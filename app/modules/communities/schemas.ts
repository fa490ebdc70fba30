import { z } from "zod";
import { count, idParam, msg, text } from "../shared/validation";

export const JoinSchema = z.object({ address: text(100) });

export const DecideMembershipSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("verify"), membershipId: idParam }),
  z.object({ decision: z.literal("decline"), membershipId: idParam, reason: text(200) }),
], { error: msg("errors.invalid") });

export const CreateAreaSchema = z.object({
  parentId: idParam,
  name: text(60),
  communityType: z.enum(["urban", "rural"], { error: msg("errors.invalid") }).optional(),
  residents: count.default(0),
  households: count.default(0),
});

export const GrantRoleSchema = z.object({
  identifier: z.string({ error: msg("errors.required") }).max(64, { error: msg("errors.userNotFound") }),
  role: z.enum(["committee", "organizer", "town_admin", "county_admin"], { error: msg("errors.invalid") }),
  areaId: idParam,
});
