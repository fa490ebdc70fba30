import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { serialize } from "cookie";
import { ELDER_COOKIE, setElderMode } from "~/modules/accounts/elder-mode.server";
import { commandContext, httpError, loaderGuard, readForm, safeNext } from "~/web/http.server";

/**
 * Turns 长辈模式 on or off (a plain form post from the header or the phone's first-visit notice):
 * a cookie for a year, and the account's own preference when signed in; then back where the person was.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const mode = form.get("mode");
  if (mode !== "on" && mode !== "off") httpError(400, "elder.errors.badMode");
  const on = mode === "on";
  if (context.actor) await loaderGuard(() => setElderMode(commandContext(context), { on }));
  const next = safeNext(typeof form.get("next") === "string" ? String(form.get("next")) : "/");
  return redirect(next, {
    headers: { "Set-Cookie": serialize(ELDER_COOKIE, on ? "1" : "0", { path: "/", maxAge: 365 * 86400, sameSite: "lax", httpOnly: true, secure: context.secureCookies }) },
  });
}

export const loader = () => redirect("/");

/** Never shown (the loader redirects); it makes this a page route, so a refused post gets the translated error page. */
export default function ElderMode() {
  return null;
}
