import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, Select, useSchemaForm } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { grantRole, listAppointableAreas } from "~/modules/communities/communities.server";
import { GrantRoleSchema } from "~/modules/communities/schemas";
import { requirePermission } from "~/web/guards.server";
import { commandContext, formAction } from "~/web/http.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("admin.appoint");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "admin.enter", { type: "site" });
  const areas = await listAppointableAreas(commandContext(context));
  return json({ areas: areas.map((a) => ({ id: a.id, name: a.name, kind: a.kind })) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requirePermission(context, request, "admin.enter", { type: "site" });
  return formAction(request, GrantRoleSchema, async (value) => {
    const r = await grantRole(commandContext(context), value);
    return { granted: r };
  });
}

export default function AdminRoles() {
  const t = useT();
  const { areas } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(GrantRoleSchema, data?.result, "grant");
  return (
    <>
      <ErrorSummary form={form} fields={[fields.identifier, fields.role, fields.areaId]} />
      <p>
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("admin.appoint")}</h1>
      {data && "granted" in data && data.granted ? (
        <Notice>{t("admin.appointed", { name: data.granted.displayName, role: t(`role.${data.granted.role as "committee"}`) })}</Notice>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.identifier} label="admin.appointUser" />
        <Select
          field={fields.role}
          label="admin.appointRole"
          options={(["committee", "organizer", "supervisor", "town_admin", "county_admin"] as const).map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <Select field={fields.areaId} label="admin.appointArea" options={areas.map((a) => ({ value: String(a.id), label: `${a.name}（${t(`community.kind.${a.kind}`)}）` }))} />
        <button type="submit">{t("admin.appointSubmit")}</button>
      </Form>
    </>
  );
}
