import type { LoaderFunctionArgs } from "@remix-run/node";
import { getMatterNotice } from "~/modules/matters/notices/notices.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";
import { noticeResponse } from "~/web/notice-response.server";

/** A matter's advance notice (事先告知) for the notice board: A4, large print, a QR code to the matter page. Who may not read the matter gets 404. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  const notice = await loaderGuard(() => getMatterNotice(commandContext(context), id, context.locale));
  return noticeResponse(request, context, notice, `/matters/${id}`, `matter-${id}-notice.pdf`);
}
