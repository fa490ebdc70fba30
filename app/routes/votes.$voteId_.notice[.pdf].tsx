import type { LoaderFunctionArgs } from "@remix-run/node";
import { getVoteOpeningNotice } from "~/modules/matters/notices/notices.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";
import { noticeResponse } from "~/web/notice-response.server";

/** A vote's opening notice for the notice board: the rule and the ways to vote, a QR code to the vote page. Same visibility as the page. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.voteId);
  const notice = await loaderGuard(() => getVoteOpeningNotice(commandContext(context), id, context.locale));
  return noticeResponse(request, context, notice, `/votes/${id}`, `vote-${id}-notice.pdf`);
}
