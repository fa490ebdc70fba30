import type { LoaderFunctionArgs } from "@remix-run/node";
import { toCsv } from "~/modules/matters/outcomes/export.server";
import { getAllOpenData } from "~/modules/matters/outcomes/open-data.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";

/** The open data as CSV, without signing in (the dashboard export's columns; names masked, public states only). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  const data = await loaderGuard(() => getAllOpenData(commandContext(context), id));
  return new Response(toCsv(data), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="yishi-open-${id}-${data.generatedAt.slice(0, 10)}.csv"`,
      "cache-control": "public, max-age=300",
      "x-content-type-options": "nosniff",
    },
  });
}
