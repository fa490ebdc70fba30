import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAllOpenData } from "~/modules/matters/outcomes/open-data.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";

/** The open data as one JSON file, without signing in (schema in app/modules/matters/outcomes/README.md). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  const data = await loaderGuard(() => getAllOpenData(commandContext(context), id));
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="yishi-open-${id}-${data.generatedAt.slice(0, 10)}.json"`,
      "cache-control": "public, max-age=300",
      "x-content-type-options": "nosniff",
    },
  });
}
