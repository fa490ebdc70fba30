/** Printed paper ballots (issue 22): numbered sheets that the paper-ballot entry accepts once each. */
import { randomInt } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import PDFDocument from "pdfkit";
import type { Db } from "../../../../db/client";
import { areas, paperBallotNumbers } from "../../../../db/schema";
import { formatTime, translate, type Locale, type MessageKey, type Params } from "~/i18n";
import { can } from "../../accounts/permissions";
import { appendLedger } from "../../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { chineseFont, pdfBytes } from "../../shared/pdf.server";
import { getMatterFacts } from "../transition.server";
import { lockOpenVote, voteResource } from "./vote.server";

/** Letters and digits that cannot be misread for each other when typed from paper (no 0/O, 1/I/L). */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const MAX_PRINTED = 500;

/** A ballot number as typed: spaces and dashes ignored, upper case ("0007 k3qx" → "0007-K3QX"). */
export function normalBallotNumber(raw: string) {
  const s = raw.replace(/[\s-]/g, "").toUpperCase();
  return /^\d{4,6}[A-Z0-9]{4}$/.test(s) ? `${s.slice(0, -4)}-${s.slice(-4)}` : null;
}

/**
 * Staff (`vote.enterPaper`) print `count` numbered paper ballots for an open vote: each number is
 * kept, unused, until the entry of that sheet. Ledgered with the count (never the numbers' use).
 */
export async function printPaperBallots(ctx: CommandContext, voteId: number, input: { count: number }) {
  const actor = ctx.actor;
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const n = Math.trunc(input.count);
  if (!(n >= 1 && n <= MAX_PRINTED)) throw new DomainError("validation", "paperBallots.errors.count", {}, "count");
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    const v = await lockOpenVote(tx, voteId, now);
    const facts = await getMatterFacts(tx, v.matterId);
    if (!facts || !can(actor, "vote.enterPaper", voteResource(v, facts))) throw new DomainError("forbidden", "errors.forbidden");
    const [area] = await tx.select({ name: areas.name }).from(areas).where(eq(areas.id, facts.m.communityId));
    const [{ printed }] = await tx.select({ printed: count() }).from(paperBallotNumbers).where(eq(paperBallotNumbers.voteId, voteId));
    const numbers = Array.from({ length: n }, (_, i) => {
      const suffix = Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
      return `${String(Number(printed) + i + 1).padStart(4, "0")}-${suffix}`;
    });
    await tx.insert(paperBallotNumbers).values(numbers.map((number) => ({ voteId, number, printedBy: actor.id, printedAt: now })));
    await appendLedger(tx, {
      stream: `area:${facts.m.communityId}`,
      actorId: actor.id,
      action: "vote.paper_ballots_printed",
      entityType: "vote",
      entityId: voteId,
      summary: { count: n, first: numbers[0], last: numbers[numbers.length - 1] },
      at: now,
    });
    return { community: area?.name ?? "", vote: { id: v.id, question: v.question, options: v.options, method: v.method, maxChoices: v.maxChoices, closesAt: v.closesAt }, numbers };
  });
}

/**
 * Inside the paper-ballot entry's transaction: the sheet's number must be one printed for this
 * vote and not yet entered; it is then marked entered (a second entry of the sheet is refused).
 */
export async function useBallotNumber(tx: Db, voteId: number, raw: string) {
  const number = normalBallotNumber(raw);
  if (!number) throw new DomainError("validation", "paperBallots.errors.unknown", {}, "ballotNumber");
  const used = await tx
    .update(paperBallotNumbers)
    .set({ entered: true })
    .where(and(eq(paperBallotNumbers.voteId, voteId), eq(paperBallotNumbers.number, number), eq(paperBallotNumbers.entered, false)))
    .returning({ number: paperBallotNumbers.number });
  if (used.length) return number;
  const [known] = await tx.select({ number: paperBallotNumbers.number }).from(paperBallotNumbers).where(and(eq(paperBallotNumbers.voteId, voteId), eq(paperBallotNumbers.number, number)));
  throw known
    ? new DomainError("conflict", "paperBallots.errors.used", { number }, "ballotNumber")
    : new DomainError("validation", "paperBallots.errors.unknown", {}, "ballotNumber");
}

type Printed = Awaited<ReturnType<typeof printPaperBallots>>;

/** The sheets as an A4 PDF, one ballot a page in large print: community, question, a box per option, the number top and bottom. */
export async function paperBallotsPdf(p: Printed, locale: Locale): Promise<Buffer> {
  const t = (k: MessageKey | string, params?: Params) => translate(locale, k, params);
  const doc = new PDFDocument({ size: "A4", margin: 56, autoFirstPage: false, info: { Title: `${t("paperBallots.title")}：${p.vote.question}` } });
  const done = pdfBytes(doc);
  doc.registerFont("cjk", chineseFont());
  const label = (l: string) => (l.startsWith("@") ? t(l.slice(1)) : l);
  for (const number of p.numbers) {
    doc.addPage();
    doc.font("cjk");
    const width = doc.page.width - 112;
    doc.fontSize(14).text(t("paperBallots.number", { number }), { align: "right" });
    doc.moveDown(0.3).fontSize(18).text(p.community, { align: "center" });
    doc.fontSize(28).text(t("paperBallots.title"), { align: "center" });
    doc.moveDown(0.5).fontSize(22).text(p.vote.question, { width, lineGap: 4 });
    doc.moveDown(0.4).fontSize(16).text(t(p.vote.method === "approval" ? "paperBallots.howMany" : "paperBallots.howOne", { max: p.vote.maxChoices ?? 1 }), { width, lineGap: 4 });
    if (p.vote.closesAt) doc.fontSize(16).text(t("notice.closes", { time: formatTime(locale, p.vote.closesAt) }), { width });
    doc.moveDown(0.8);
    for (const o of p.vote.options) {
      const y = doc.y;
      doc.lineWidth(2).rect(56, y, 36, 36).stroke();
      doc.fontSize(22).text(label(o.label), 56 + 52, y + 4, { width: width - 52 });
      doc.y = Math.max(doc.y, y + 36) + 18;
      doc.x = 56;
    }
    doc.moveDown(1).fontSize(14).text(t("paperBallots.handIn"), 56, doc.y, { width, lineGap: 4 });
    doc.fontSize(14).text(t("paperBallots.number", { number }), 56, doc.page.height - 56 - 20, { width, align: "right" });
  }
  doc.end();
  return done;
}
