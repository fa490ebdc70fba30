import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, useSchemaForm } from "~/components/forms";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { signUp } from "~/modules/accounts/auth.server";
import { spendVenueCode } from "~/modules/communities/venue-codes.server";
import { signupPerLogin } from "~/modules/shared/rate-limit.server";
import { NextQuerySchema, SignUpSchema } from "~/modules/accounts/schemas";
import { commandContext, formAction, queryOf, refuseWhenRateLimited, safeNext, sessionCookie } from "~/web/http.server";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${translate(locale, "auth.signup.title")} — ${translate(locale, "app.name")}` }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.actor) throw redirect(safeNext(queryOf(request, NextQuerySchema).next));
  return null;
}

/** After signing up the new account lands where it was going (`next`, a path of this site only), else home. */
export async function action({ request, context }: ActionFunctionArgs) {
  const next = safeNext(queryOf(request, NextQuerySchema).next);
  return formAction(request, SignUpSchema, async (value) => {
    const ctx = commandContext(context);
    // past the per-address ceiling, the committee's live venue code lets a room on one network sign up
    if (context.rateLimited && !(await spendVenueCode(ctx, value.venue))) refuseWhenRateLimited(context);
    await signupPerLogin.take(JSON.stringify(value.identifier));
    const { token, expiresAt } = await signUp(ctx, value, request.headers.get("user-agent"));
    return redirect(next, { headers: { "Set-Cookie": sessionCookie(context, token, expiresAt) } });
  });
}

export default function SignUp() {
  const t = useT();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const next = params.get("next");
  const [form, fields] = useSchemaForm(SignUpSchema, data?.result, "signup");
  return (
    <>
      <ErrorSummary form={form} fields={[fields.identifier, fields.displayName, fields.password, fields.confirm, fields.venue]} />
      <h1>{t("auth.signup.title")}</h1>
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.identifier} label="auth.identifier" hint="auth.identifierHint" autoComplete="username" />
        <Field field={fields.displayName} label="auth.displayName" hint="auth.displayNameHint" autoComplete="nickname" />
        <Field field={fields.password} label="auth.password" hint="auth.passwordHint" type="password" autoComplete="new-password" />
        <Field field={fields.confirm} label="auth.passwordConfirm" type="password" autoComplete="new-password" />
        <Field field={fields.venue} label="auth.venue" hint="auth.venueHint" optional autoComplete="off" />
        <button type="submit">{t("auth.signup.submit")}</button>
      </Form>
      <p>
        <Link to={next ? `/login?${new URLSearchParams({ next })}` : "/login"}>{t("auth.signup.haveAccount")}</Link>
      </p>
    </>
  );
}
