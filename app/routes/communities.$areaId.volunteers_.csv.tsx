import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportVolunteersCsv } from "~/modules/volunteers/dashboard.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

/** Staff export of the area's volunteers (no ID numbers, no contact details). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  const { filename, csv } = await loaderGuard(() => exportVolunteersCsv(commandContext(context), id, context.locale));
  return new Response(csv, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" },
  });
}
