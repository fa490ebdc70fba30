import type { LoaderFunctionArgs } from "@remix-run/node";
import { getMinutes, minutesCsv } from "~/modules/matters/room/minutes.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.sessionId);
  requireActor(context, request);
  const page = await loaderGuard(() => getMinutes(commandContext(context), id));
  return new Response(minutesCsv(page), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="minutes-${id}.csv"` },
  });
}
