import { and, asc, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { areas, recordCorrections, serviceRecords, volunteerActivities, volunteers } from "../../../db/schema";
import { formatTime, translate, type Locale, type MessageKey } from "../../i18n";
import type { CommandContext } from "../shared/context";
import { csvFile } from "../shared/export";
import { canonicalJson, recordKeyPair, signBytes } from "./record-signing.server";
import { hoursOf } from "./rules";
import { listTrainingAndHonours } from "./training.server";
import { requireOwnVolunteer } from "./volunteers.server";

/** The name and version every exported document carries (docs/volunteer-record-format.md). */
export const RECORD_FORMAT = "yishi-volunteer-record";
export const RECORD_FORMAT_VERSION = 1;
export const WELL_KNOWN_KEY_PATH = "/.well-known/yishi-volunteer-key";

/** An instant as the document holds it: ISO 8601 UTC for machines, Beijing time through the one formatter for people. */
function instant(d: Date | null) {
  return d ? { utc: d.toISOString(), beijing: formatTime("zh-CN", d) } : null;
}

/**
 * Everything a volunteer's record holds, in the fields of 《志愿服务记录与证明出具办法》: the person
 * (ID number masked), and per service record its content, time, place, hours, the organisation
 * that recorded it, its confirmation and every correction; training attended and honours given.
 * Declined self-declarations are left out (they are not records).
 */
export async function buildRecordBody(db: Db, volunteerId: number, origin: string, now: Date, keyId: string) {
  const [v] = await db
    .select({ number: volunteers.volunteerNumber, name: volunteers.realName, sex: volunteers.sex, idMasked: volunteers.idMasked, community: areas.name, registeredAt: volunteers.createdAt })
    .from(volunteers)
    .innerJoin(areas, eq(areas.id, volunteers.communityId))
    .where(eq(volunteers.id, volunteerId));
  const rows = await db
    .select({
      id: serviceRecords.id,
      serviceDate: serviceRecords.serviceDate,
      minutes: serviceRecords.minutes,
      status: serviceRecords.status,
      method: serviceRecords.method,
      organiser: serviceRecords.organiser,
      personInCharge: serviceRecords.personInCharge,
      evaluation: serviceRecords.evaluation,
      late: serviceRecords.late,
      lateDays: serviceRecords.lateDays,
      confirmedAt: serviceRecords.confirmedAt,
      title: volunteerActivities.title,
      content: volunteerActivities.content,
      place: volunteerActivities.place,
      startsAt: volunteerActivities.startsAt,
      endsAt: volunteerActivities.endsAt,
    })
    .from(serviceRecords)
    .innerJoin(volunteerActivities, eq(volunteerActivities.id, serviceRecords.activityId))
    .where(and(eq(serviceRecords.volunteerId, volunteerId), ne(serviceRecords.status, "declined")))
    .orderBy(asc(serviceRecords.serviceDate), asc(serviceRecords.id));
  const corrections = rows.length
    ? await db.select().from(recordCorrections).where(inArray(recordCorrections.recordId, rows.map((r) => r.id))).orderBy(asc(recordCorrections.id))
    : [];
  const extra = await listTrainingAndHonours(db, volunteerId);
  const confirmedMinutes = rows.filter((r) => r.status === "confirmed").reduce((s, r) => s + r.minutes, 0);
  return {
    format: RECORD_FORMAT,
    version: RECORD_FORMAT_VERSION,
    issuer: { origin, keyId, publicKeyUrl: `${origin}${WELL_KNOWN_KEY_PATH}` },
    issuedAt: instant(now)!,
    volunteer: { volunteerNumber: v.number ?? "", name: v.name, sex: v.sex, idMasked: v.idMasked, community: v.community, registeredAt: instant(v.registeredAt)! },
    totals: { confirmedHours: hoursOf(confirmedMinutes), confirmedMinutes, records: rows.length, trainingSessions: extra.training.length, honours: extra.honours.length },
    records: rows.map((r) => ({
      id: r.id,
      activity: r.title,
      content: r.content,
      place: r.place,
      serviceDate: r.serviceDate,
      start: instant(r.startsAt)!,
      end: instant(r.endsAt)!,
      minutes: r.minutes,
      hours: hoursOf(r.minutes),
      method: r.method,
      organization: r.organiser,
      personInCharge: r.personInCharge,
      status: r.status,
      confirmedAt: instant(r.confirmedAt),
      late: r.late,
      lateDays: r.lateDays,
      evaluation: r.evaluation ?? null,
      corrections: corrections
        .filter((c) => c.recordId === r.id)
        .map((c) => ({ field: c.field, from: c.oldValue ?? null, to: c.newValue ?? null, reason: c.reason, at: instant(c.correctedAt)! })),
    })),
    training: extra.training.map((x) => ({ id: x.id, title: x.title, organization: x.team, date: x.date, minutes: x.minutes, hours: hoursOf(x.minutes), recordedAt: instant(x.recordedAt)! })),
    honours: extra.honours.map((x) => ({ id: x.id, title: x.title, organization: x.team, date: x.date, citation: x.citation, recordedAt: instant(x.recordedAt)! })),
  };
}
export type RecordBody = Awaited<ReturnType<typeof buildRecordBody>>;

/**
 * The volunteer's whole record as a signed document: the body's canonical serialisation signed
 * with the installation's Ed25519 key, written as the canonical form indented by two spaces plus a
 * final line break. Reading only; the volunteer's own.
 */
export async function exportMyRecord(ctx: CommandContext, input: { origin: string }) {
  const me = await requireOwnVolunteer(ctx);
  const pair = recordKeyPair(ctx.settings);
  const body = await buildRecordBody(ctx.db, me.id, input.origin, ctx.clock.now(), pair.keyId);
  return { filename: `volunteer-record-${me.volunteerNumber ?? me.id}.json`, text: signedDocumentText(body, pair) };
}

export function signedDocumentText(body: object, pair: ReturnType<typeof recordKeyPair>) {
  const signature = { alg: "Ed25519", keyId: pair.keyId, value: signBytes(pair, canonicalJson(body)) };
  return `${canonicalJson({ ...body, signature }, 2)}\n`;
}

/** The same record as CSV for a spreadsheet (not signed: the JSON is the document that verifies). */
export async function exportMyRecordCsv(ctx: CommandContext, input: { origin: string; locale: Locale }) {
  const me = await requireOwnVolunteer(ctx);
  const body = await buildRecordBody(ctx.db, me.id, input.origin, ctx.clock.now(), recordKeyPair(ctx.settings).keyId);
  const t = (k: MessageKey, p?: Record<string, string | number>) => translate(input.locale, k, p);
  const when = (i: { utc: string } | null) => (i ? formatTime(input.locale, i.utc) : "");
  const header = (["kind", "number", "name", "idMasked", "activity", "content", "place", "start", "end", "hours", "organization", "status", "confirmedAt", "method", "corrections"] as const).map((k) =>
    t(`volunteers.export.csv.${k}`),
  );
  const who = [body.volunteer.volunteerNumber, body.volunteer.name, body.volunteer.idMasked];
  const rows: Parameters<typeof csvFile>[0] = [header];
  for (const r of body.records) {
    const fixes = r.corrections.map((c) => `${when(c.at)} ${c.field}: ${c.from ?? ""} → ${c.to ?? ""} (${c.reason})`).join("; ");
    rows.push([t("volunteers.export.kind.service"), ...who, r.activity, r.content, r.place, when(r.start), when(r.end), r.hours, r.organization, t(`volunteers.records.status.${r.status}`), when(r.confirmedAt), t(`volunteers.records.method.${r.method}`), fixes]);
  }
  for (const x of body.training) rows.push([t("volunteers.export.kind.training"), ...who, x.title, "", "", x.date, "", x.hours, x.organization, "", when(x.recordedAt), "", ""]);
  for (const x of body.honours) rows.push([t("volunteers.export.kind.honour"), ...who, x.title, x.citation, "", x.date, "", "", x.organization, "", when(x.recordedAt), "", ""]);
  return { filename: `volunteer-record-${me.volunteerNumber ?? me.id}.csv`, csv: csvFile(rows) };
}

/** What /.well-known/yishi-volunteer-key answers: the public key that verifies this installation's documents. */
export function publishedRecordKey(settings: CommandContext["settings"], origin: string) {
  const pair = recordKeyPair(settings);
  return {
    format: RECORD_FORMAT,
    issuer: origin,
    alg: "Ed25519",
    keyId: pair.keyId,
    publicKey: pair.publicKeyBase64,
    publicKeyPem: pair.publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}
