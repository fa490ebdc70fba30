import { createHash, type KeyObject } from "node:crypto";
import { asc, eq, inArray, or } from "drizzle-orm";
import * as z from "zod";
import { sqlState, type Db } from "../../../db/client";
import { areas, importedRecords, volunteers } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { RECORD_FORMAT, RECORD_FORMAT_VERSION } from "./record-export.server";
import { canonicalJson, parsePublicKey, recordKeyPair, verifyBytes } from "./record-signing.server";
import { requireActor } from "./volunteers.server";

const Instant = z.object({ utc: z.string().max(40), beijing: z.string().max(60) });
const Str = z.string().max(5000);
/** What an imported document must hold once its signature verified (a signed document can still be nonsense). */
const BodySchema = z.object({
  format: z.literal(RECORD_FORMAT),
  version: z.literal(RECORD_FORMAT_VERSION),
  issuer: z.object({ origin: z.string().max(300), keyId: z.string().max(64), publicKeyUrl: z.string().max(400) }),
  issuedAt: Instant,
  volunteer: z.object({ volunteerNumber: Str, name: Str, sex: Str, idMasked: z.string().max(40), community: Str }).loose(),
  records: z
    .array(
      z
        .object({
          activity: Str,
          place: Str,
          serviceDate: z.string().max(10),
          minutes: z.number().int().min(0).max(1440),
          hours: z.number(),
          organization: Str,
          status: z.string().max(20),
          start: Instant,
          end: Instant,
          confirmedAt: Instant.nullable(),
        })
        .loose(),
    )
    .max(20_000),
  training: z.array(z.object({ title: Str, organization: Str, date: z.string().max(10), hours: z.number() }).loose()).max(5000),
  honours: z.array(z.object({ title: Str, organization: Str, date: z.string().max(10) }).loose()).max(5000),
}).loose();
export type ImportedBody = z.output<typeof BodySchema>;

export type VerifyProblem = "format" | "altered" | "keyMismatch" | "signature" | "content";

/**
 * Verifies a record document exactly as it was issued (docs/volunteer-record-format.md): UTF-8,
 * JSON, byte for byte the canonical form indented by two spaces with a final line break (so no
 * byte can change, whitespace included), signed by `key` (its key id named in the signature)
 * over the canonical serialisation of everything but the signature. Any altered byte fails.
 */
export function verifyRecordDocument(bytes: Uint8Array, key: KeyObject, keyId: string): { ok: true; body: ImportedBody; text: string } | { ok: false; problem: VerifyProblem } {
  let text: string;
  let doc: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    doc = JSON.parse(text);
  } catch {
    return { ok: false, problem: "format" };
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return { ok: false, problem: "format" };
  const { signature, ...body } = doc as Record<string, unknown>;
  const sig = signature as { alg?: unknown; keyId?: unknown; value?: unknown } | undefined;
  if (!sig || sig.alg !== "Ed25519" || typeof sig.keyId !== "string" || typeof sig.value !== "string") return { ok: false, problem: "format" };
  if (`${canonicalJson(doc, 2)}\n` !== text) return { ok: false, problem: "altered" };
  if (sig.keyId !== keyId) return { ok: false, problem: "keyMismatch" };
  if (!verifyBytes(key, canonicalJson(body), sig.value)) return { ok: false, problem: "signature" };
  const parsed = BodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, problem: "content" };
  return { ok: true, body: parsed.data, text };
}

/**
 * An organizer or committee member of a volunteer's community imports a record another 议事
 * installation issued to that volunteer: the issuer's public key is supplied (pasted from its
 * well-known URL), the signature verified, and the masked ID number and name must match the local
 * volunteer. The document is kept whole; its hours are shown apart and never added to local
 * totals or stars. Ledger: `record.imported`; the volunteer is told.
 */
export async function importSignedRecord(ctx: CommandContext, input: { volunteer: string; publicKey: string; bytes: Uint8Array }) {
  const actor = requireActor(ctx);
  const who = input.volunteer.trim();
  const found = await ctx.db
    .select({ id: volunteers.id, userId: volunteers.userId, name: volunteers.realName, idMasked: volunteers.idMasked, communityId: areas.id, communityPath: areas.path })
    .from(volunteers)
    .innerJoin(areas, eq(areas.id, volunteers.communityId))
    .where(or(eq(volunteers.volunteerNumber, who), eq(volunteers.contact, who)));
  if (found.length !== 1) throw new DomainError("validation", found.length ? "volunteers.errors.walkInAmbiguous" : "volunteers.errors.walkInUnknown", { who: who.slice(0, 40) }, "volunteer");
  const v = found[0];
  if (!can(actor, "volunteer.importRecord", { type: "area", id: v.communityId, path: v.communityPath, kind: "community" })) throw new DomainError("forbidden", "errors.forbidden");
  const key = parsePublicKey(input.publicKey);
  if (!key) throw new DomainError("validation", "volunteers.errors.importKey", {}, "publicKey");
  if (key.keyId === recordKeyPair(ctx.settings).keyId) throw new DomainError("validation", "volunteers.errors.importOwn", {}, "publicKey");
  const checked = verifyRecordDocument(input.bytes, key.key, key.keyId);
  if (!checked.ok) throw new DomainError("validation", `volunteers.errors.import_${checked.problem}`, {}, checked.problem === "keyMismatch" ? "publicKey" : "file");
  const { body, text } = checked;
  if (body.volunteer.idMasked !== v.idMasked || body.volunteer.name !== v.name) throw new DomainError("validation", "volunteers.errors.importWrongPerson", {}, "volunteer");
  const confirmedMinutes = body.records.filter((r) => r.status === "confirmed").reduce((s, r) => s + r.minutes, 0);
  const now = ctx.clock.now();
  const issuedAt = new Date(body.issuedAt.utc);
  if (Number.isNaN(issuedAt.getTime())) throw new DomainError("validation", "volunteers.errors.import_content", {}, "file");
  try {
    return await inTransaction(ctx, async (tx, emit) => {
      const [row] = await tx
        .insert(importedRecords)
        .values({
          volunteerId: v.id,
          issuerOrigin: body.issuer.origin,
          keyId: key.keyId,
          publicKey: key.raw.toString("base64"),
          documentSha256: createHash("sha256").update(input.bytes).digest("hex"),
          document: text,
          issuedAt,
          confirmedMinutes,
          recordCount: body.records.length,
          importedBy: actor.id,
          importedAt: now,
        })
        .returning({ id: importedRecords.id });
      await appendLedger(tx, {
        stream: `area:${v.communityId}`,
        actorId: actor.id,
        action: "record.imported",
        entityType: "volunteer",
        entityId: v.id,
        summary: { after: { importId: row.id, issuer: body.issuer.origin, keyId: key.keyId, records: body.records.length, confirmedMinutes } },
        at: now,
      });
      await notify(tx, emit, [v.userId], { kind: "notify.volunteers.imported", params: { issuer: body.issuer.origin.slice(0, 100) }, link: "/volunteers/records", at: now });
      return { id: row.id, volunteerId: v.id, records: body.records.length, confirmedMinutes };
    });
  } catch (e) {
    if (sqlState(e).code === "23505") throw new DomainError("conflict", "volunteers.errors.importDuplicate", {}, "file");
    throw e;
  }
}

/** Imported documents of volunteers, each with what it holds, for the records page (shown apart from local hours). */
export async function listImportedRecords(db: Db, volunteerIds: number[]) {
  if (!volunteerIds.length) return [];
  const rows = await db.select().from(importedRecords).where(inArray(importedRecords.volunteerId, volunteerIds)).orderBy(asc(importedRecords.id));
  return rows.map((r) => {
    const body = BodySchema.parse(JSON.parse(r.document));
    return {
      id: r.id,
      volunteerId: r.volunteerId,
      issuerOrigin: r.issuerOrigin,
      keyId: r.keyId,
      issuedAt: r.issuedAt,
      importedAt: r.importedAt,
      confirmedMinutes: r.confirmedMinutes,
      records: body.records.map((x) => ({ activity: x.activity, place: x.place, serviceDate: x.serviceDate, minutes: x.minutes, organization: x.organization, status: x.status })),
      training: body.training.map((x) => ({ title: x.title, organization: x.organization, date: x.date, hours: x.hours })),
      honours: body.honours.map((x) => ({ title: x.title, organization: x.organization, date: x.date })),
    };
  });
}

export function importedOf(db: Db, volunteerId: number) {
  return listImportedRecords(db, [volunteerId]);
}
