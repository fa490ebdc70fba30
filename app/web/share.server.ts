import { publicOrigin } from "~/modules/volunteers/certificates.server";

/**
 * The link a proposer hands to neighbours: the matter page, marked `via=share`. Signed out, the
 * page sends them to sign in first and back; signed in, it offers the co-sign at the top.
 */
export function shareUrlOf(request: Request, configured: string | undefined, matterId: number) {
  return `${publicOrigin(request, configured)}/matters/${matterId}?via=share`;
}

/** A page's absolute address (the public origin when configured), for the QR code of a printed notice. */
export function pageUrlOf(request: Request, configured: string | undefined, path: string) {
  return `${publicOrigin(request, configured)}${path}`;
}
