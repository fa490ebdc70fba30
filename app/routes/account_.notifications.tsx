import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, Select, useSchemaForm } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { titleMeta } from "~/i18n/meta";
import { LEVELS } from "~/modules/notifications/levels";
import { NotificationSettingsSchema } from "~/modules/notifications/schemas";
import { getNotificationSettings, updateNotificationSettings } from "~/modules/notifications/settings.server";
import { commandContext, formAction, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("prefs.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  return json(await loaderGuard(() => getNotificationSettings(commandContext(context))));
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  return formAction(request, NotificationSettingsSchema, async (value) => {
    await updateNotificationSettings(commandContext(context), value);
    return redirect("/account/notifications?saved=1");
  });
}

export default function NotificationSettings() {
  const t = useT();
  const current = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [search] = useSearchParams();
  const [form, fields] = useSchemaForm(NotificationSettingsSchema, data?.result, "prefs", {
    email: current.email,
    emailLevel: current.emailLevel,
    smsLevel: current.smsLevel,
    locale: current.locale,
  });
  const levels = LEVELS.map((l) => ({ value: l, label: t(`prefs.level.${l}`) }));
  return (
    <>
      <ErrorSummary form={form} fields={[fields.email, fields.emailLevel, fields.smsLevel, fields.locale]} />
      <p>
        <Link to="/account">{t("account.title")}</Link>
      </p>
      <h1>{t("prefs.title")}</h1>
      {search.get("saved") ? <Notice>{t("prefs.saved")}</Notice> : null}
      <p>{t("prefs.intro")}</p>
      <Form method="post" {...getFormProps(form)}>
        <Select field={fields.emailLevel} label="prefs.emailLevel" options={levels} />
        <Field field={fields.email} label="prefs.email" hint="prefs.emailHint" type="email" autoComplete="email" optional />
        <Select field={fields.smsLevel} label="prefs.smsLevel" options={current.phone ? levels : levels.filter((l) => l.value === "none")} />
        <p className="hint">{current.phone ? t("prefs.smsHint", { phone: current.phone }) : t("prefs.smsNoPhone")}</p>
        <Select
          field={fields.locale}
          label="prefs.locale"
          options={[
            { value: "zh-CN", label: "中文" },
            { value: "en", label: "English" },
          ]}
        />
        <button type="submit">{t("prefs.submit")}</button>
      </Form>
    </>
  );
}
