import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAttachmentFile } from "~/modules/attachments/queries.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";

/** An attachment's bytes, to whoever may read its matter (anyone else: 404), with its sniffed type, nosniff and a safe name. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.attachmentId);
  const file = await loaderGuard(() => getAttachmentFile(commandContext(context), id, "file"));
  return new Response(file.data, { headers: file.headers });
}
