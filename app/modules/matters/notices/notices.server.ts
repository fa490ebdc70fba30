/**
 * The notice board (issue 22): printable A4 notices, large print, with the community's name, a seal
 * area and a QR code to the page they stand for. Each is built from the same query as its page,
 * so it obeys the same visibility (who may not read the page gets not_found).
 */
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { formatTime, translate, type Locale, type MessageKey, type Params } from "~/i18n";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { chineseFont, pdfBytes } from "../../shared/pdf.server";
import { getMatterPage } from "../queries.server";
import { getVotePage } from "../voting/results.server";
import type { Tally } from "../voting/rules";

export type NoticeSection = { heading: string; lines: string[] };
/** What a notice says, already in the reader's language. */
export type Notice = { community: string; kind: string; title: string; sections: NoticeSection[]; issued: string };

const MATERIAL_CHARS = 240;
const MATERIALS_SHOWN = 4;

function clip(s: string, max: number) {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A matter's advance notice (事先告知): what it is about and the summary of its published materials. */
export async function getMatterNotice(ctx: CommandContext, matterId: number, locale: Locale): Promise<Notice> {
  const page = await getMatterPage(ctx, matterId);
  const t = (k: MessageKey, p?: Params) => translate(locale, k, p);
  const m = page.matter;
  const sections: NoticeSection[] = [
    { heading: t("matters.field.description"), lines: [clip(m.description, 600)] },
    { heading: t("matters.field.affectedArea"), lines: [m.affectedArea] },
    { heading: t("matters.field.desiredOutcome"), lines: [clip(m.desiredOutcome, 300)] },
  ];
  const materials = page.materials.slice(0, MATERIALS_SHOWN).map((x) => `${x.title}：${clip(x.body, MATERIAL_CHARS)}`);
  if (page.materials.length > MATERIALS_SHOWN) materials.push(t("notice.moreMaterials", { count: page.materials.length - MATERIALS_SHOWN }));
  sections.push({ heading: t("notice.materials"), lines: materials.length ? materials : [t("notice.noMaterials")] });
  const days = m.fixedNoticeDays ?? page.community.noticeDays;
  if (m.materialsPublishedAt) {
    const until = new Date(new Date(m.materialsPublishedAt).getTime() + days * 86_400_000);
    sections.push({ heading: t("notice.period"), lines: [t("notice.periodLine", { published: formatTime(locale, m.materialsPublishedAt), days, until: formatTime(locale, until) })] });
  }
  sections.push({ heading: t("notice.howToTakePart"), lines: [t("notice.matterTakePart")] });
  return { community: page.community.name, kind: t("notice.kind.advance"), title: m.title, sections, issued: formatTime(locale, ctx.clock.now()) };
}

/** The vote the notice is about, and its community, through the pages' own queries (the same visibility). */
async function voteAndCommunity(ctx: CommandContext, voteId: number) {
  const vote = await getVotePage(ctx, voteId);
  const matter = await getMatterPage(ctx, vote.vote.matterId);
  return { ...vote, community: matter.community.name };
}

const optionLabel = (locale: Locale, label: string) => (label.startsWith("@") ? translate(locale, label.slice(1)) : label);

/** A vote's opening: the question, the rule, when, and the ways to vote (online, on paper, at the venue). */
export async function getVoteOpeningNotice(ctx: CommandContext, voteId: number, locale: Locale): Promise<Notice> {
  const { vote, matterTitle, community } = await voteAndCommunity(ctx, voteId);
  if (vote.state === "cancelled") throw new DomainError("not_found", "errors.notFound");
  const t = (k: MessageKey | string, p?: Params) => translate(locale, k, p);
  const cmp = (strict: boolean) => t(strict ? "notice.over" : "notice.atLeast");
  const when: string[] = [];
  if (vote.opensAt) when.push(t("notice.opens", { time: formatTime(locale, vote.opensAt) }));
  else if (vote.openedAt) when.push(t("notice.opened", { time: formatTime(locale, vote.openedAt) }));
  when.push(vote.closesAt ? t("notice.closes", { time: formatTime(locale, vote.closesAt) }) : t("voting.manualClose"));
  return {
    community,
    kind: t("notice.kind.voteOpening"),
    title: vote.question,
    sections: [
      { heading: t("notice.matter"), lines: [matterTitle] },
      // a yes/no vote's options are its method line below
      ...(vote.method === "yes_no" ? [] : [{ heading: t("notice.options"), lines: [vote.options.map((o) => optionLabel(locale, o.label)).join(" / ")] }]),
      {
        heading: t("notice.rule"),
        lines: [
          `${t("voting.preset")}：${t(`voting.preset.${vote.preset}`)}`,
          `${t("voting.method")}：${t(`voting.method.${vote.method}`)}`,
          `${t("voting.electorate")}：${t(`voting.electorate.${vote.electorate}`)}`,
          t("notice.quorum", { cmp: cmp(vote.rule.quorum.strict), num: vote.rule.quorum.num, den: vote.rule.quorum.den }),
          t("notice.pass", { cmp: cmp(vote.rule.pass.strict), num: vote.rule.pass.num, den: vote.rule.pass.den, base: t(vote.rule.passBase === "cast" ? "voting.base.cast" : "voting.base.present") }),
          t(vote.secret ? "notice.secret" : "notice.open"),
        ],
      },
      { heading: t("notice.when"), lines: when },
      { heading: t("notice.ways"), lines: [t("notice.way.online"), t("notice.way.paper"), t("notice.way.venue")] },
    ],
    issued: formatTime(locale, ctx.clock.now()),
  };
}

/** A vote's result with its counts and the explanation the page gives; only once the result may be seen. */
export async function getVoteResultNotice(ctx: CommandContext, voteId: number, locale: Locale): Promise<Notice> {
  const { vote, matterTitle, community } = await voteAndCommunity(ctx, voteId);
  const result = vote.result as Tally | null;
  if (!result) throw new DomainError("not_found", "errors.notFound");
  const t = (k: MessageKey | string, p?: Params) => translate(locale, k, p);
  const label = (id: string) => optionLabel(locale, vote.options.find((o) => o.id === id)?.label ?? id);
  return {
    community,
    kind: t("notice.kind.voteResult"),
    title: vote.question,
    sections: [
      { heading: t("notice.matter"), lines: [matterTitle] },
      { heading: `${t("voting.result")}：${t(result.passed ? "voting.resultPassed" : "voting.resultFailed")}`, lines: vote.options.map((o) => t("voting.count", { option: label(o.id), count: result.counts[o.id] ?? 0 })) },
      {
        heading: t("notice.turnoutTitle"),
        lines: [
          t("voting.turnout", { turnout: result.turnout, electorate: result.electorateSize }),
          ...result.explanation.map((e) => t(e.key, { ...e.params, option: typeof e.params.option === "string" ? label(e.params.option) : "" } as Params)),
        ],
      },
      ...(vote.closedAt ? [{ heading: t("notice.closedAt"), lines: [formatTime(locale, vote.closedAt)] }] : []),
    ],
    issued: formatTime(locale, ctx.clock.now()),
  };
}

const MARGIN = 56;
const QR_SIZE = 120;
const SEAL_W = 130;
const SEAL_H = 72;

/**
 * The notice as an A4 PDF in large print (body 16 pt): the QR code to `url` at the top right, where
 * a passer-by sees it first; the community's name, the kind of notice and the title beside it; the
 * sections below (a long notice runs on to a second page); the seal area, the community's name and
 * the date at the end.
 */
export async function noticePdf(n: Notice, url: string, locale: Locale): Promise<Buffer> {
  const t = (k: MessageKey, p?: Params) => translate(locale, k, p);
  const qr = await QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 400 });
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, info: { Title: `${n.kind}：${n.title}`, Subject: n.community } });
  const done = pdfBytes(doc);
  doc.registerFont("cjk", chineseFont());
  doc.font("cjk");
  const width = doc.page.width - 2 * MARGIN;
  const qrX = doc.page.width - MARGIN - QR_SIZE;
  doc.image(qr, qrX, MARGIN, { width: QR_SIZE });
  doc.fontSize(11).text(t("notice.scan"), qrX, MARGIN + QR_SIZE + 2, { width: QR_SIZE, align: "center" });
  doc.fontSize(8).fillColor("#444").text(url, qrX, doc.y, { width: QR_SIZE, align: "center", link: url }).fillColor("#000");
  const qrBottom = doc.y;
  const headWidth = width - QR_SIZE - 16;
  doc.fontSize(18).text(n.community, MARGIN, MARGIN, { width: headWidth });
  doc.fontSize(28).text(n.kind, { width: headWidth });
  doc.moveDown(0.1).fontSize(21).text(n.title, { width: headWidth, lineGap: 2 });
  doc.y = Math.max(doc.y, qrBottom) + 10;
  for (const s of n.sections) {
    if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
    doc.fontSize(17).text(s.heading, MARGIN, doc.y, { width, lineGap: 1 });
    doc.fontSize(16);
    for (const line of s.lines) doc.text(line, { width, lineGap: 3 });
    doc.moveDown(0.3);
  }
  // the seal area, the committee's to stamp, with the community's name and the date to its left
  if (doc.y + SEAL_H + 8 > doc.page.height - MARGIN) doc.addPage();
  const sealX = doc.page.width - MARGIN - SEAL_W;
  const y = doc.y + 8;
  doc.save().lineWidth(1).dash(4, { space: 3 }).rect(sealX, y, SEAL_W, SEAL_H).stroke().restore();
  doc.fontSize(12).fillColor("#555").text(t("notice.seal"), sealX, y + SEAL_H / 2 - 8, { width: SEAL_W, align: "center" }).fillColor("#000");
  doc.fontSize(16).text(n.community, MARGIN, y + 18, { width: width - SEAL_W - 12, align: "right" });
  doc.fontSize(14).text(n.issued, MARGIN, doc.y + 2, { width: width - SEAL_W - 12, align: "right" });
  doc.end();
  return done;
}
