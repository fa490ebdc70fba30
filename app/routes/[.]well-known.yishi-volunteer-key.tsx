import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/volunteers/certificates.server";
import { publishedRecordKey } from "~/modules/volunteers/record-export.server";

/** The installation's Ed25519 public key, which verifies the volunteer records it signs (docs/volunteer-record-format.md). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const body = publishedRecordKey(context.settings, publicOrigin(request, context.settings?.publicOrigin));
  return new Response(`${JSON.stringify(body, null, 2)}\n`, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*" },
  });
}
