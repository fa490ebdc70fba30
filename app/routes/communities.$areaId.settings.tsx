import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, useSchemaForm } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { getCommunitySettings, updateCommunitySettings } from "~/modules/communities/communities.server";
import { CommunitySettingsSchema } from "~/modules/communities/schemas";
import { commandContext, formAction, idFromParams, loaderGuard, requireActor } from "~/web/http.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("settings.title", (d) => ({ community: (d as { area?: { name: string } })?.area?.name ?? "" }));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  const area = await loaderGuard(() => getCommunitySettings(commandContext(context), id));
  return json({ area });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  await loaderGuard(() => getCommunitySettings(commandContext(context), id));
  return formAction(request, CommunitySettingsSchema, async (v) => {
    await updateCommunitySettings(commandContext(context), id, v);
    return redirect(`/communities/${id}/settings?saved=1`);
  });
}

export default function Settings() {
  const t = useT();
  const { area } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [search] = useSearchParams();
  const [form, fields] = useSchemaForm(CommunitySettingsSchema, data?.result, "settings", {
    thresholdKind: area.cosignShareBp ? "share" : "count",
    cosignThreshold: String(area.cosignThreshold),
    sharePercent: area.cosignShareBp ? String(area.cosignShareBp / 100) : "",
    noticeDays: String(area.noticeDays),
    publicNames: area.publicNames,
    objectionAnswerDays: String(area.objectionAnswerDays),
  });
  const radio = (name: "thresholdKind" | "publicNames", values: [string, Parameters<typeof t>[0]][], legend: Parameters<typeof t>[0]) => (
    <fieldset className="radios">
      <legend>{t(legend)}</legend>
      {values.map(([v, label], i) => (
        <label key={v}>
          <input type="radio" name={fields[name].name} value={v} id={i === 0 ? fields[name].id : undefined} defaultChecked={fields[name].initialValue === v} /> {t(label)}
        </label>
      ))}
    </fieldset>
  );
  return (
    <>
      <ErrorSummary form={form} fields={[fields.thresholdKind, fields.cosignThreshold, fields.sharePercent, fields.noticeDays, fields.publicNames, fields.objectionAnswerDays]} />
      <p>
        <Link to={`/communities/${area.id}`}>{area.name}</Link>
      </p>
      <h1>{t("settings.title", { community: area.name })}</h1>
      {search.get("saved") ? <Notice>{t("settings.saved")}</Notice> : null}
      <Form method="post" {...getFormProps(form)}>
        {radio("thresholdKind", [["count", "settings.kind.count"], ["share", "settings.kind.share"]], "settings.thresholdKind")}
        <Field field={fields.cosignThreshold} label="settings.cosignThreshold" hint="settings.cosignThresholdHint" inputMode="numeric" />
        <Field field={fields.sharePercent} label="settings.sharePercent" hint="settings.sharePercentHint" inputMode="numeric" />
        <Field field={fields.noticeDays} label="settings.noticeDays" hint="settings.noticeDaysHint" inputMode="numeric" />
        {radio("publicNames", [["masked", "settings.names.masked"], ["real", "settings.names.real"]], "settings.publicNames")}
        <Field field={fields.objectionAnswerDays} label="settings.objectionAnswerDays" hint="settings.objectionAnswerDaysHint" inputMode="numeric" />
        <button type="submit">{t("settings.save")}</button>
      </Form>
    </>
  );
}
