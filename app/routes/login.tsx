import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, useSchemaForm } from "~/components/forms";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { logIn } from "~/modules/accounts/auth.server";
import { LogInSchema, NextQuerySchema } from "~/modules/accounts/schemas";
import { commandContext, formAction, refuseWhenRateLimited, queryOf, safeNext, sessionCookie } from "~/web/http.server";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${translate(locale, "auth.login.title")} — ${translate(locale, "app.name")}` }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.actor) throw redirect(safeNext(queryOf(request, NextQuerySchema).next));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const next = safeNext(queryOf(request, NextQuerySchema).next);
  return formAction(request, LogInSchema, async (value) => {
    refuseWhenRateLimited(context);
    const { token, expiresAt } = await logIn(commandContext(context), value, {
      previousToken: context.sessionToken,
      userAgent: request.headers.get("user-agent"),
    });
    return redirect(next, { headers: { "Set-Cookie": sessionCookie(context, token, expiresAt) } });
  });
}

export default function LogIn() {
  const t = useT();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [form, fields] = useSchemaForm(LogInSchema, data?.result, "login");
  return (
    <>
      <ErrorSummary form={form} fields={[fields.identifier, fields.password]} />
      <h1>{t("auth.login.title")}</h1>
      {params.get("bye") ? <p className="notice">{t("auth.loggedOut")}</p> : null}
      {params.get("reset") ? <p className="notice">{t("auth.login.resetDone")}</p> : null}
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.identifier} label="auth.identifier" hint="help.loginIdentifier" autoComplete="username" />
        <Field field={fields.password} label="auth.password" hint="help.loginPassword" type="password" autoComplete="current-password" />
        <button type="submit">{t("auth.login.submit")}</button>
      </Form>
      <p>
        <Link to="/reset">{t("auth.login.forgot")}</Link>
      </p>
      <p>
        {/* a neighbour with no account yet (say, from a share link) signs up and comes back to the same place */}
        <Link to={params.get("next") ? `/signup?${new URLSearchParams({ next: params.get("next")! })}` : "/signup"}>{t("auth.login.noAccount")}</Link>
      </p>
    </>
  );
}
