import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, useSchemaForm } from "~/components/forms";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { getOwnAccount } from "~/modules/accounts/account.server";
import { changePassword } from "~/modules/accounts/auth.server";
import { ChangePasswordSchema } from "~/modules/accounts/schemas";
import { commandContext, formAction, requireActor } from "~/web/http.server";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${translate(locale, "account.title")} — ${translate(locale, "app.name")}` }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  return json(await getOwnAccount(commandContext(context)));
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  return formAction(request, ChangePasswordSchema, async (value) => {
    await changePassword(commandContext(context), value, context.sessionToken!);
    return redirect("/account?changed=1");
  });
}

export default function Account() {
  const t = useT();
  const account = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [search] = useSearchParams();
  const [form, fields] = useSchemaForm(ChangePasswordSchema, data?.result, "password");
  return (
    <>
      <ErrorSummary form={form} fields={[fields.current, fields.password, fields.confirm]} />
      <h1>{t("account.title")}</h1>
      <p>
        {account.displayName} · {t("account.login", { login: account.login })}
      </p>
      <h2>{t("account.memberships")}</h2>
      {account.memberships.length === 0 ? <p>{t("home.noCommunities")}</p> : null}
      <ul className="card-list">
        {account.memberships.map((m) => (
          <li key={m.communityId}>
            <Link to={`/communities/${m.communityId}`}>{m.name}</Link> — {m.address} —{" "}
            {t(`community.status.${m.status}`, { reason: m.declineReason ?? "" })}
          </li>
        ))}
      </ul>
      {account.roles.length ? (
        <>
          <h2>{t("account.roles")}</h2>
          <ul className="card-list">
            {account.roles.map((r) => (
              <li key={`${r.role}-${r.areaId}`}>
                {t(`role.${r.role}`)} · <Link to={`/communities/${r.areaId}`}>{r.name}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <Link to="/account/notifications">{t("prefs.link")}</Link>
      </p>
      <h2>{t("auth.changePassword.title")}</h2>
      {search.get("changed") ? <Notice>{t("auth.changePassword.done")}</Notice> : null}
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.current} label="auth.currentPassword" type="password" autoComplete="current-password" />
        <Field field={fields.password} label="auth.newPassword" hint="auth.passwordHint" type="password" autoComplete="new-password" />
        <Field field={fields.confirm} label="auth.passwordConfirm" type="password" autoComplete="new-password" />
        <button type="submit">{t("auth.changePassword.submit")}</button>
      </Form>
    </>
  );
}
