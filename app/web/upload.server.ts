/**
 * The one route that takes a file (an attachment, issue 20): its body limit, raised for its path
 * only, and its multipart body read as it streams. Every other post keeps MAX_FORM_BYTES.
 */
import { FormDataParseError, MaxFileSizeExceededError, MaxFilesExceededError, MaxPartsExceededError, MaxTotalSizeExceededError, MaxHeaderSizeExceededError, parseFormData, type FileUpload } from "@remix-run/form-data-parser";
import { MAX_ATTACHMENT_BYTES } from "~/modules/attachments/sniff.server";
import { MAX_FORM_BYTES } from "./http.server";

/** The upload form posts here (with JavaScript, single fetch adds `.data`). */
export const UPLOAD_PATH = /^\/matters\/\d{1,9}\/attachments(?:\.data)?\/?$/i;

/** A file of MAX_ATTACHMENT_BYTES plus the form's other fields and the multipart framing. */
export const MAX_UPLOAD_BODY_BYTES = MAX_ATTACHMENT_BYTES + 256 * 1024;

/** The body limit the server applies before Remix (server/app.ts): larger for the upload path only. */
export function bodyLimitFor(path: string) {
  return UPLOAD_PATH.test(path) ? MAX_UPLOAD_BODY_BYTES : MAX_FORM_BYTES;
}

export type Upload =
  | { ok: true; fields: Record<string, string>; file: { name: string; bytes: Uint8Array } | null }
  | { ok: false; status: 400 | 413 | 415; key: "attachments.errors.tooLarge" | "errors.badRequest" | "errors.unsupportedBody" };

/**
 * Reads an upload form: text fields, and at most one file (field `file`) of at most
 * MAX_ATTACHMENT_BYTES, counted as the bytes arrive; past that the rest is not read and the answer
 * is a 413. An empty file input (a form sent without choosing one) gives `file: null`.
 */
export async function readUpload(request: Request): Promise<Upload> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) return { ok: false, status: 415, key: "errors.unsupportedBody" };
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPLOAD_BODY_BYTES) return { ok: false, status: 413, key: "attachments.errors.tooLarge" };
  let file: { name: string; bytes: Uint8Array } | null = null;
  try {
    const form = await parseFormData(
      request,
      { maxFiles: 1, maxFileSize: MAX_ATTACHMENT_BYTES, maxParts: 20, maxHeaderSize: 8 * 1024, maxTotalSize: MAX_UPLOAD_BODY_BYTES },
      async (upload: FileUpload) => {
        if (upload.fieldName !== "file") return null;
        const bytes = new Uint8Array(await upload.arrayBuffer());
        // a browser sends an unchosen file input as an empty part with no name
        if (bytes.length > 0 || upload.name) file = { name: upload.name, bytes };
        return null;
      },
    );
    const fields: Record<string, string> = {};
    for (const [k, v] of form.entries()) if (typeof v === "string" && !(k in fields)) fields[k] = v.slice(0, 2000);
    return { ok: true, fields, file };
  } catch (e) {
    if (e instanceof MaxFileSizeExceededError || e instanceof MaxTotalSizeExceededError) return { ok: false, status: 413, key: "attachments.errors.tooLarge" };
    // the server's own limit (server/http.ts byteLimit) ended the stream: also a 413
    const cause = e instanceof FormDataParseError ? (e.cause as { code?: string } | undefined) : undefined;
    if (cause?.code === "BODY_TOO_LARGE") return { ok: false, status: 413, key: "attachments.errors.tooLarge" };
    if (e instanceof MaxFilesExceededError || e instanceof MaxPartsExceededError || e instanceof MaxHeaderSizeExceededError || e instanceof FormDataParseError) {
      return { ok: false, status: 400, key: "errors.badRequest" };
    }
    throw e;
  }
}
