import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, useSchemaForm } from "~/components/forms";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { redeemResetCode } from "~/modules/accounts/reset.server";
import { RedeemResetSchema } from "~/modules/accounts/schemas";
import { commandContext, formAction, refuseWhenRateLimited } from "~/web/http.server";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${translate(locale, "auth.reset.title")} — ${translate(locale, "app.name")}` }];
};

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.actor) throw redirect("/account");
  return { sms: !!context.textMessage };
}

/** A resident sets a new password with the code a committee member gave them, then signs in afresh. */
export async function action({ request, context }: ActionFunctionArgs) {
  return formAction(request, RedeemResetSchema, async (value) => {
    refuseWhenRateLimited(context);
    await redeemResetCode(commandContext(context), value);
    return redirect("/login?reset=1");
  });
}

export default function Reset() {
  const t = useT();
  const data = useActionData<typeof action>();
  const loaded = useLoaderData<typeof loader>();
  const [form, fields] = useSchemaForm(RedeemResetSchema, data?.result, "reset");
  return (
    <>
      <ErrorSummary form={form} fields={[fields.identifier, fields.code, fields.password, fields.confirm]} />
      <h1>{t("auth.reset.title")}</h1>
      <p>{t("auth.reset.intro")}</p>
      {loaded?.sms ? (
        <p>
          <Link to="/reset/sms">{t("auth.sms.link")}</Link>
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.identifier} label="auth.identifier" autoComplete="username" />
        <Field field={fields.code} label="auth.reset.code" hint="auth.reset.codeHint" inputMode="numeric" autoComplete="one-time-code" />
        <Field field={fields.password} label="auth.newPassword" hint="auth.passwordHint" type="password" autoComplete="new-password" />
        <Field field={fields.confirm} label="auth.passwordConfirm" type="password" autoComplete="new-password" />
        <button type="submit">{t("auth.reset.submit")}</button>
      </Form>
      <p>
        <Link to="/login">{t("auth.signup.haveAccount")}</Link>
      </p>
    </>
  );
}
