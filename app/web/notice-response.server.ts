import type { AppLoadContext } from "@remix-run/node";
import type { Notice } from "~/modules/matters/notices/notices.server";
import { noticePdf } from "~/modules/matters/notices/notices.server";
import { pageUrlOf } from "./share.server";

/** A printed notice as an inline PDF whose QR code leads to `path` on this site. */
export async function noticeResponse(request: Request, context: AppLoadContext, notice: Notice, path: string, fileName: string) {
  const pdf = await noticePdf(notice, pageUrlOf(request, context.settings?.publicOrigin, path), context.locale);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${fileName}"`,
      // the same visibility as the page: a private matter's notice is not cached by anyone in between
      "Cache-Control": "private, no-store",
    },
  });
}
