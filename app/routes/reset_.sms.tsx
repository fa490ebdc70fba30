import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, useSchemaForm } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { titleMeta } from "~/i18n/meta";
import { SmsCodeRequestSchema, SmsResetSchema } from "~/modules/accounts/schemas";
import { requestSmsResetCode, resetPasswordBySms } from "~/modules/accounts/sms-reset.server";
import { commandContext, formAction, intentOf, refuseWhenRateLimited } from "~/web/http.server";

export const meta = titleMeta("auth.sms.title");

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.actor) throw redirect("/account");
  return json({ available: !!context.textMessage });
}

/** Step one sends a code (the same answer for any number); step two sets the password with it. */
export async function action({ request, context }: ActionFunctionArgs) {
  if ((await intentOf(request)) === "send")
    return formAction(
      request,
      SmsCodeRequestSchema,
      async (value) => {
        refuseWhenRateLimited(context);
        await requestSmsResetCode(commandContext(context), value);
        return { sent: true, phone: value.phone };
      },
      "send",
    );
  return formAction(
    request,
    SmsResetSchema,
    async (value) => {
      refuseWhenRateLimited(context);
      await resetPasswordBySms(commandContext(context), value);
      return redirect("/login?reset=1");
    },
    "reset",
  );
}

export default function SmsReset() {
  const t = useT();
  const { available } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as { intent?: string; sent?: boolean; phone?: string; result?: never } | undefined;
  const sent = data?.intent === "send" ? data.sent === true : data?.intent === "reset";
  const phone = data && "phone" in data && data.phone ? data.phone : undefined;
  const [sendForm, sendFields] = useSchemaForm(SmsCodeRequestSchema, data?.intent === "send" ? data.result : undefined, "sms-send");
  const [resetForm, resetFields] = useSchemaForm(SmsResetSchema, data?.intent === "reset" ? data.result : undefined, "sms-reset", phone ? { phone } : undefined);
  if (!available)
    return (
      <>
        <h1>{t("auth.sms.title")}</h1>
        <p>{t("auth.sms.unavailable")}</p>
        <p>
          <Link to="/reset">{t("auth.reset.title")}</Link>
        </p>
      </>
    );
  return (
    <>
      <ErrorSummary form={sent ? resetForm : sendForm} fields={sent ? [resetFields.phone, resetFields.code, resetFields.password, resetFields.confirm] : [sendFields.phone]} />
      <h1>{t("auth.sms.title")}</h1>
      {sent ? (
        <>
          {data?.intent === "send" ? <Notice>{t("auth.sms.sent")}</Notice> : null}
          <Form method="post" {...getFormProps(resetForm)}>
            <input type="hidden" name="intent" value="reset" />
            <Field field={resetFields.phone} label="auth.sms.phone" type="tel" autoComplete="tel" inputMode="tel" />
            <Field field={resetFields.code} label="auth.sms.code" hint="auth.sms.codeHint" inputMode="numeric" autoComplete="one-time-code" />
            <Field field={resetFields.password} label="auth.newPassword" hint="auth.passwordHint" type="password" autoComplete="new-password" />
            <Field field={resetFields.confirm} label="auth.passwordConfirm" type="password" autoComplete="new-password" />
            <button type="submit">{t("auth.sms.submit")}</button>
          </Form>
          <p>
            <Link to="/reset/sms">{t("auth.sms.resend")}</Link>
          </p>
        </>
      ) : (
        <>
          <p>{t("auth.sms.intro")}</p>
          <Form method="post" {...getFormProps(sendForm)}>
            <input type="hidden" name="intent" value="send" />
            <Field field={sendFields.phone} label="auth.sms.phone" type="tel" autoComplete="tel" inputMode="tel" />
            <button type="submit">{t("auth.sms.send")}</button>
          </Form>
        </>
      )}
      <p>{t("auth.sms.committeePath")}</p>
    </>
  );
}
