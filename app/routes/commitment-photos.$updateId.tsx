import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCommitmentPhoto } from "~/modules/matters/outcomes/outcomes.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";

/** A progress photo, with the type sniffed at upload and no second guessing by the browser. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.updateId);
  const photo = await loaderGuard(() => getCommitmentPhoto(commandContext(context), id));
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
