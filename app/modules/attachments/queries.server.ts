/** Reading attachments: the list on a matter, and one file's bytes, only for those who may read the matter. */
import { and, asc, eq } from "drizzle-orm";
import { areas, attachments, matterMaterials, matters, outcomes, users } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { matterResource, requireVisibleMatter } from "../matters/transition.server";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { contentDisposition } from "./sniff.server";
import { storageFromUrl } from "./storage.server";

/**
 * A matter's attachments (newest last) and where the asker may add one: the proposal, each
 * material, the outcome. Someone who may not read the matter gets not_found.
 */
export async function listAttachments(ctx: Pick<CommandContext, "db" | "actor">, matterId: number) {
  const facts = await requireVisibleMatter(ctx, matterId);
  const resource = matterResource(facts.m, facts.path);
  const rows = await ctx.db
    .select({
      id: attachments.id,
      ownerType: attachments.ownerType,
      ownerId: attachments.ownerId,
      filename: attachments.filename,
      contentType: attachments.contentType,
      bytes: attachments.bytes,
      hasThumb: attachments.thumbKey,
      createdAt: attachments.createdAt,
      uploader: users.displayName,
    })
    .from(attachments)
    .innerJoin(users, eq(users.id, attachments.uploadedBy))
    .where(eq(attachments.matterId, matterId))
    .orderBy(asc(attachments.id));
  const materials = await ctx.db.select({ id: matterMaterials.id, title: matterMaterials.title }).from(matterMaterials).where(eq(matterMaterials.matterId, matterId)).orderBy(asc(matterMaterials.id));
  const [outcome] = await ctx.db.select({ id: outcomes.matterId }).from(outcomes).where(eq(outcomes.matterId, matterId));
  const targets: { value: string; owner: "proposal" | "material" | "outcome"; title?: string }[] = [];
  if (can(ctx.actor, "attachment.addToProposal", resource)) targets.push({ value: "proposal", owner: "proposal" });
  if (can(ctx.actor, "attachment.addToRecord", resource)) {
    for (const m of materials) targets.push({ value: `material:${m.id}`, owner: "material", title: m.title });
    if (outcome) targets.push({ value: "outcome", owner: "outcome" });
  }
  return {
    matter: { id: facts.m.id, title: facts.m.title },
    attachments: rows.map((r) => ({ ...r, hasThumb: r.hasThumb !== null, image: r.contentType.startsWith("image/"), materialTitle: r.ownerType === "material" ? (materials.find((m) => m.id === r.ownerId)?.title ?? "") : null })),
    targets,
  };
}

/**
 * One attachment's bytes (or its thumbnail), with the headers it is served with. The matter and
 * its community are read in the same query as the attachment, and `matter.view` decides: someone
 * who may not read the matter gets not_found, as for a file that does not exist.
 */
export async function getAttachmentFile(ctx: Pick<CommandContext, "db" | "actor" | "settings">, id: number, variant: "file" | "thumb") {
  const [row] = await ctx.db
    .select({ a: attachments, m: { id: matters.id, communityId: matters.communityId, proposerId: matters.proposerId, state: matters.state }, path: areas.path })
    .from(attachments)
    .innerJoin(matters, eq(matters.id, attachments.matterId))
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .where(and(eq(attachments.id, id)));
  if (!row || !can(ctx.actor, "matter.view", matterResource(row.m, row.path))) throw new DomainError("not_found", "errors.notFound");
  const key = variant === "thumb" ? row.a.thumbKey : row.a.storageKey;
  if (!key) throw new DomainError("not_found", "errors.notFound");
  const data = await storageFromUrl(ctx.settings?.storageUrl).get(ctx.db, key);
  if (!data) throw new DomainError("not_found", "errors.notFound");
  const image = row.a.contentType.startsWith("image/");
  const contentType = variant === "thumb" ? "image/webp" : row.a.contentType;
  const filename = variant === "thumb" ? row.a.filename.replace(/\.[^.]*$/, "") + "-thumb.webp" : row.a.filename;
  return {
    data,
    headers: {
      "content-type": contentType,
      "content-length": String(data.length),
      "x-content-type-options": "nosniff",
      // images open in the browser; everything else is downloaded, never rendered on this origin
      "content-disposition": contentDisposition(image ? "inline" : "attachment", filename),
      // a PDF or image opened here runs no script and loads nothing
      "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      "cache-control": "private, max-age=3600",
    } as Record<string, string>,
  };
}
