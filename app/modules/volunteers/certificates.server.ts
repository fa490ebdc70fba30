import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, gte, lte } from "drizzle-orm";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import type { z } from "zod";
import { areas, certificates, serviceRecords, volunteerActivities, volunteerTeams } from "../../../db/schema";
import { canonicalJson, appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { beijingDay } from "../shared/beijing-time";
import { chineseFont } from "../shared/pdf.server";
import { DomainError } from "../shared/errors";
import { translate, type Locale } from "~/i18n";
import { sameHex, sealHmac, volunteerKeys, type Keys } from "./keys.server";
import { hoursOf } from "./rules";
import type { IssueCertificateSchema } from "./schemas";
import { requireOwnVolunteer } from "./volunteers.server";

type Certificate = typeof certificates.$inferSelect;
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** ZM + issue date + 8 random characters + 4 keyed check characters, e.g. ZM20261127-K7Q2MX9A-3F0C. */
const NUMBER = /^ZM(\d{8})-([A-HJ-NP-Z2-9]{8})-([0-9A-F]{4})$/;

function checkPart(body: string, keys: Keys) {
  return sealHmac(`number:${body}`, keys).slice(0, 4).toUpperCase();
}

function newNumber(now: Date, keys: Keys) {
  const bytes = randomBytes(8);
  const random = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
  const body = `ZM${beijingDay(now).replace(/-/g, "")}-${random}`;
  return `${body}-${checkPart(body, keys)}`;
}

/** What the seal covers: the number and everything the certificate states. */
export function sealOf(c: Pick<Certificate, "number" | "volunteerId" | "periodFrom" | "periodTo" | "minutes" | "recordCount" | "summary" | "issuers"> & { issuedAt: Date }, keys: Keys) {
  return sealHmac(
    canonicalJson({
      number: c.number,
      volunteerId: c.volunteerId,
      periodFrom: c.periodFrom,
      periodTo: c.periodTo,
      minutes: c.minutes,
      recordCount: c.recordCount,
      summary: c.summary,
      issuers: c.issuers,
      issuedAt: c.issuedAt.toISOString(),
    }),
    keys,
  );
}

/** Confirmed records of a volunteer within a period (whole service when no dates), with their activity and team. */
async function confirmedRecords(ctx: CommandContext, volunteerId: number, from?: string, to?: string) {
  return ctx.db
    .select({ minutes: serviceRecords.minutes, title: volunteerActivities.title, team: volunteerTeams.name, area: areas.name, date: serviceRecords.serviceDate })
    .from(serviceRecords)
    .innerJoin(volunteerActivities, eq(volunteerActivities.id, serviceRecords.activityId))
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, serviceRecords.teamId))
    .innerJoin(areas, eq(areas.id, volunteerTeams.areaId))
    .where(
      and(
        eq(serviceRecords.volunteerId, volunteerId),
        eq(serviceRecords.status, "confirmed"),
        from ? gte(serviceRecords.serviceDate, from) : undefined,
        to ? lte(serviceRecords.serviceDate, to) : undefined,
      ),
    )
    .orderBy(asc(serviceRecords.serviceDate));
}

/**
 * A volunteer generates, free of charge, a certificate of all or part of their confirmed
 * service. Its hours are the sum of the confirmed records; the number and the seal make it
 * verifiable and any change to it detectable.
 */
export async function issueCertificate(ctx: CommandContext, input: z.output<typeof IssueCertificateSchema>) {
  const v = await requireOwnVolunteer(ctx);
  const from = input.scope === "period" ? input.from : undefined;
  const to = input.scope === "period" ? input.to : undefined;
  const rows = await confirmedRecords(ctx, v.id, from, to);
  if (!rows.length) throw new DomainError("invalid_state", "volunteers.errors.noRecords");
  const now = ctx.clock.now();
  const minutes = rows.reduce((s, r) => s + r.minutes, 0);
  const titles = [...new Set(rows.map((r) => r.title))];
  const summary = titles.slice(0, 8).join("、") + (titles.length > 8 ? ` …(+${titles.length - 8})` : "");
  const issuers = [...new Set(rows.map((r) => `${r.area} ${r.team}`))];
  const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const base = { volunteerId: v.id, periodFrom: from ?? rows[0].date, periodTo: to ?? rows[rows.length - 1].date, minutes, recordCount: rows.length, summary, issuers, issuedAt };
  return inTransaction(ctx, async (tx) => {
    const keys = volunteerKeys(ctx.settings);
    const number = newNumber(now, keys);
    const [c] = await tx
      .insert(certificates)
      .values({ ...base, number, seal: sealOf({ ...base, number }, keys) })
      .returning({ id: certificates.id, number: certificates.number });
    await appendLedger(tx, {
      stream: `user:${v.userId}`,
      actorId: v.userId,
      action: "certificate.issued",
      entityType: "certificate",
      entityId: c.id,
      summary: { after: { number, hours: hoursOf(minutes), records: rows.length } },
      at: now,
    });
    return c;
  });
}

export async function listMyCertificates(ctx: CommandContext) {
  const v = await requireOwnVolunteer(ctx);
  return ctx.db
    .select({ id: certificates.id, number: certificates.number, minutes: certificates.minutes, periodFrom: certificates.periodFrom, periodTo: certificates.periodTo, issuedAt: certificates.issuedAt })
    .from(certificates)
    .where(eq(certificates.volunteerId, v.id))
    .orderBy(desc(certificates.id));
}

/** The holder's own certificate with what it prints: name, masked ID, volunteer number. Someone else's is a 404. */
export async function getMyCertificate(ctx: CommandContext, id: number) {
  const v = await requireOwnVolunteer(ctx);
  const [c] = await ctx.db.select().from(certificates).where(and(eq(certificates.id, id), eq(certificates.volunteerId, v.id)));
  if (!c) throw new DomainError("not_found", "errors.notFound");
  const { seal: _seal, ...rest } = c;
  return { ...rest, hours: hoursOf(c.minutes), volunteer: { realName: v.realName, idMasked: v.idMasked, volunteerNumber: v.volunteerNumber } };
}
export type CertificateView = Awaited<ReturnType<typeof getMyCertificate>>;

/**
 * Public verification: genuine only when the number is well formed, it exists, and the stored
 * content (number included) still matches its seal. Shows hours, issuers and date only.
 * The check part is not a gate: numbers printed before a key rotation (`npm run keys:rotate`)
 * keep the check part of the old key, while the rotation re-made their seals with the new one.
 */
export async function verifyCertificate(ctx: CommandContext, raw: string) {
  const number = raw.trim().toUpperCase();
  if (!NUMBER.test(number)) return { genuine: false as const, number: number.slice(0, 40) };
  const [c] = await ctx.db.select().from(certificates).where(eq(certificates.number, number));
  if (!c || !sameHex(sealOf(c, volunteerKeys(ctx.settings)), c.seal)) return { genuine: false as const, number };
  return { genuine: true as const, number, hours: hoursOf(c.minutes), issuers: c.issuers, issuedAt: c.issuedAt, periodFrom: c.periodFrom, periodTo: c.periodTo };
}

/** The public address of the verification page for a number. */
export function verificationUrl(origin: string, number: string) {
  return `${origin.replace(/\/$/, "")}/certificates/${encodeURIComponent(number)}`;
}

export function qrSvg(text: string) {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}


/** The certificate as an A4 PDF, Chinese text in Noto Sans SC (subset-embedded), with a QR code to its verification page. */
export async function certificatePdf(c: CertificateView, url: string, locale: Locale): Promise<Buffer> {
  const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate(locale, k, p);
  const qr = await QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 1, width: 300 });
  const doc = new PDFDocument({ size: "A4", margin: 56, info: { Title: `${t("volunteers.cert.title")} ${c.number}` } });
  const chunks: Buffer[] = [];
  doc.on("data", (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("cjk", chineseFont());
  doc.font("cjk");
  doc.fontSize(24).text(t("volunteers.cert.title"), { align: "center" });
  doc.moveDown(0.3).fontSize(10).fillColor("#444").text(t("volunteers.cert.numberLine", { number: c.number }), { align: "center" }).fillColor("#000");
  doc.moveDown(1.5).fontSize(13);
  const line = (label: string, value: string) => doc.text(`${label}：${value}`, { lineGap: 6 });
  line(t("volunteers.cert.name"), c.volunteer.realName);
  line(t("volunteers.cert.idMasked"), c.volunteer.idMasked);
  line(t("volunteers.cert.volunteerNumber"), c.volunteer.volunteerNumber ?? "");
  line(t("volunteers.cert.period"), `${c.periodFrom ?? ""} — ${c.periodTo ?? ""}`);
  line(t("volunteers.cert.hours"), t("volunteers.hoursValue", { hours: c.hours }));
  line(t("volunteers.cert.records"), String(c.recordCount));
  line(t("volunteers.cert.content"), c.summary);
  line(t("volunteers.cert.issuers"), c.issuers.join("；"));
  line(t("volunteers.cert.issuedAt"), beijingDay(new Date(c.issuedAt)));
  doc.moveDown(1).fontSize(11).text(t("volunteers.cert.statement"), { lineGap: 4 });
  const y = doc.y + 20;
  doc.image(qr, 56, y, { width: 110 });
  doc.fontSize(10).text(t("volunteers.cert.verifyAt"), 180, y + 10, { width: 360 });
  doc.text(url, 180, doc.y + 4, { width: 360, link: url, underline: true });
  doc.end();
  return done;
}

/** The configured public origin (PUBLIC_ORIGIN) when the app sits behind a proxy, else the request's own origin. */
export function publicOrigin(request: Request, configured?: string) {
  return configured || new URL(request.url).origin;
}
