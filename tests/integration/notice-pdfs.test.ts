/**
 * The notice board (issue 22): a matter's advance notice, a vote's opening and its result as A4
 * PDFs, each with the community's name, the title in its text and a QR code that decodes to the
 * page's absolute address; public routes that obey the page's visibility (a draft's notice is 404
 * to anyone who may not read the draft). Rendered with poppler's pdftoppm/pdftotext, decoded with jsQR.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import jsQR from "jsqr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { matters, users, votes } from "../../db/schema";
import { createDraft } from "../../app/modules/matters/proposals.server";
import { systemClock } from "../../app/modules/shared/clock";
import { DEMO_PASSWORD, seedIfEmpty } from "../../server/demo/seed";
import { DEMO_MATTERS } from "../../server/demo/seed-story";
import { startApp } from "../support/app-server";
import { testDatabase } from "../support/db";
import { actorOf, context } from "../support/factories";

function hasPoppler() {
  try {
    execFileSync("pdftoppm", ["-v"], { stdio: "ignore" });
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const poppler = hasPoppler();
if (!poppler) console.warn("notice-pdfs: poppler-utils (pdftoppm, pdftotext) is not installed; the PDF rendering checks are skipped");

let database: Database;
let app: Awaited<ReturnType<typeof startApp>>;
let dir: string;
const ids = { voting: 0, completed: 0, openVote: 0, closedVote: 0, draft: 0 };

beforeAll(async () => {
  database = await testDatabase();
  // one clock: the server's (the system clock), which the seed uses too
  await seedIfEmpty(database, () => {}, DEMO_PASSWORD, systemClock);
  app = await startApp(database);
  dir = mkdtempSync(path.join(tmpdir(), "notice-pdfs-"));
  const matterId = async (title: string) => (await database.db.select({ id: matters.id }).from(matters).where(eq(matters.title, title)))[0].id;
  ids.voting = await matterId(DEMO_MATTERS.voting);
  ids.completed = await matterId(DEMO_MATTERS.completed);
  ids.openVote = (await database.db.select({ id: votes.id }).from(votes).where(and(eq(votes.matterId, ids.voting), eq(votes.state, "open"))))[0].id;
  ids.closedVote = (await database.db.select({ id: votes.id }).from(votes).where(and(eq(votes.matterId, ids.completed), eq(votes.state, "closed"))))[0].id;
  // a draft only its proposer may read
  const [resident] = await database.db.select({ id: users.id }).from(users).where(eq(users.phone, "13800000007"));
  const [{ communityId, categoryId }] = await database.db.select({ communityId: matters.communityId, categoryId: matters.categoryId }).from(matters).where(eq(matters.id, ids.voting));
  const { ctx } = context(database.db, await actorOf(database.db, resident.id), systemClock);
  ids.draft = (await createDraft(ctx, communityId, { title: "草稿：楼道灯不亮", description: "三楼楼道灯坏了一个月。", categoryId, affectedArea: "7 号楼", desiredOutcome: "换灯" })).id;
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
  if (dir && !process.env.KEEP_NOTICE_PDFS) rmSync(dir, { recursive: true, force: true });
});

const get = (p: string, headers: Record<string, string> = {}) => fetch(app.origin + p, { redirect: "manual", headers: { "accept-language": "zh-CN", ...headers } });

/** The PDF's text (pdftotext) and what its first page's QR code says (pdftoppm → PPM → jsQR). */
function readPdf(bytes: Buffer, name: string) {
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, bytes);
  const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf8");
  execFileSync("pdftoppm", ["-r", "110", "-f", "1", "-l", "1", file, path.join(dir, name)]);
  const ppm = readFileSync(path.join(dir, `${name}-1.ppm`));
  // P6: "P6\n<w> <h>\n255\n" then RGB bytes
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 50).toString("latin1"));
  if (!header) throw new Error("pdftoppm did not write a binary PPM");
  const [w, h] = [Number(header[1]), Number(header[2])];
  const rgb = ppm.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    rgba[i * 4] = rgb[i * 3];
    rgba[i * 4 + 1] = rgb[i * 3 + 1];
    rgba[i * 4 + 2] = rgb[i * 3 + 2];
    rgba[i * 4 + 3] = 255;
  }
  return { text, qr: jsQR(rgba, w, h)?.data ?? null, width: w, height: h };
}

async function pdfAt(p: string) {
  const r = await get(p);
  expect(r.status, p).toBe(200);
  expect(r.headers.get("content-type")).toBe("application/pdf");
  const bytes = Buffer.from(await r.arrayBuffer());
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  return bytes;
}

describe("notice-board PDFs", () => {
  it.skipIf(!poppler)("a matter's advance notice: A4, the community and title in its text, a QR code to the matter page", async () => {
    const pdf = readPdf(await pdfAt(`/matters/${ids.voting}/notice.pdf`), "advance");
    // A4 at 110 dpi: 8.27 × 11.69 in
    expect(pdf.width).toBeCloseTo(8.27 * 110, -1);
    expect(pdf.height).toBeCloseTo(11.69 * 110, -1);
    const flat = pdf.text.replace(/\s+/g, "");
    expect(flat).toContain("事先告知");
    expect(flat).toContain(DEMO_MATTERS.voting.replace(/\s+/g, ""));
    expect(flat).toContain("幸福里社区");
    expect(flat).toContain("筹资方案与费用测算");
    expect(flat).toContain("盖章处");
    expect(pdf.qr).toBe(`${app.origin}/matters/${ids.voting}`);
  });

  it.skipIf(!poppler)("a vote's opening names the rule and the three ways to vote; its QR code opens the vote", async () => {
    const pdf = readPdf(await pdfAt(`/votes/${ids.openVote}/notice.pdf`), "opening");
    const flat = pdf.text.replace(/\s+/g, "");
    expect(flat).toContain("表决公告");
    expect(flat).toContain("是否同意按一事一议方案修补道路");
    expect(flat).toContain("一事一议，按户");
    expect(flat).toContain("网上投票");
    expect(flat).toContain("纸质选票");
    expect(flat).toContain("现场投票");
    expect(pdf.qr).toBe(`${app.origin}/votes/${ids.openVote}`);
  });

  it.skipIf(!poppler)("the result carries the counts; in English when the reader's language is English", async () => {
    const pdf = readPdf(await pdfAt(`/votes/${ids.closedVote}/result.pdf`), "result");
    const flat = pdf.text.replace(/\s+/g, "");
    expect(flat).toContain("表决结果公告");
    expect(flat).toMatch(/同意：\d+票/);
    expect(pdf.qr).toBe(`${app.origin}/votes/${ids.closedVote}`);
    const en = await get(`/votes/${ids.closedVote}/result.pdf`, { cookie: "lang=en" });
    expect(en.status).toBe(200);
    const enPdf = readPdf(Buffer.from(await en.arrayBuffer()), "result-en");
    expect(enPdf.text).toContain("Notice of result");
  });

  it("obeys the page's visibility: a draft's notice is 404 to others; an open vote has no result notice yet; bad ids are 404", async () => {
    expect((await get(`/matters/${ids.draft}/notice.pdf`)).status).toBe(404);
    expect((await get(`/votes/${ids.openVote}/result.pdf`)).status).toBe(404);
    expect((await get(`/matters/999999/notice.pdf`)).status).toBe(404);
    expect((await get(`/votes/abc/notice.pdf`)).status).toBe(404);
    expect((await get(`/votes/999999/result.pdf`)).status).toBe(404);
  });

  it("the matter and vote pages link to their notices", async () => {
    expect(await (await get(`/matters/${ids.voting}`)).text()).toContain(`href="/matters/${ids.voting}/notice.pdf"`);
    expect(await (await get(`/votes/${ids.openVote}`)).text()).toContain(`href="/votes/${ids.openVote}/notice.pdf"`);
    expect(await (await get(`/votes/${ids.closedVote}`)).text()).toContain(`href="/votes/${ids.closedVote}/result.pdf"`);
  });
});
