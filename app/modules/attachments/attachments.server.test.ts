import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { crc32 } from "node:zlib";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client";
import { attachments, ledgerEntries, matterMaterials, matters, outcomes } from "../../../db/schema";
import { testDatabase } from "../../../tests/support/db";
import { actorOf, context, grant, join as joinCommunity, makeTree, makeUser, outcomeOf } from "../../../tests/support/factories";
import { callRoute, loadContext } from "../../../tests/support/remix";
import { makeMatter } from "../../../tests/support/room";
import { action as uploadAction, loader as uploadPage } from "../../routes/matters.$matterId_.attachments";
import { loader as fileRoute } from "../../routes/attachments.$attachmentId";
import { loader as thumbRoute } from "../../routes/attachments.$attachmentId_.thumb";
import { bodyLimitFor, MAX_UPLOAD_BODY_BYTES } from "../../web/upload.server";
import type { Actor } from "../accounts/actor";
import { getAttachmentFile } from "./queries.server";
import { contentDisposition, MAX_ATTACHMENT_BYTES, safeFilename, sniffAttachment } from "./sniff.server";
import { storageFromUrl } from "./storage.server";
import { uploadAttachment } from "./upload.server";

let database: Database;
let png: Uint8Array;
let jpeg: Uint8Array;
const pdf = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const a: Record<"proposer" | "committee" | "resident" | "outsider", Actor> = {} as never;
let collectingId: number;
let scheduledId: number;
let materialId: number;

/** A ZIP of stored (uncompressed) entries: enough for an office document's magic. */
function zip(entries: Record<string, string>) {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    parts.push(local, nameBytes, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(nameBytes.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, dir, end]));
}

const docx = () =>
  zip({
    "[Content_Types].xml": '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "word/document.xml": "<w:document/>",
  });

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  const tree = await makeTree(db);
  const u = async (name: string) => (await makeUser(db, { name })).id;
  const ids = { proposer: await u("提议人"), committee: await u("委员"), resident: await u("居民"), outsider: await u("外人") };
  await grant(db, ids.committee, "committee", tree.a1.id);
  await joinCommunity(db, ids.proposer, tree.a1.id);
  await joinCommunity(db, ids.resident, tree.a1.id);
  await joinCommunity(db, ids.outsider, tree.b1.id);
  for (const k of Object.keys(ids) as (keyof typeof ids)[]) a[k] = await actorOf(db, ids[k]);
  collectingId = (await makeMatter(db, tree.a1.id, ids.proposer, tree.county.id)).id;
  await db.update(matters).set({ state: "collecting" }).where(eq(matters.id, collectingId));
  scheduledId = (await makeMatter(db, tree.a1.id, ids.proposer, tree.county.id)).id;
  [{ id: materialId }] = await db.insert(matterMaterials).values({ matterId: scheduledId, title: "改造方案", body: "见附件", publishedAt: new Date("2026-11-01T00:00:00Z") }).returning();
  png = new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 3, background: "#3366cc" } }).png().toBuffer());
  jpeg = new Uint8Array(await sharp({ create: { width: 800, height: 600, channels: 3, background: "#cc6633" } }).jpeg().toBuffer());
});
afterAll(() => database.close());

const as = (actor: Actor | null) => context(database.db, actor).ctx;

describe("what a file is, from its bytes", () => {
  it("takes PDF, PNG, JPEG, WebP and office documents whatever they are called", async () => {
    const webp = new Uint8Array(await sharp(png).webp().toBuffer());
    expect(await sniffAttachment(pdf, "方案.pdf")).toMatchObject({ ok: true, file: { contentType: "application/pdf", image: false } });
    expect(await sniffAttachment(png, "照片")).toMatchObject({ ok: true, file: { contentType: "image/png", image: true } });
    expect(await sniffAttachment(jpeg, "photo.jpeg")).toMatchObject({ ok: true, file: { contentType: "image/jpeg" } });
    expect(await sniffAttachment(webp, "x.webp")).toMatchObject({ ok: true, file: { contentType: "image/webp" } });
    expect(await sniffAttachment(docx(), "会议纪要.docx")).toMatchObject({ ok: true, file: { ext: "docx" } });
    // an old Word file is an OLE compound file: the bytes say OLE, the name says which
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await sniffAttachment(ole, "旧文件.doc")).toMatchObject({ ok: true, file: { contentType: "application/msword" } });
    expect(await sniffAttachment(ole, "旧文件.msi")).toEqual({ ok: false, key: "attachments.errors.type" });
  });

  it("refuses a renamed executable, a script, an empty file and one over 10 MB", async () => {
    const exe = new Uint8Array(4096);
    exe.set(Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00", "latin1"));
    exe.set(Buffer.from("PE\0\0", "latin1"), 0x80);
    exe[0x3c] = 0x80;
    expect(await sniffAttachment(exe, "通知.pdf")).toEqual({ ok: false, key: "attachments.errors.type" });
    const elf = new Uint8Array(256);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    expect(await sniffAttachment(elf, "photo.png")).toEqual({ ok: false, key: "attachments.errors.type" });
    expect(await sniffAttachment(new TextEncoder().encode("#!/bin/sh\nrm -rf /\n"), "a.docx")).toEqual({ ok: false, key: "attachments.errors.type" });
    expect(await sniffAttachment(new TextEncoder().encode("<html><script>alert(1)</script></html>"), "a.png")).toEqual({ ok: false, key: "attachments.errors.type" });
    expect(await sniffAttachment(new Uint8Array(0), "a.pdf")).toEqual({ ok: false, key: "attachments.errors.empty" });
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    big.set(pdf);
    expect(await sniffAttachment(big, "big.pdf")).toEqual({ ok: false, key: "attachments.errors.tooLarge" });
    const justUnder = new Uint8Array(MAX_ATTACHMENT_BYTES);
    justUnder.set(pdf);
    expect((await sniffAttachment(justUnder, "ok.pdf")).ok).toBe(true);
  });

  it("refuses a polyglot: markup where a browser sniffs, or a ZIP hidden in a PDF or an image", async () => {
    // a PNG whose first kilobyte also reads as HTML (a text chunk after the header)
    const html = Buffer.from("tEXtComment\0<html><script>alert(document.cookie)</script>");
    const pngHtml = new Uint8Array(Buffer.concat([Buffer.from(png.subarray(0, 33)), Buffer.alloc(4), html, Buffer.from(png.subarray(33))]));
    expect(await sniffAttachment(pngHtml, "x.png")).toEqual({ ok: false, key: "attachments.errors.polyglot" });
    // a PDF that is also a ZIP (a JAR) when read from the end
    const pdfZip = new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from(zip({ "Main.class": "\xca\xfe\xba\xbe" }))]));
    expect(await sniffAttachment(pdfZip, "x.pdf")).toEqual({ ok: false, key: "attachments.errors.polyglot" });
    const jpegZip = new Uint8Array(Buffer.concat([Buffer.from(jpeg), Buffer.from(zip({ "a.js": "alert(1)" }))]));
    expect(await sniffAttachment(jpegZip, "x.jpg")).toEqual({ ok: false, key: "attachments.errors.polyglot" });
  });

  it("offers a safe name, with the real one in RFC 5987 encoding", () => {
    expect(safeFilename("../../etc/passwd", "pdf")).toBe("passwd.pdf");
    expect(safeFilename('C:\\Users\\x\\排水"方案\u202e.pdf', "pdf")).toBe("排水方案.pdf");
    expect(safeFilename("照片.JPEG", "jpg")).toBe("照片.JPEG");
    expect(safeFilename("...", "png")).toBe("attachment.png");
    expect(contentDisposition("attachment", "排水 方案(1).pdf")).toBe(`attachment; filename="__ __(1).pdf"; filename*=UTF-8''%E6%8E%92%E6%B0%B4%20%E6%96%B9%E6%A1%88%281%29.pdf`);
  });
});

describe("uploading", () => {
  it("lets the proposer attach to their proposal while collecting, and the committee to materials and outcomes; nobody else", async () => {
    const file = { filename: "方案.pdf", bytes: pdf };
    const r = await uploadAttachment(as(a.proposer), { matterId: collectingId, owner: "proposal", materialId: null, ...file });
    expect(r.filename).toBe("方案.pdf");
    expect(await outcomeOf(uploadAttachment(as(a.resident), { matterId: collectingId, owner: "proposal", materialId: null, ...file }))).toBe("attachments.errors.forbidden");
    // a matter still collecting is the community's own: an outsider cannot even find it
    expect(await outcomeOf(uploadAttachment(as(a.outsider), { matterId: collectingId, owner: "proposal", materialId: null, ...file }))).toBe("errors.notFound");
    expect(await outcomeOf(uploadAttachment(as(null), { matterId: collectingId, owner: "proposal", materialId: null, ...file }))).toBe("errors.unauthenticated");
    // past collecting, the proposal's files are fixed
    expect(await outcomeOf(uploadAttachment(as(a.proposer), { matterId: scheduledId, owner: "proposal", materialId: null, ...file }))).toBe("attachments.errors.forbidden");
    expect(await outcomeOf(uploadAttachment(as(a.proposer), { matterId: scheduledId, owner: "material", materialId, ...file }))).toBe("attachments.errors.forbidden");
    expect(await outcomeOf(uploadAttachment(as(a.committee), { matterId: scheduledId, owner: "material", materialId, ...file }))).toBe("ok");
    expect(await outcomeOf(uploadAttachment(as(a.committee), { matterId: scheduledId, owner: "material", materialId: materialId + 999, ...file }))).toBe("attachments.errors.target");
    expect(await outcomeOf(uploadAttachment(as(a.committee), { matterId: scheduledId, owner: "outcome", materialId: null, ...file }))).toBe("attachments.errors.target");
    await database.db.insert(outcomes).values({ matterId: scheduledId, decision: "同意改造", recordedAt: new Date("2026-11-20T00:00:00Z") });
    expect(await outcomeOf(uploadAttachment(as(a.committee), { matterId: scheduledId, owner: "outcome", materialId: null, filename: "纪要.docx", bytes: docx() }))).toBe("ok");
    // the type comes from the bytes, checked inside the command too
    expect(await outcomeOf(uploadAttachment(as(a.committee), { matterId: scheduledId, owner: "outcome", materialId: null, filename: "x.pdf", bytes: new Uint8Array([0x4d, 0x5a, 0, 0]) }))).toBe("attachments.errors.type");
    const ledger = await database.db.select({ action: ledgerEntries.action, summary: ledgerEntries.summary }).from(ledgerEntries).where(eq(ledgerEntries.action, "attachment.added"));
    expect(ledger).toHaveLength(3);
    expect(ledger[0].summary).toMatchObject({ owner: "proposal", filename: "方案.pdf", type: "application/pdf", bytes: pdf.length });
  });

  it("serves a file only to those who may read the matter, with its sniffed type, nosniff and a download name", async () => {
    const { id } = await uploadAttachment(as(a.proposer), { matterId: collectingId, owner: "proposal", materialId: null, filename: "排水 图纸.pdf", bytes: pdf });
    const got = await getAttachmentFile(as(a.resident), id, "file");
    expect(Buffer.from(got.data).equals(Buffer.from(pdf))).toBe(true);
    expect(got.headers).toMatchObject({ "content-type": "application/pdf", "x-content-type-options": "nosniff" });
    expect(got.headers["content-disposition"]).toMatch(/^attachment; filename="__ __\.pdf"; filename\*=UTF-8''%E6%8E%92%E6%B0%B4%20%E5%9B%BE%E7%BA%B8\.pdf$/);
    expect(await outcomeOf(getAttachmentFile(as(a.outsider), id, "file"))).toBe("errors.notFound");
    expect(await outcomeOf(getAttachmentFile(as(null), id, "file"))).toBe("errors.notFound");
    expect(await outcomeOf(getAttachmentFile(as(a.resident), id + 999, "file"))).toBe("errors.notFound");
    // through the route: the outsider's answer is the same 404 as for a file that is not there
    const outsider = await callRoute(fileRoute, { params: { attachmentId: String(id) }, context: loadContext(database.db, a.outsider) });
    expect(outsider.status).toBe(404);
    const missing = await callRoute(fileRoute, { params: { attachmentId: String(id + 999) }, context: loadContext(database.db, a.resident) });
    expect(missing.status).toBe(404);
    const ok = await callRoute(fileRoute, { params: { attachmentId: String(id) }, context: loadContext(database.db, a.resident) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
    expect(ok.headers.get("content-type")).toBe("application/pdf");
    expect(ok.headers.get("content-disposition")).toMatch(/^attachment; /);
  });

  it("gives an image a thumbnail and shows it inline; a damaged image is refused", async () => {
    const { id } = await uploadAttachment(as(a.proposer), { matterId: collectingId, owner: "proposal", materialId: null, filename: "现场.jpg", bytes: jpeg });
    const file = await callRoute(fileRoute, { params: { attachmentId: String(id) }, context: loadContext(database.db, a.resident) });
    expect(file.headers.get("content-type")).toBe("image/jpeg");
    expect(file.headers.get("content-disposition")).toMatch(/^inline; /);
    const thumb = await getAttachmentFile(as(a.resident), id, "thumb");
    expect(thumb.headers["content-type"]).toBe("image/webp");
    const meta = await sharp(thumb.data).metadata();
    expect(meta.format).toBe("webp");
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(320);
    expect((await callRoute(thumbRoute, { params: { attachmentId: String(id) }, context: loadContext(database.db, a.outsider) })).status).toBe(404);
    // a PDF has no thumbnail
    const [pdfRow] = await database.db.select({ id: attachments.id }).from(attachments).where(eq(attachments.contentType, "application/pdf")).limit(1);
    expect(await outcomeOf(getAttachmentFile(as(a.resident), pdfRow.id, "thumb"))).toBe("errors.notFound");
    const broken = new Uint8Array(jpeg.subarray(0, 200));
    expect(await outcomeOf(uploadAttachment(as(a.proposer), { matterId: collectingId, owner: "proposal", materialId: null, filename: "坏.jpg", bytes: broken }))).toBe("attachments.errors.damaged");
  });

  it("stores on disk when STORAGE_URL names a folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "yishi-att-"));
    try {
      const ctx = { ...as(a.proposer), settings: { storageUrl: pathToFileURL(dir).href } };
      const { id } = await uploadAttachment(ctx, { matterId: collectingId, owner: "proposal", materialId: null, filename: "图.png", bytes: png });
      expect((await readdir(dir)).sort()).toHaveLength(2); // the file and its thumbnail
      const got = await getAttachmentFile({ ...as(a.resident), settings: ctx.settings }, id, "file");
      expect(Buffer.from(got.data).equals(Buffer.from(png))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(() => storageFromUrl("s3://bucket")).toThrow(/STORAGE_URL/);
    expect(storageFromUrl(undefined).kind).toBe("postgres");
  });
});

describe("the upload page (a multipart form that works without JavaScript)", () => {
  const post = (actor: Actor | null, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append("file", new Blob([Buffer.from(file.bytes)]), file.name);
    return callRoute(uploadAction, { url: `/matters/${collectingId}/attachments`, body: form, params: { matterId: String(collectingId) }, context: loadContext(database.db, actor) });
  };

  it("lists the files and where the asker may attach; a stranger gets a 404", async () => {
    const page = await callRoute(uploadPage, { params: { matterId: String(collectingId) }, context: loadContext(database.db, a.proposer) });
    expect(page.status).toBe(200);
    expect(page.data.targets).toEqual([{ value: "proposal", owner: "proposal" }]);
    expect(page.data.attachments.length).toBeGreaterThan(0);
    const resident = await callRoute(uploadPage, { params: { matterId: String(collectingId) }, context: loadContext(database.db, a.resident) });
    expect(resident.data.targets).toEqual([]);
    expect((await callRoute(uploadPage, { params: { matterId: String(collectingId) }, context: loadContext(database.db, a.outsider) })).status).toBe(404);
  });

  it("uploads and comes back to the list; a wrong file is answered beside the field, one over 10 MB with a 413", async () => {
    const ok = await post(a.proposer, { intent: "upload", target: "proposal" }, { name: "路线.png", bytes: png });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toMatch(new RegExp(`^/matters/${collectingId}/attachments\\?uploaded=%E8%B7%AF%E7%BA%BF.png#attachment-\\d+$`));
    const exe = await post(a.proposer, { intent: "upload", target: "proposal" }, { name: "照片.png", bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]) });
    expect(exe.status).toBe(400);
    expect(exe.data).toEqual({ intent: "upload", result: { error: { file: ["attachments.errors.type"] } } });
    const none = await post(a.proposer, { intent: "upload", target: "proposal" }, { name: "", bytes: new Uint8Array(0) });
    expect(none.data.result.error).toEqual({ file: ["attachments.errors.empty"] });
    const badTarget = await post(a.proposer, { intent: "upload", target: "elsewhere" }, { name: "a.pdf", bytes: pdf });
    expect(badTarget.data.result.error).toEqual({ target: ["attachments.errors.target"] });
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    big.set(pdf);
    const tooBig = await post(a.proposer, { intent: "upload", target: "proposal" }, { name: "big.pdf", bytes: big });
    expect(tooBig.status).toBe(413);
    expect(tooBig.data.result.error).toEqual({ file: ["attachments.errors.tooLarge"] });
    const other = await post(a.resident, { intent: "upload", target: "proposal" }, { name: "a.pdf", bytes: pdf });
    expect(other.status).toBe(403);
    expect(other.data.result.error).toEqual({ "": ["attachments.errors.forbidden"] });
  });

  it("raises the body limit for the upload path only", () => {
    expect(bodyLimitFor(`/matters/${collectingId}/attachments`)).toBe(MAX_UPLOAD_BODY_BYTES);
    expect(bodyLimitFor(`/matters/${collectingId}/attachments.data`)).toBe(MAX_UPLOAD_BODY_BYTES);
    expect(bodyLimitFor(`/matters/${collectingId}/comments`)).toBe(4 * 1024 * 1024);
    expect(bodyLimitFor(`/language`)).toBe(4 * 1024 * 1024);
  });
});
