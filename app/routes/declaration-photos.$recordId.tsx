import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDeclarationPhoto } from "~/modules/volunteers/declare-hours.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";
import { photoResponse } from "~/web/photo-response.server";

/** A self-declaration's photo, to the volunteer and the team's organizers. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.recordId);
  return photoResponse(await loaderGuard(() => getDeclarationPhoto(commandContext(context), id)));
}
