import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/volunteers/certificates.server";
import { exportMyRecordCsv } from "~/modules/volunteers/record-export.server";
import { commandContext, loaderGuard, requireActor } from "~/web/http.server";

/** The volunteer's whole record as CSV (the same fields as the signed JSON; not itself signed). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  const { filename, csv } = await loaderGuard(() => exportMyRecordCsv(commandContext(context), { origin: publicOrigin(request, context.settings?.publicOrigin), locale: context.locale }));
  return new Response(csv, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" },
  });
}
