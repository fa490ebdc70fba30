import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { ErrorSummary, Field, Select, useSchemaForm } from "~/components/forms";
import { titleMeta } from "~/i18n/meta";
import { beijingLocalInput } from "~/modules/shared/beijing-time";
import { useT } from "~/i18n/use-t";
import { scheduleFormData, scheduleSession } from "~/modules/matters/room/agenda.server";
import { ScheduleSessionSchema } from "~/modules/matters/room/schemas";
import { commandContext, formAction, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("room.scheduleTitle", (d) => ({ title: (d as { matter?: { title: string } })?.matter?.title ?? "" }));

const ROWS = 4;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  return json(await loaderGuard(() => scheduleFormData(commandContext(context), id)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  return formAction(request, ScheduleSessionSchema, async (value) => {
    const { sessionId } = await scheduleSession(commandContext(context), id, value);
    return redirect(`/rooms/${sessionId}`);
  });
}

export default function ScheduleSession() {
  const t = useT();
  const { matter, moderators, first } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  // the time was chosen when the consultation was scheduled: it is filled in, not asked again
  // the first session of a matter starts with one agenda item, the matter itself, to change or keep
  const items = Array.from({ length: ROWS }, (_, i) => (first && i === 0 ? { title: matter.title.slice(0, 100), minutes: "60" } : {}));
  const start = { scheduledAt: matter.scheduledFor ? beijingLocalInput(new Date(matter.scheduledFor)) : undefined, items };
  const [form, fields] = useSchemaForm(ScheduleSessionSchema, data?.result, "schedule", start);
  const rows = fields.items.getFieldList();
  const rowFields = rows.flatMap((r) => {
    const f = r.getFieldset();
    return [f.title, f.minutes];
  });
  return (
    <>
      <ErrorSummary form={form} fields={[fields.scheduledAt, fields.place, fields.moderatorId, ...rowFields]} />
      <p>
        <Link to={`/matters/${matter.id}`}>
          #{matter.id} {matter.title}
        </Link>
      </p>
      <h1>{t("room.scheduleTitle", { title: matter.title })}</h1>
      <p>{first ? t("room.scheduleFirstIntro", { days: matter.noticeDays }) : t("room.scheduleAgainIntro")}</p>
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.scheduledAt} label="room.scheduledAt" hint={!first && matter.scheduledFor ? "room.scheduledAtFromMatter" : "room.scheduledAtHint"} type="datetime-local" />
        <Field field={fields.place} label="room.place" hint="room.placeHint" optional />
        <Select field={fields.moderatorId} label="room.moderator" options={[{ value: "", label: "—" }, ...moderators.map((m) => ({ value: String(m.id), label: m.name }))]} />
        {rows.map((r, i) => {
          const f = r.getFieldset();
          return (
            <fieldset key={r.key}>
              <legend>{t("room.agendaItem", { n: i + 1 })}</legend>
              <Field field={f.title} label="room.itemTitle" optional={i > 0} />
              <Field field={f.minutes} label="room.itemMinutes" hint="room.itemMinutesHint" optional={i > 0} inputMode="numeric" />
            </fieldset>
          );
        })}
        <button type="submit">{t("room.scheduleSave")}</button>
      </Form>
    </>
  );
}
