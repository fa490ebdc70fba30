import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOpenData } from "~/modules/matters/outcomes/open-data.server";
import { commandContext, idFromParams, loaderGuard, parseId } from "~/web/http.server";

/**
 * The read-only open-data API for county and town systems: `GET /api/open/<area id>?after=<matter
 * id>&limit=<1..500>`, one page of matters in id order with `next` for the following page; cached.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  const url = new URL(request.url);
  const after = parseId(url.searchParams.get("after") ?? undefined) ?? 0;
  const limit = parseId(url.searchParams.get("limit") ?? undefined) ?? undefined;
  const data = await loaderGuard(() => getOpenData(commandContext(context), id, { after, limit }));
  return new Response(JSON.stringify(data), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "public, max-age=300",
      "access-control-allow-origin": "*",
      "x-content-type-options": "nosniff",
    },
  });
}
