import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { CreateTeamSchema } from "~/modules/volunteers/schemas";
import { createTeam, listAreasForTeams, listTeams } from "~/modules/volunteers/volunteers.server";
import { commandContext, formAction, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.teams.title");

export async function loader({ context }: LoaderFunctionArgs) {
  const ctx = commandContext(context);
  const [teams, areas] = await Promise.all([listTeams(ctx), listAreasForTeams(ctx)]);
  return json({ teams, areas: areas.map((a) => ({ id: a.id, name: a.name })) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  return formAction(request, CreateTeamSchema, async (v) => {
    const team = await createTeam(commandContext(context), v);
    return redirect(`/teams/${team.id}`);
  }, "create");
}

export default function Teams() {
  const t = useT();
  const { teams, areas } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const errors = errorsOf(data, "create");
  return (
    <>
      <IntentErrorSummary data={data} />
      <h1>{t("volunteers.teams.title")}</h1>
      {teams.length ? (
        <ul className="card-list">
          {teams.map((team) => (
            <li key={team.id}>
              <Link to={`/teams/${team.id}`}>{team.name}</Link> <span className="muted">{team.areaName}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("volunteers.teams.none")}</p>
      )}
      {areas.length ? (
        <details open={Object.keys(errors).length > 0}>
          <summary>{t("volunteers.teams.create")}</summary>
          <IntentForm intent="create">
            <div className={`field${errors.areaId ? " field--error" : ""}`}>
              <label htmlFor="create-areaId">{t("volunteers.teams.area")}</label>
              {errors.areaId ? (
                <p className="field-error" id="create-areaId-error">
                  {t.msg(errors.areaId[0])}
                </p>
              ) : null}
              <select id="create-areaId" name="areaId" aria-describedby={errors.areaId ? "create-areaId-error" : undefined}>
                {areas.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
            <IntentField intent="create" name="name" label="volunteers.teams.name" errors={errors} />
            <IntentField intent="create" name="description" label="volunteers.teams.description" errors={errors} textarea required={false} />
            <button type="submit">{t("volunteers.teams.createSubmit")}</button>
          </IntentForm>
        </details>
      ) : null}
    </>
  );
}
