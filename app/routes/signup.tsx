import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, useSchemaForm } from "~/components/forms";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { signUp } from "~/modules/accounts/auth.server";
import { finishPhoneSignUp, resendSignUpCode, signUpNeedsCode, startPhoneSignUp } from "~/modules/accounts/signup-sms.server";
import { spendVenueCode } from "~/modules/communities/venue-codes.server";
import { signupPerLogin } from "~/modules/shared/rate-limit.server";
import { NextQuerySchema, SignUpCodeSchema, SignUpSchema, SmsCodeRequestSchema } from "~/modules/accounts/schemas";
import { commandContext, formAction, intentOf, queryOf, refuseWhenRateLimited, safeNext, sessionCookie } from "~/web/http.server";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${translate(locale, "auth.signup.title")} — ${translate(locale, "app.name")}` }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.actor) throw redirect(safeNext(queryOf(request, NextQuerySchema).next));
  return null;
}

/**
 * After signing up the new account lands where it was going (`next`, a path of this site only), else
 * home. With an SMS provider, a phone number is proven first: the form answers with step two (the
 * code texted to it), and the account is created when the code comes back.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const next = safeNext(queryOf(request, NextQuerySchema).next);
  const intent = await intentOf(request);
  const ctx = commandContext(context);
  // step two is bounded by the code itself (5 tries, 10 minutes), not by the address's sign-up ceiling
  if (intent === "verify")
    return formAction(
      request,
      SignUpCodeSchema,
      async (value) => {
        const { token, expiresAt } = await finishPhoneSignUp(ctx, value, request.headers.get("user-agent"));
        return redirect(next, { headers: { "Set-Cookie": sessionCookie(context, token, expiresAt) } });
      },
      "verify",
    );
  if (intent === "resend")
    return formAction(request, SmsCodeRequestSchema, async (value) => ({ stage: "verify", ...(await resendSignUpCode(ctx, value)), resent: true }), "verify");
  return formAction(request, SignUpSchema, async (value) => {
    // past the per-address ceiling, the committee's live venue code lets a room on one network sign up
    const vouched = context.rateLimited ? await spendVenueCode(ctx, value.venue) : false;
    if (context.rateLimited && !vouched) refuseWhenRateLimited(context);
    await signupPerLogin.take(JSON.stringify(value.identifier));
    if (signUpNeedsCode(ctx, value)) return { stage: "verify", ...(await startPhoneSignUp(ctx, value, { vouched })) };
    const { token, expiresAt } = await signUp(ctx, value, request.headers.get("user-agent"));
    return redirect(next, { headers: { "Set-Cookie": sessionCookie(context, token, expiresAt) } });
  });
}

type Reply = { intent?: string; stage?: "verify"; phone?: string; resent?: boolean; result?: { initialValue?: Record<string, unknown> | null } };

/** Step two of a phone sign-up: the code texted to the number, with "send again" and "start again". */
function VerifyPhone({ data, next }: { data: Reply; next: string | null }) {
  const t = useT();
  // after a refused code the number comes back in the form's submitted values
  const typed = data.result?.initialValue?.phone;
  const phone = data.phone ?? (typeof typed === "string" ? typed : undefined);
  const [form, fields] = useSchemaForm(SignUpCodeSchema, data.intent === "verify" ? (data.result as never) : undefined, "signup-code", phone ? { phone } : undefined);
  return (
    <>
      <ErrorSummary form={form} fields={[fields.code]} />
      <h1>{t("auth.signupSms.title")}</h1>
      {data.stage === "verify" ? <Notice>{t(data.resent ? "auth.signupSms.resent" : "auth.signupSms.sent", { phone: phone ?? "" })}</Notice> : null}
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="verify" />
        <input type="hidden" name="phone" value={phone ?? ""} />
        <Field field={fields.code} label="auth.sms.code" hint="auth.sms.codeHint" inputMode="numeric" autoComplete="one-time-code" />
        <button type="submit">{t("auth.signupSms.submit")}</button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="resend" />
        <input type="hidden" name="phone" value={phone ?? ""} />
        <button type="submit" className="secondary">
          {t("auth.signupSms.resend")}
        </button>
      </Form>
      <p>
        <Link to={next ? `/signup?${new URLSearchParams({ next })}` : "/signup"} reloadDocument>
          {t("auth.signupSms.restart")}
        </Link>
      </p>
    </>
  );
}

export default function SignUp() {
  const t = useT();
  const data = useActionData<typeof action>() as Reply | undefined;
  const [params] = useSearchParams();
  const next = params.get("next");
  const [form, fields] = useSchemaForm(SignUpSchema, data?.intent ? undefined : (data?.result as never), "signup");
  if (data && (data.stage === "verify" || data.intent === "verify")) return <VerifyPhone data={data} next={next} />;
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
