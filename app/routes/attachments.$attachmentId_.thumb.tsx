import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAttachmentFile } from "~/modules/attachments/queries.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";

/** An image attachment's thumbnail (WebP, made at upload), under the same rule as the file. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.attachmentId);
  const file = await loaderGuard(() => getAttachmentFile(commandContext(context), id, "thumb"));
  return new Response(file.data, { headers: file.headers });
}
