import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/volunteers/certificates.server";
import { exportMyRecord } from "~/modules/volunteers/record-export.server";
import { commandContext, loaderGuard, requireActor } from "~/web/http.server";

/** The volunteer's whole record as a signed JSON document (docs/volunteer-record-format.md). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  const { filename, text } = await loaderGuard(() => exportMyRecord(commandContext(context), { origin: publicOrigin(request, context.settings?.publicOrigin) }));
  return new Response(text, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" },
  });
}
