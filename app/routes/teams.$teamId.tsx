import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import type { MetaFunction } from "@remix-run/node";
import { getTeamPage } from "~/modules/volunteers/team-page.server";
import { appointOrganizer } from "~/modules/volunteers/volunteers.server";
import { AppointOrganizerSchema } from "~/modules/volunteers/schemas";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${data?.team.name ?? ""} — ${translate(locale, "app.name")}` }];
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.teamId);
  return json(await loaderGuard(() => getTeamPage(commandContext(context), id)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.teamId);
  requireActor(context, request);
  const intent = await intentOf(request);
  if (intent !== "appoint") httpError(400, "errors.badRequest");
  return formAction(request, AppointOrganizerSchema, async (v) => {
    const u = await appointOrganizer(commandContext(context), id, v.identifier);
    return redirect(`/teams/${id}?appointed=${encodeURIComponent(u.displayName)}`);
  }, intent);
}

export default function TeamPage() {
  const t = useT();
  const { team, activities, canAppoint, canOrganize, canRecordTraining } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const errors = errorsOf(data, "appoint");
  const [search] = useSearchParams();
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to="/teams">{t("volunteers.teams.title")}</Link> · <Link to={`/communities/${team.areaId}/volunteers`}>{team.areaName}</Link>
      </p>
      <h1>{team.name}</h1>
      {search.get("appointed") ? <Notice>{t("volunteers.teams.appointed", { name: search.get("appointed")!.slice(0, 40) })}</Notice> : null}
      {team.description ? <p>{team.description}</p> : null}
      <h2>{t("volunteers.teams.organizers")}</h2>
      {team.organizers.length ? (
        <ul>
          {team.organizers.map((o) => (
            <li key={o.userId}>{o.displayName}</li>
          ))}
        </ul>
      ) : (
        <p>{t("volunteers.teams.noOrganizers")}</p>
      )}
      {canAppoint ? (
        <details open={Object.keys(errors).length > 0}>
          <summary>{t("volunteers.teams.appoint")}</summary>
          <IntentForm intent="appoint">
            <IntentField intent="appoint" name="identifier" label="volunteers.teams.identifier" errors={errors} />
            <button type="submit">{t("volunteers.teams.appointSubmit")}</button>
          </IntentForm>
        </details>
      ) : null}
      {canRecordTraining ? (
        <p>
          <Link to={`/teams/${team.id}/training`}>{t("volunteers.training.title")}</Link>
        </p>
      ) : null}
      <h2>{t("volunteers.teams.activities")}</h2>
      {canOrganize ? (
        <p>
          <Link className="button" to={`/teams/${team.id}/activities/new`}>
            {t("volunteers.teams.publish")}
          </Link>
        </p>
      ) : null}
      {activities.length ? (
        <ul className="card-list">
          {activities.map((a) => (
            <li key={a.id}>
              <Link to={`/activities/${a.id}`}>{a.title}</Link>
              <br />
              <span className="muted">
                {a.place} · {t("volunteers.activity.when", { start: t.time(a.startsAt), end: t.time(a.endsAt) })} · {t("volunteers.activity.places", { signedUp: a.signedUp, capacity: a.capacity })}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("volunteers.noActivities")}</p>
      )}
    </>
  );
}
