import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { useT } from "~/i18n/use-t";
import { titleMeta } from "~/i18n/meta";
import { CalendarYearSchema, VolunteerRulesSchema } from "~/modules/volunteers/schemas";
import { setCalendarYear } from "~/modules/volunteers/set-calendar-year.server";
import { setVolunteerRules } from "~/modules/volunteers/set-volunteer-rules.server";
import { getRulesPage } from "~/modules/volunteers/volunteer-rules.server";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.rules.title");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  return json(await loaderGuard(() => getRulesPage(commandContext(context), id)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  const intent = await intentOf(request);
  if (intent === "rules")
    return formAction(request, VolunteerRulesSchema, async (v) => {
      await setVolunteerRules(commandContext(context), id, v);
      return redirect(`/admin/volunteer-rules/${id}?saved=rules`);
    }, intent);
  if (intent === "calendar")
    return formAction(request, CalendarYearSchema, async (v) => {
      await setCalendarYear(commandContext(context), id, v);
      return redirect(`/admin/volunteer-rules/${id}?saved=${v.year}`);
    }, intent);
  httpError(400, "errors.badRequest");
}

export default function VolunteerRulesPage() {
  const t = useT();
  const { area, own, effective, years } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const saved = search.get("saved");
  const nextYear = (years.at(-1)?.year ?? 2026) + 1;
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to="/admin/volunteer-rules">{t("volunteers.rules.title")}</Link>
      </p>
      <h1>{t("volunteers.rules.areaTitle", { name: area.name })}</h1>
      {saved ? <Notice>{saved === "rules" ? t("volunteers.rules.saved") : t("volunteers.rules.yearSaved", { year: saved.slice(0, 4) })}</Notice> : null}
      <h2>{t("volunteers.rules.inForce")}</h2>
      <dl className="facts">
        <div>
          <dt>{t("volunteers.rules.step")}</dt>
          <dd>{t("volunteers.rules.minutes", { n: effective.stepMinutes })}</dd>
        </div>
        <div>
          <dt>{t("volunteers.rules.margin")}</dt>
          <dd>{t("volunteers.rules.minutes", { n: effective.capMarginMinutes })}</dd>
        </div>
        <div>
          <dt>{t("volunteers.rules.stars")}</dt>
          <dd>{effective.starHours.join(" / ")}</dd>
        </div>
      </dl>
      <h2>{t("volunteers.rules.setRules")}</h2>
      <p>{t("volunteers.rules.blankInherits")}</p>
      <IntentForm intent="rules">
        <IntentField intent="rules" name="stepMinutes" label="volunteers.rules.step" hint="volunteers.rules.stepHint" errors={errorsOf(data, "rules")} required={false} defaultValue={own?.stepMinutes?.toString() ?? ""} />
        <IntentField intent="rules" name="capMarginMinutes" label="volunteers.rules.margin" hint="volunteers.rules.marginHint" errors={errorsOf(data, "rules")} required={false} defaultValue={own?.capMarginMinutes?.toString() ?? ""} />
        <IntentField intent="rules" name="starHours" label="volunteers.rules.stars" hint="volunteers.rules.starsHint" errors={errorsOf(data, "rules")} required={false} defaultValue={own?.starHours?.join(" ") ?? ""} />
        <button type="submit">{t("volunteers.rules.save")}</button>
      </IntentForm>
      <h2>{t("volunteers.rules.calendar")}</h2>
      <p>{t("volunteers.rules.calendarIntro")}</p>
      <table>
        <caption className="visually-hidden">{t("volunteers.rules.calendar")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("volunteers.rules.year")}</th>
            <th scope="col">{t("volunteers.rules.from")}</th>
            <th scope="col">{t("volunteers.rules.holidays")}</th>
            <th scope="col">{t("volunteers.rules.workdays")}</th>
          </tr>
        </thead>
        <tbody>
          {years.map((y) => (
            <tr key={y.year}>
              <th scope="row">{y.year}</th>
              <td>{y.from ?? t("volunteers.rules.national")}</td>
              <td>{y.holidays.join(" ")}</td>
              <td>{y.workdays.join(" ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t("volunteers.rules.setYear")}</h3>
      <p>{t("volunteers.rules.setYearHint")}</p>
      <IntentForm intent="calendar">
        <IntentField intent="calendar" name="year" label="volunteers.rules.year" errors={errorsOf(data, "calendar")} defaultValue={String(nextYear)} />
        <IntentField intent="calendar" name="holidays" label="volunteers.rules.holidays" hint="volunteers.rules.datesHint" errors={errorsOf(data, "calendar")} textarea required={false} />
        <IntentField intent="calendar" name="workdays" label="volunteers.rules.workdays" hint="volunteers.rules.datesHint" errors={errorsOf(data, "calendar")} textarea required={false} />
        <button type="submit">{t("volunteers.rules.saveYear")}</button>
      </IntentForm>
      {own ? null : <p className="muted">{t("volunteers.rules.nothingOwn")}</p>}
    </>
  );
}
