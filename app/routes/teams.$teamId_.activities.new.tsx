import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getTextareaProps } from "@conform-to/react";
import { ErrorSummary, Field, getFormProps, useSchemaForm } from "~/components/forms";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { publishActivity } from "~/modules/volunteers/activities.server";
import { PublishActivitySchema } from "~/modules/volunteers/schemas";
import { getTeamPage } from "~/modules/volunteers/team-page.server";
import { commandContext, formAction, httpError, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.activity.publishTitle");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.teamId);
  requireActor(context, request);
  const page = await loaderGuard(() => getTeamPage(commandContext(context), id));
  if (!page.canOrganize) httpError(403, "errors.forbidden");
  return json({ team: { id: page.team.id, name: page.team.name } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.teamId);
  requireActor(context, request);
  return formAction(request, PublishActivitySchema, async (v) => {
    const a = await publishActivity(commandContext(context), id, v);
    return redirect(`/activities/${a.id}`);
  });
}

export default function PublishActivity() {
  const t = useT();
  const { team } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(PublishActivitySchema, data?.result, "activity");
  const content = fields.content;
  return (
    <>
      <ErrorSummary form={form} fields={[fields.title, fields.content, fields.place, fields.startsAt, fields.endsAt, fields.capacity, fields.skillsWanted, fields.personInCharge]} />
      <p>
        <Link to={`/teams/${team.id}`}>{team.name}</Link>
      </p>
      <h1>{t("volunteers.activity.publishTitle")}</h1>
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.title} label="volunteers.activity.title" />
        <div className={`field${content.errors?.length ? " field--error" : ""}`}>
          <label htmlFor={content.id}>{t("volunteers.activity.content")}</label>
          {content.errors?.length ? (
            <p className="field-error" id={content.errorId}>
              {t.msg(content.errors[0])}
            </p>
          ) : null}
          <textarea {...getTextareaProps(content as never)} key={content.key} rows={5} />
        </div>
        <Field field={fields.place} label="volunteers.activity.place" />
        <Field field={fields.startsAt} label="volunteers.activity.startsAt" hint="volunteers.activity.timeHint" />
        <Field field={fields.endsAt} label="volunteers.activity.endsAt" hint="volunteers.activity.timeHint" />
        <Field field={fields.capacity} label="volunteers.activity.capacity" inputMode="numeric" />
        <Field field={fields.skillsWanted} label="volunteers.activity.skillsWanted" optional />
        <Field field={fields.personInCharge} label="volunteers.activity.personInCharge" />
        <button type="submit">{t("volunteers.activity.publishSubmit")}</button>
      </Form>
    </>
  );
}
