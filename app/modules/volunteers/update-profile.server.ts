import { eq } from "drizzle-orm";
import { volunteers } from "../../../db/schema";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import type { UpdateProfileInput } from "./travel-schemas.server";
import { requireOwnVolunteer } from "./volunteers.server";

/**
 * A volunteer edits their own profile: contact, skills, service types, availability, Party
 * membership. The verified ID number (and the name, sex and birth date checked against it) cannot
 * change here. The ledger names the fields that changed, not the contact number itself.
 */
export async function updateVolunteerProfile(ctx: CommandContext, input: UpdateProfileInput) {
  const me = await requireOwnVolunteer(ctx);
  const now = ctx.clock.now();
  const next = { contact: input.contact, skills: input.skills, serviceTypes: input.serviceTypes, availability: input.availability ?? "", partyMember: input.partyMember };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(me[k]));
  if (!changed.length) return { changed };
  return inTransaction(ctx, async (tx) => {
    await tx.update(volunteers).set(next).where(eq(volunteers.id, me.id));
    await appendLedger(tx, {
      stream: `area:${me.communityId}`,
      actorId: me.userId,
      action: "volunteer.profileUpdated",
      entityType: "volunteer",
      entityId: me.id,
      summary: { after: { fields: changed, partyMember: input.partyMember } },
      at: now,
    });
    return { changed };
  });
}
