import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { ErrorSummary, Field, useSchemaForm } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { getMatterPage } from "~/modules/matters/queries.server";
import { RecordOutcomeSchema } from "~/modules/matters/outcomes/schemas";
import { recordOutcome } from "~/modules/matters/outcomes/outcomes.server";
import { commandContext, formAction, httpError, idFromParams, loaderGuard, requireActor } from "~/web/http.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("outcomes.recordTitle", (d) => ({ title: (d as { matter?: { title: string } })?.matter?.title ?? "" }));

const ROWS = 3;
const START = { commitments: Array.from({ length: ROWS }, () => ({})) };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  const page = await loaderGuard(() => getMatterPage(commandContext(context), id));
  if (!page.commands.includes("startImplementation")) httpError(403, "errors.forbidden");
  return json({ matter: { id: page.matter.id, title: page.matter.title } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  return formAction(request, RecordOutcomeSchema, async (value) => {
    await recordOutcome(commandContext(context), id, value);
    return redirect(`/matters/${id}?done=done`);
  });
}

export default function RecordOutcome() {
  const t = useT();
  const { matter } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(RecordOutcomeSchema, data?.result, "outcome", START);
  const rows = fields.commitments.getFieldList();
  const rowFields = rows.flatMap((r) => {
    const f = r.getFieldset();
    return [f.title, f.responsibleUnit, f.dueDate];
  });
  return (
    <>
      <ErrorSummary form={form} fields={[fields.decision, ...rowFields]} />
      <p>
        <Link to={`/matters/${matter.id}`}>#{matter.id} {matter.title}</Link>
      </p>
      <h1>{t("outcomes.recordTitle", { title: matter.title })}</h1>
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.decision} label="outcomes.decision" hint="outcomes.decisionHint" />
        {rows.map((r, i) => {
          const f = r.getFieldset();
          return (
            <fieldset key={r.key}>
              <legend>{t("outcomes.commitment", { n: i + 1 })}</legend>
              <Field field={f.title} label="outcomes.commitmentTitle" optional={i > 0} />
              <Field field={f.responsibleUnit} label="outcomes.responsibleUnit" hint="outcomes.responsibleUnitHint" optional={i > 0} />
              <Field field={f.dueDate} label="outcomes.dueDate" hint="outcomes.dueDateHint" optional={i > 0} />
            </fieldset>
          );
        })}
        <button type="submit">{t("outcomes.save")}</button>
      </Form>
    </>
  );
}

