/**
 * What an uploaded file is, from its bytes alone (never its name or the browser's claimed type):
 * `file-type` reads the magic numbers (and, for office documents, the ZIP's entries). A file is
 * taken only as PDF, PNG, JPEG, WebP, DOCX/XLSX/PPTX, or an OLE compound file named .doc/.xls, and
 * only when it is not also something else (a polyglot): markup where a browser sniffs (the first
 * kilobyte), or a ZIP archive's end record in a file that is not itself a ZIP-based document.
 */
import { fileTypeFromBuffer } from "file-type";
import type { MessageKey } from "~/i18n";

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type Sniffed = { contentType: string; ext: string; image: boolean };

const TAKEN: Record<string, Omit<Sniffed, "ext">> = {
  pdf: { contentType: "application/pdf", image: false },
  png: { contentType: "image/png", image: true },
  jpg: { contentType: "image/jpeg", image: true },
  webp: { contentType: "image/webp", image: true },
  docx: { contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", image: false },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", image: false },
  pptx: { contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", image: false },
};

/** Old Word and Excel files are both OLE compound files; the bytes say which family, the name which of the two. */
const OLE: Record<string, string> = { doc: "application/msword", xls: "application/vnd.ms-excel" };

const ZIP_BASED = new Set(["docx", "xlsx", "pptx"]);
const MARKUP = /<(?:!doctype|html|head|body|script|iframe|svg|object|embed|\?php|meta)[\s>/]/i;

function extOf(filename: string) {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(filename);
  return m ? m[1].toLowerCase() : "";
}

/** A ZIP end-of-central-directory record where a ZIP reader looks for it (the last 64 KB + 22 bytes). */
function hasZipEnd(bytes: Uint8Array) {
  const from = Math.max(0, bytes.length - 65_557);
  for (let i = bytes.length - 22; i >= from; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) return true;
  }
  return false;
}

export async function sniffAttachment(bytes: Uint8Array, filename: string): Promise<{ ok: true; file: Sniffed } | { ok: false; key: MessageKey }> {
  if (bytes.length === 0) return { ok: false, key: "attachments.errors.empty" };
  if (bytes.length > MAX_ATTACHMENT_BYTES) return { ok: false, key: "attachments.errors.tooLarge" };
  const found = await fileTypeFromBuffer(bytes);
  let file: Sniffed | null = null;
  if (found && TAKEN[found.ext]) file = { ...TAKEN[found.ext], ext: found.ext };
  else if (found?.ext === "cfb" && OLE[extOf(filename)]) file = { contentType: OLE[extOf(filename)], ext: extOf(filename), image: false };
  if (!file) return { ok: false, key: "attachments.errors.type" };
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (MARKUP.test(head)) return { ok: false, key: "attachments.errors.polyglot" };
  if (!ZIP_BASED.has(file.ext) && hasZipEnd(bytes)) return { ok: false, key: "attachments.errors.polyglot" };
  return { ok: true, file };
}

/**
 * The name a download offers: the last path segment of what was uploaded, without control
 * characters, at most 100 characters, ending in the extension its bytes showed.
 */
export function safeFilename(name: string, ext: string) {
  const base = (name.split(/[\\/]/).pop() ?? "")
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"]/g, "")
    .trim()
    .replace(/^\.+/, "")
    .slice(0, 100);
  const stem = base || "attachment";
  return extOf(stem) === ext || (ext === "jpg" && extOf(stem) === "jpeg") ? stem : `${stem}.${ext}`;
}

/** A Content-Disposition header: an ASCII fallback name and the real one in RFC 5987 encoding. */
export function contentDisposition(kind: "inline" | "attachment", filename: string) {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\;]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
