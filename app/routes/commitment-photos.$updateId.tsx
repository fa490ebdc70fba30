import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCommitmentPhoto } from "~/modules/matters/outcomes/outcomes.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";
import { photoResponse } from "~/web/photo-response.server";

/** A progress photo, to whoever may see the matter. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.updateId);
  return photoResponse(await loaderGuard(() => getCommitmentPhoto(commandContext(context), id)));
}
