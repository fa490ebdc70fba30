import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, useSchemaForm } from "~/components/forms";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { issueCertificate, listMyCertificates } from "~/modules/volunteers/certificates.server";
import { hoursOf } from "~/modules/volunteers/rules";
import { IssueCertificateSchema } from "~/modules/volunteers/schemas";
import { commandContext, formAction, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.cert.list");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  return json({ certificates: await loaderGuard(() => listMyCertificates(commandContext(context))) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  return formAction(request, IssueCertificateSchema, async (v) => {
    const c = await issueCertificate(commandContext(context), v);
    return redirect(`/volunteers/certificates/${c.id}`);
  });
}

export default function MyCertificates() {
  const t = useT();
  const { certificates } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(IssueCertificateSchema, data?.result, "issue", { scope: "all" });
  return (
    <>
      <ErrorSummary form={form} fields={[fields.scope, fields.from, fields.to]} />
      <p>
        <Link to="/volunteers">{t("volunteers.profile.title")}</Link>
      </p>
      <h1>{t("volunteers.cert.list")}</h1>
      {certificates.length ? (
        <ul>
          {certificates.map((c) => (
            <li key={c.id}>
              <Link to={`/volunteers/certificates/${c.id}`}>
                {t("volunteers.cert.line", { number: c.number, hours: hoursOf(c.minutes), from: c.periodFrom ?? "", to: c.periodTo ?? "" })}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("volunteers.cert.none")}</p>
      )}
      <h2>{t("volunteers.cert.issue")}</h2>
      <Form method="post" {...getFormProps(form)}>
        <fieldset className="radios">
          <legend>{t("volunteers.cert.scope")}</legend>
          {(["all", "period"] as const).map((s, i) => (
            <label key={s}>
              <input type="radio" name={fields.scope.name} value={s} id={i === 0 ? fields.scope.id : undefined} defaultChecked={s === "all"} /> {t(`volunteers.cert.scope.${s}`)}
            </label>
          ))}
        </fieldset>
        <Field field={fields.from} label="volunteers.cert.from" hint="volunteers.cert.dateHint" optional />
        <Field field={fields.to} label="volunteers.cert.to" hint="volunteers.cert.dateHint" optional />
        <button type="submit">{t("volunteers.cert.issueSubmit")}</button>
      </Form>
    </>
  );
}
