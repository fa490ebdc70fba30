import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Select, useSchemaForm } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { getMatterPage } from "~/modules/matters/queries.server";
import { PRESETS } from "~/modules/matters/voting/rules";
import { CreateVoteSchema } from "~/modules/matters/voting/schemas";
import { openVote } from "~/modules/matters/voting/setup.server";
import { commandContext, formAction, httpError, idFromParams, loaderGuard, requireActor } from "~/web/http.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("voting.openTitle", (d) => ({ title: (d as { matter?: { title: string } })?.matter?.title ?? "" }));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  const page = await loaderGuard(() => getMatterPage(commandContext(context), id));
  if (!page.commands.includes("openVote")) httpError(403, "errors.forbidden");
  return json({ matter: { id: page.matter.id, title: page.matter.title } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  return formAction(request, CreateVoteSchema, async (value) => {
    const v = await openVote(commandContext(context), id, value);
    return redirect(`/votes/${v.id}`);
  });
}

export default function NewVote() {
  const t = useT();
  const { matter } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(CreateVoteSchema, data?.result, "vote");
  const all = [fields.question, fields.method, fields.optionsText, fields.maxChoices, fields.electorate, fields.preset, fields.quorumNum, fields.quorumDen, fields.passNum, fields.passDen, fields.secret, fields.opensAt, fields.closesAt];
  return (
    <>
      <ErrorSummary form={form} fields={all} />
      <p>
        <Link to={`/matters/${matter.id}`}>#{matter.id} {matter.title}</Link>
      </p>
      <h1>{t("voting.openTitle", { title: matter.title })}</h1>
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.question} label="voting.question" />
        <Select field={fields.method} label="voting.method" options={(["yes_no", "single", "approval"] as const).map((m) => ({ value: m, label: t(`voting.method.${m}`) }))} />
        <div className={`field${fields.optionsText.errors?.length ? " field--error" : ""}`}>
          <label htmlFor={fields.optionsText.id}>{t("voting.options")}</label>
          <p className="hint" id={fields.optionsText.descriptionId}>
            {t("voting.optionsHint")}
          </p>
          {fields.optionsText.errors?.length ? (
            <p className="field-error" id={fields.optionsText.errorId}>
              {t.msg(fields.optionsText.errors[0])}
            </p>
          ) : null}
          <textarea id={fields.optionsText.id} name={fields.optionsText.name} rows={4} aria-describedby={fields.optionsText.descriptionId} defaultValue={(fields.optionsText.initialValue as string) ?? ""} />
        </div>
        <Field field={fields.maxChoices} label="voting.maxChoices" inputMode="numeric" optional />
        <Select field={fields.electorate} label="voting.electorate" options={(["residents", "households", "panel", "representatives"] as const).map((e) => ({ value: e, label: t(`voting.electorate.${e}`) }))} />
        <Select field={fields.preset} label="voting.preset" options={[...(Object.keys(PRESETS) as (keyof typeof PRESETS)[]), "custom" as const].map((p) => ({ value: p, label: t(`voting.preset.${p}`) }))} />
        <p className="hint">{t("voting.customHint")}</p>
        <Field field={fields.quorumNum} label="voting.quorumNum" inputMode="numeric" optional />
        <Field field={fields.quorumDen} label="voting.quorumDen" inputMode="numeric" optional />
        <Field field={fields.passNum} label="voting.passNum" inputMode="numeric" optional />
        <Field field={fields.passDen} label="voting.passDen" inputMode="numeric" optional />
        <Select field={fields.secret} label="voting.secret" options={(["yes", "no"] as const).map((s) => ({ value: s, label: t(`voting.secret.${s}`) }))} />
        <Field field={fields.opensAt} label="voting.opensAt" hint="voting.opensAtHint" optional />
        <Field field={fields.closesAt} label="voting.closesAt" hint="voting.closesAtHint" optional />
        <button type="submit">{t("voting.submitOpen")}</button>
      </Form>
    </>
  );
}
