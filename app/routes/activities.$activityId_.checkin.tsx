import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, useSchemaForm } from "~/components/forms";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { checkWithCode, getActivityPage } from "~/modules/volunteers/activities.server";
import { hoursOf } from "~/modules/volunteers/rules";
import { CheckCodeSchema, CheckinQuerySchema } from "~/modules/volunteers/schemas";
import { commandContext, formAction, idFromParams, loaderGuard, queryOf, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.activity.checkin");

/** Where the QR code lands: the code is filled in from the address; the volunteer picks in or out and sends. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.activityId);
  requireActor(context, request);
  const page = await loaderGuard(() => getActivityPage(commandContext(context), id));
  const { code } = queryOf(request, CheckinQuerySchema);
  return json({
    activity: { id: page.activity.id, title: page.activity.title },
    code: code ?? "",
    checkedIn: !!page.myAttendance && !page.myAttendance.checkOutAt,
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.activityId);
  requireActor(context, request);
  return formAction(request, CheckCodeSchema, async (v) => {
    const r = await checkWithCode(commandContext(context), id, v);
    const q = new URLSearchParams({ done: r.repeated ? "repeated" : r.direction, at: r.at.toISOString(), ...(r.minutes !== undefined ? { hours: String(hoursOf(r.minutes)) } : {}) });
    return redirect(`/activities/${id}/checkin?${q}`);
  });
}

export default function Checkin() {
  const t = useT();
  const { activity, code, checkedIn } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [search] = useSearchParams();
  const [form, fields] = useSchemaForm(CheckCodeSchema, data?.result, "checkin", { code, direction: checkedIn ? "out" : "in" });
  const done = search.get("done");
  const at = search.get("at") && !Number.isNaN(Date.parse(search.get("at")!)) ? t.time(search.get("at")!) : "";
  const hours = Number(search.get("hours") ?? NaN);
  return (
    <>
      <ErrorSummary form={form} fields={[fields.code, fields.direction]} />
      <p>
        <Link to={`/activities/${activity.id}`}>{activity.title}</Link>
      </p>
      <h1>{t("volunteers.checkin.title", { title: activity.title })}</h1>
      {done === "in" ? <Notice>{t("volunteers.checkin.doneIn", { time: at })}</Notice> : null}
      {done === "repeated" ? <Notice>{t("volunteers.checkin.repeated", { time: at })}</Notice> : null}
      {done === "out" && Number.isFinite(hours) ? <Notice>{t("volunteers.checkin.doneOut", { hours })}</Notice> : null}
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.code} label="volunteers.checkin.code" hint="volunteers.checkin.codeHint" inputMode="numeric" autoComplete="one-time-code" />
        <fieldset className="radios">
          <legend>{t("volunteers.checkin.direction")}</legend>
          {(["in", "out"] as const).map((d, i) => (
            <label key={d}>
              <input type="radio" name={fields.direction.name} value={d} id={i === 0 ? fields.direction.id : undefined} defaultChecked={(checkedIn ? "out" : "in") === d} /> {t(`volunteers.checkin.${d}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t("volunteers.checkin.submit")}</button>
      </Form>
    </>
  );
}
