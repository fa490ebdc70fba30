import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPublishedDraw } from "~/modules/matters/selection/view.server";
import { commandContext, httpError, idFromParams, loaderGuard } from "~/web/http.server";

/** The published record of a matter's draw, for anyone to re-run (`npm run selection:verify -- --file`). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  const record = await loaderGuard(() => getPublishedDraw(commandContext(context), id));
  if (!record) httpError(404, "errors.notFound");
  return new Response(JSON.stringify(record, null, 1), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="matter-${id}-draw.json"`,
      "Cache-Control": "no-store",
    },
  });
}
