import type { LoaderFunctionArgs } from "@remix-run/node";
import { getExport, toCsv } from "~/modules/matters/outcomes/export.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

/** CSV export of the area's matters, outcomes and commitments (UTF-8 with BOM, formula-safe). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  const data = await loaderGuard(() => getExport(commandContext(context), id));
  return new Response(toCsv(data), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="yishi-area-${id}-${data.generatedAt.slice(0, 10)}.csv"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
