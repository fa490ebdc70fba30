import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDeclarationPhoto } from "~/modules/volunteers/declare-hours.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";

/** A self-declaration's photo, to the volunteer and the team's organizers; the type was sniffed at upload. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.recordId);
  const photo = await loaderGuard(() => getDeclarationPhoto(commandContext(context), id));
  return new Response(new Uint8Array(photo.data), {
    headers: {
      "content-type": photo.contentType,
      "content-length": String(photo.data.length),
      "x-content-type-options": "nosniff",
      "content-disposition": "inline",
      "cache-control": "private, max-age=3600",
    },
  });
}
