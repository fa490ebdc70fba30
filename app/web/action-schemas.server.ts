import * as z from "zod";
import { ConfirmField } from "~/modules/shared/confirm";

/**
 * Schemas that pages use only in their actions, reached through a `.server` module: the browser
 * build empties it, so these pages ship no zod. (esbuild's code splitting makes a page import every
 * chunk its route file reaches, even one only its stripped action used.)
 */
export { MaterialSchema, MatterCommandSchema } from "~/modules/matters/schemas";
export { AddCommitmentSchema, AssignOwnerSchema, RateSchema, ReopenSchema, RespondSchema, UpdateCommitmentSchema } from "~/modules/matters/outcomes/schemas";
export { CastBallotSchema, PaperBallotSchema } from "~/modules/matters/voting/schemas";
export { RoomActionSchema } from "~/modules/matters/room/schemas";

/** A form whose only field is its intent. */
export const EmptySchema = z.object({});

/** An irreversible action's form: only the `confirm=yes` its confirmation step adds (modules/shared/confirm.ts). */
export const ConfirmationSchema = z.object({ confirm: ConfirmField });
