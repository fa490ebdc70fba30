export const ATTACHMENT_OWNERS = ["proposal", "material", "outcome"] as const;
export type AttachmentOwner = (typeof ATTACHMENT_OWNERS)[number];

/**
 * Where a file goes, as the upload form sends it: "proposal", "outcome", or "material:<id>";
 * null for anything else. (The file itself is read by the route's multipart parser.)
 */
export function parseAttachTarget(v: unknown): { owner: AttachmentOwner; materialId: number | null } | null {
  if (typeof v !== "string") return null;
  const m = /^(proposal|outcome|material:(\d{1,9}))$/.exec(v);
  if (!m) return null;
  return m[2] ? { owner: "material", materialId: Number(m[2]) } : { owner: m[1] as AttachmentOwner, materialId: null };
}
