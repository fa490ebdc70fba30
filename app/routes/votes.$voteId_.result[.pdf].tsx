import type { LoaderFunctionArgs } from "@remix-run/node";
import { getVoteResultNotice } from "~/modules/matters/notices/notices.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";
import { noticeResponse } from "~/web/notice-response.server";

/** A vote's result with its counts for the notice board, a QR code to the vote page. 404 until the result may be seen, and to whoever may not see the vote. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.voteId);
  const notice = await loaderGuard(() => getVoteResultNotice(commandContext(context), id, context.locale));
  return noticeResponse(request, context, notice, `/votes/${id}`, `vote-${id}-result.pdf`);
}
