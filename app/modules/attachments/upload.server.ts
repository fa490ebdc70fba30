/** Attaching a file to a proposal, one of its materials, or its outcome. */
import { createHash, randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { attachments, matterMaterials, outcomes } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { matterResource, requireVisibleMatter } from "../matters/transition.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import type { AttachmentOwner } from "./schemas";
import { safeFilename, sniffAttachment } from "./sniff.server";
import { storageFromUrl } from "./storage.server";
import { makeThumbnail } from "./thumbnail.server";

export interface UploadInput {
  matterId: number;
  owner: AttachmentOwner;
  /** for owner "material": which one */
  materialId: number | null;
  filename: string;
  bytes: Uint8Array;
}

/**
 * The proposer attaches to their proposal while it is a draft or collecting
 * (`attachment.addToProposal`); the committee attaches to a material or the recorded outcome
 * (`attachment.addToRecord`). The type comes from the bytes (sniff.server.ts); an image gets a
 * thumbnail. Bytes and row are written in one transaction (on disk storage the file is written
 * first; a rolled-back upload leaves an unreferenced file, never a row without bytes).
 * Ledger: `attachment.added` with the name, type, size and SHA-256.
 */
export async function uploadAttachment(ctx: CommandContext, input: UploadInput) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const facts = await requireVisibleMatter(ctx, input.matterId);
  const resource = matterResource(facts.m, facts.path);
  const action = input.owner === "proposal" ? "attachment.addToProposal" : "attachment.addToRecord";
  if (!can(actor, action, resource)) throw new DomainError("forbidden", "attachments.errors.forbidden");
  let ownerId = input.matterId;
  if (input.owner === "material") {
    const [m] = await ctx.db
      .select({ id: matterMaterials.id })
      .from(matterMaterials)
      .where(and(eq(matterMaterials.id, input.materialId ?? 0), eq(matterMaterials.matterId, input.matterId)));
    if (!m) throw new DomainError("validation", "attachments.errors.target", {}, "target");
    ownerId = m.id;
  }
  if (input.owner === "outcome") {
    const [o] = await ctx.db.select({ id: outcomes.matterId }).from(outcomes).where(eq(outcomes.matterId, input.matterId));
    if (!o) throw new DomainError("validation", "attachments.errors.target", {}, "target");
  }
  const sniffed = await sniffAttachment(input.bytes, input.filename);
  if (!sniffed.ok) throw new DomainError("validation", sniffed.key, {}, "file");
  const thumb = sniffed.file.image ? await makeThumbnail(input.bytes) : null;
  if (sniffed.file.image && !thumb) throw new DomainError("validation", "attachments.errors.damaged", {}, "file");
  const filename = safeFilename(input.filename, sniffed.file.ext);
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");
  const storage = storageFromUrl(ctx.settings?.storageUrl);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const key = `att-${randomUUID()}`;
    await storage.put(tx, key, input.bytes, now);
    const thumbKey = thumb ? `${key}-thumb` : null;
    if (thumb && thumbKey) await storage.put(tx, thumbKey, thumb, now);
    const [row] = await tx
      .insert(attachments)
      .values({ matterId: input.matterId, ownerType: input.owner, ownerId, filename, contentType: sniffed.file.contentType, bytes: input.bytes.length, sha256, storageKey: key, thumbKey, uploadedBy: actor.id, createdAt: now })
      .returning({ id: attachments.id });
    await appendLedger(tx, {
      stream: `area:${facts.m.communityId}`,
      actorId: actor.id,
      action: "attachment.added",
      entityType: "matter",
      entityId: input.matterId,
      summary: { attachment: row.id, owner: input.owner, ownerId, filename, type: sniffed.file.contentType, bytes: input.bytes.length, sha256 },
      at: now,
    });
    return { id: row.id, filename };
  });
}
