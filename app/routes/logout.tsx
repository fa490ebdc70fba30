import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logOut } from "~/modules/accounts/auth.server";
import { commandContext, sessionCookie } from "~/web/http.server";

export async function action({ context }: ActionFunctionArgs) {
  await logOut(commandContext(context), context.sessionToken);
  return redirect("/login?bye=1", { headers: { "Set-Cookie": sessionCookie(context, null) } });
}

export const loader = () => redirect("/");
