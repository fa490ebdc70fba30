import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, Select, useSchemaForm } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { titleMeta } from "~/i18n/meta";
import { IMPORTANT_KINDS, LEVELS } from "~/modules/notifications/levels";
import { MuteSchema, NotificationSettingsSchema } from "~/modules/notifications/schemas";
import { setMatterMuted } from "~/modules/notifications/mute.server";
import { getNotificationSettings, updateNotificationSettings } from "~/modules/notifications/settings.server";
import { commandContext, formAction, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("prefs.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  return json(await loaderGuard(() => getNotificationSettings(commandContext(context))));
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  if ((await intentOf(request)) === "mute")
    return formAction(
      request,
      MuteSchema,
      async (value) => {
        const r = await setMatterMuted(commandContext(context), value);
        return redirect(`/account/notifications?${r.muted ? "muted" : "unmuted"}=${r.matterId}#follows`);
      },
      "mute",
    );
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
  const urgent = current.smsUrgent as string[];
  const urgentErrors = fields.smsUrgent.errors;
  const muteError = data?.intent === "mute" ? Object.values((data.result?.error ?? {}) as Record<string, string[] | null>).flat()[0] ?? undefined : undefined;
  const changed = current.followed.find((f) => String(f.matterId) === (search.get("muted") ?? search.get("unmuted")));
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
        {current.phone ? (
          <fieldset className={`radios${urgentErrors?.length ? " field--error" : ""}`} aria-describedby={`${fields.smsUrgent.descriptionId}${urgentErrors?.length ? ` ${fields.smsUrgent.errorId}` : ""}`}>
            <legend>{t("prefs.urgent")}</legend>
            <p className="hint" id={fields.smsUrgent.descriptionId}>
              {t("prefs.urgentHint")}
            </p>
            {urgentErrors?.length ? (
              <p className="field-error" id={fields.smsUrgent.errorId}>
                {t.msg(urgentErrors[0])}
              </p>
            ) : null}
            {[...IMPORTANT_KINDS].map((k, i) => (
              <label key={k}>
                <input type="checkbox" name={fields.smsUrgent.name} value={k} id={i === 0 ? fields.smsUrgent.id : undefined} defaultChecked={urgent.includes(k)} />{" "}
                {t(`prefs.urgent.${k}` as "prefs.urgent.notify.matter.transition")}
              </label>
            ))}
          </fieldset>
        ) : null}
        <button type="submit">{t("prefs.submit")}</button>
      </Form>
      <h2 id="follows">{t("prefs.follows")}</h2>
      {changed ? <Notice>{t(search.get("muted") ? "prefs.mutedSaved" : "prefs.unmutedSaved", { title: changed.title })}</Notice> : null}
      {muteError ? (
        <p className="field-error" role="alert">
          {t.msg(muteError)}
        </p>
      ) : null}
      <p>{t("prefs.followsIntro")}</p>
      {current.followed.length === 0 ? (
        <p>{t("prefs.followsEmpty")}</p>
      ) : (
        <ul className="follows">
          {current.followed.map((f) => (
            <li key={f.matterId}>
              <Link to={`/matters/${f.matterId}`}>{f.title}</Link>
              {f.muted ? <strong> · {t("prefs.muted")}</strong> : null}
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="mute" />
                <input type="hidden" name="matterId" value={f.matterId} />
                <input type="hidden" name="muted" value={f.muted ? "false" : "true"} />
                <button type="submit" className="secondary">
                  {t(f.muted ? "prefs.unmute" : "prefs.mute", { title: f.title })}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
