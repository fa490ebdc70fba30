import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { serialize } from "cookie";
import { readForm, safeNext } from "~/web/http.server";

/** Switches the interface language (a cookie for a year) and goes back where the user was. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const lang = form.get("lang") === "en" ? "en" : "zh-CN";
  const next = safeNext(typeof form.get("next") === "string" ? String(form.get("next")) : "/");
  return redirect(next, {
    headers: { "Set-Cookie": serialize("lang", lang, { path: "/", maxAge: 365 * 86400, sameSite: "lax", httpOnly: false, secure: context.secureCookies }) },
  });
}

export const loader = () => redirect("/");
