import type { LoaderFunctionArgs } from "@remix-run/node";
import { certificatePdf, getMyCertificate, publicOrigin, verificationUrl } from "~/modules/volunteers/certificates.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

/** The certificate as a PDF file (Chinese text embedded), for the holder only. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.id);
  requireActor(context, request);
  const cert = await loaderGuard(() => getMyCertificate(commandContext(context), id));
  const pdf = await certificatePdf(cert, verificationUrl(publicOrigin(request, context.settings?.publicOrigin), cert.number), context.locale);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="certificate-${cert.number}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
