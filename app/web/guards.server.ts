import type { AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/modules/accounts/actor";
import { can, type Action, type Resource } from "~/modules/accounts/permissions";
import { httpError, requireActor } from "./http.server";

/** Signed in and allowed, or a 403 page (a redirect to login when signed out). */
export function requirePermission(context: AppLoadContext, request: Request, action: Action, resource: Resource): Actor {
  const actor = requireActor(context, request);
  if (!can(actor, action, resource)) httpError(403, "errors.forbidden");
  return actor;
}
