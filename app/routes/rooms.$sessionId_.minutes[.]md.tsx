import type { LoaderFunctionArgs } from "@remix-run/node";
import { translate } from "~/i18n";
import { getMinutes, minutesMarkdown } from "~/modules/matters/room/minutes.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.sessionId);
  requireActor(context, request);
  const page = await loaderGuard(() => getMinutes(commandContext(context), id));
  const body = minutesMarkdown(page, (key, p) => translate(context.locale, key, p));
  return new Response(body, {
    headers: { "Content-Type": "text/markdown; charset=utf-8", "Content-Disposition": `attachment; filename="minutes-${id}.md"` },
  });
}
