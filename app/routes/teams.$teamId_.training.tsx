import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { getTeamTrainingPage, giveHonour, recordTraining } from "~/modules/volunteers/training.server";
import { GiveHonourSchema, RecordTrainingSchema } from "~/modules/volunteers/travel-schemas.server";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.training.title");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.teamId);
  requireActor(context, request);
  return json(await loaderGuard(() => getTeamTrainingPage(commandContext(context), id)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.teamId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  if (intent === "training")
    return formAction(request, RecordTrainingSchema, async (v) => {
      const r = await recordTraining(ctx, id, { title: v.title, heldOn: v.heldOn, minutes: v.hours, attendees: v.attendees });
      return redirect(`/teams/${id}/training?trained=${r.attendees}`);
    }, intent);
  if (intent === "honour")
    return formAction(request, GiveHonourSchema, async (v) => {
      await giveHonour(ctx, id, v);
      return redirect(`/teams/${id}/training?honoured=1`);
    }, intent);
  httpError(400, "errors.badRequest");
}

export default function TeamTraining() {
  const t = useT();
  const { team, canTrain, canHonour, training, honours } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const te = errorsOf(data, "training");
  const he = errorsOf(data, "honour");
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to={`/teams/${team.id}`}>{team.name}</Link>
      </p>
      <h1>{t("volunteers.training.title")}</h1>
      {search.get("trained") ? <Notice>{t("volunteers.training.saved", { count: Number(search.get("trained")) || 0 })}</Notice> : null}
      {search.get("honoured") ? <Notice>{t("volunteers.honours.saved")}</Notice> : null}
      {canTrain ? (
        <section aria-labelledby="add-training">
          <h2 id="add-training">{t("volunteers.training.add")}</h2>
          <IntentForm intent="training">
            <IntentField intent="training" name="title" label="volunteers.training.name" errors={te} />
            <IntentField intent="training" name="heldOn" label="volunteers.training.date" hint="volunteers.training.dateHint" errors={te} />
            <IntentField intent="training" name="hours" label="volunteers.training.hours" hint="volunteers.training.hoursHint" errors={te} />
            <IntentField intent="training" name="attendees" label="volunteers.training.attendees" hint="volunteers.training.attendeesHint" errors={te} textarea />
            <button type="submit">{t("volunteers.training.submit")}</button>
          </IntentForm>
        </section>
      ) : null}
      <ul>
        {training.map((x) => (
          <li key={x.id}>
            {t("volunteers.training.list", { date: x.heldOn, title: x.title, hours: Math.round((x.minutes / 60) * 100) / 100, count: x.attendees })}
          </li>
        ))}
      </ul>
      {training.length === 0 ? <p>{t("volunteers.training.none")}</p> : null}
      {canHonour ? (
        <section aria-labelledby="add-honour">
          <h2 id="add-honour">{t("volunteers.honours.add")}</h2>
          <IntentForm intent="honour">
            <IntentField intent="honour" name="volunteer" label="volunteers.honours.volunteer" errors={he} />
            <IntentField intent="honour" name="title" label="volunteers.honours.name" errors={he} />
            <IntentField intent="honour" name="givenOn" label="volunteers.honours.date" hint="volunteers.training.dateHint" errors={he} />
            <IntentField intent="honour" name="citation" label="volunteers.honours.citation" errors={he} required={false} textarea />
            <button type="submit">{t("volunteers.honours.submit")}</button>
          </IntentForm>
        </section>
      ) : null}
      <ul>
        {honours.map((x) => (
          <li key={x.id}>{t("volunteers.honours.list", { date: x.givenOn, name: x.name, number: x.number ?? "", title: x.title })}</li>
        ))}
      </ul>
      {honours.length === 0 ? <p>{t("volunteers.honours.none")}</p> : null}
    </>
  );
}
