import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getInputProps } from "@conform-to/react";
import { ErrorSummary, Field, getFormProps, Select, useSchemaForm } from "~/components/forms";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { RegisterVolunteerSchema, SERVICE_TYPES } from "~/modules/volunteers/schemas";
import { getOwnVolunteer, listCommunities, registerVolunteer } from "~/modules/volunteers/volunteers.server";
import { commandContext, formAction, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.register.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  const ctx = commandContext(context);
  if (await getOwnVolunteer(ctx)) throw redirect("/volunteers");
  const home = context.actor!.memberships.find((m) => m.status === "verified")?.communityId ?? null;
  return json({ communities: await listCommunities(ctx), home });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  return formAction(request, RegisterVolunteerSchema, async (value) => {
    await registerVolunteer(commandContext(context), value);
    return redirect("/volunteers?registered=1");
  });
}

export default function RegisterVolunteer() {
  const t = useT();
  const { communities, home } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(RegisterVolunteerSchema, data?.result, "register", home ? { communityId: String(home) } : undefined);
  const typeErrors = fields.serviceTypes.errors;
  // after a server-side error (no JavaScript) the boxes ticked before stay ticked
  const initial = fields.serviceTypes.initialValue as string | string[] | undefined;
  const chosen = Array.isArray(initial) ? initial : initial ? [initial] : [];
  const checkbox = (f: typeof fields.partyMember, label: "volunteers.register.partyMember" | "volunteers.register.honourOptIn" | "volunteers.register.consent") => (
    <div className={`field radios${f.errors?.length ? " field--error" : ""}`}>
      {f.errors?.length ? (
        <p className="field-error" id={f.errorId}>
          {t.msg(f.errors[0])}
        </p>
      ) : null}
      <label htmlFor={f.id}>
        <input {...getInputProps(f as never, { type: "checkbox", value: "on" })} key={f.key} /> {t(label)}
      </label>
    </div>
  );
  return (
    <>
      <ErrorSummary
        form={form}
        fields={[fields.realName, fields.sex, fields.birthDate, fields.idNumber, fields.communityId, fields.contact, fields.skills, fields.serviceTypes, fields.availability, fields.consent]}
      />
      <h1>{t("volunteers.register.title")}</h1>
      <p>{t("volunteers.register.intro")}</p>
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.realName} label="volunteers.register.realName" autoComplete="name" />
        <Select
          field={fields.sex}
          label="volunteers.register.sex"
          options={[{ value: "", label: "—" }, ...(["male", "female"] as const).map((s) => ({ value: s, label: t(`volunteers.sex.${s}`) }))]}
        />
        <Field field={fields.birthDate} label="volunteers.register.birthDate" hint="volunteers.register.birthDateHint" autoComplete="bday" />
        <Field field={fields.idNumber} label="volunteers.register.idNumber" hint="volunteers.register.idNumberHint" autoComplete="off" />
        <Select field={fields.communityId} label="volunteers.register.community" options={[{ value: "", label: "—" }, ...communities.map((c) => ({ value: String(c.id), label: c.name }))]} />
        <Field field={fields.contact} label="volunteers.register.contact" hint="volunteers.register.contactHint" type="tel" autoComplete="tel" />
        <Field field={fields.skills} label="volunteers.register.skills" hint="volunteers.register.skillsHint" optional />
        <fieldset className={`radios${typeErrors?.length ? " field--error" : ""}`} aria-describedby={typeErrors?.length ? fields.serviceTypes.errorId : undefined}>
          <legend>{t("volunteers.register.serviceTypes")}</legend>
          {typeErrors?.length ? (
            <p className="field-error" id={fields.serviceTypes.errorId}>
              {t.msg(typeErrors[0])}
            </p>
          ) : null}
          {SERVICE_TYPES.map((s, i) => (
            <label key={s}>
              <input type="checkbox" name={fields.serviceTypes.name} value={s} id={i === 0 ? fields.serviceTypes.id : undefined} defaultChecked={chosen.includes(s)} /> {t(`volunteers.type.${s}`)}
            </label>
          ))}
        </fieldset>
        <Field field={fields.availability} label="volunteers.register.availability" hint="volunteers.register.availabilityHint" optional />
        {checkbox(fields.partyMember, "volunteers.register.partyMember")}
        {checkbox(fields.honourOptIn, "volunteers.register.honourOptIn")}
        {checkbox(fields.consent, "volunteers.register.consent")}
        <button type="submit">{t("volunteers.register.submit")}</button>
      </Form>
    </>
  );
}
