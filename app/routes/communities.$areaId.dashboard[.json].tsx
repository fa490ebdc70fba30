import type { LoaderFunctionArgs } from "@remix-run/node";
import { getExport } from "~/modules/matters/outcomes/export.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

/** JSON export of the area's matters, outcomes and commitments: the same data as the CSV, nested. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  const data = await loaderGuard(() => getExport(commandContext(context), id));
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="yishi-area-${id}-${data.generatedAt.slice(0, 10)}.json"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
