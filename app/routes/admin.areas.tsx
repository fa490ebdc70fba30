import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, Select, useSchemaForm } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { can } from "~/modules/accounts/permissions";
import { areaResource, createArea, listAreas } from "~/modules/communities/communities.server";
import { CreateAreaSchema } from "~/modules/communities/schemas";
import { requirePermission } from "~/web/guards.server";
import { commandContext, formAction } from "~/web/http.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("admin.areas");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermission(context, request, "admin.enter", { type: "site" });
  const areas = await listAreas(commandContext(context));
  return json({
    areas: areas.map((a) => ({ id: a.id, name: a.name, kind: a.kind, depth: a.path.split("/").filter(Boolean).length - 1 })),
    parents: areas.filter((a) => can(actor, "area.createChild", areaResource(a))).map((a) => ({ id: a.id, name: a.name, kind: a.kind })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requirePermission(context, request, "admin.enter", { type: "site" });
  return formAction(request, CreateAreaSchema, async (value) => {
    const a = await createArea(commandContext(context), value);
    return { created: a.name };
  });
}

export default function AdminAreas() {
  const t = useT();
  const { areas, parents } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(CreateAreaSchema, data?.result, "area");
  return (
    <>
      <ErrorSummary form={form} fields={[fields.parentId, fields.name, fields.communityType, fields.residents, fields.households]} />
      <p>
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("admin.areas")}</h1>
      {data && "created" in data ? <Notice>{t("admin.created", { name: String(data.created) })}</Notice> : null}
      <h2>{t("admin.createCommunity")}</h2>
      <Form method="post" {...getFormProps(form)}>
        <Select
          field={fields.parentId}
          label="admin.parent"
          options={parents.map((p) => ({ value: String(p.id), label: `${p.name}（${t(`community.kind.${p.kind}`)}）` }))}
        />
        <Field field={fields.name} label="admin.name" />
        <Select
          field={fields.communityType}
          label="admin.communityType"
          options={[
            { value: "urban", label: t("community.type.urban") },
            { value: "rural", label: t("community.type.rural") },
          ]}
        />
        <Field field={fields.residents} label="admin.residents" inputMode="numeric" />
        <Field field={fields.households} label="admin.households" inputMode="numeric" />
        <button type="submit">{t("admin.create")}</button>
      </Form>
      <h2>{t("home.communities")}</h2>
      <ul className="card-list area-tree">
        {areas.map((a) => (
          <li key={a.id} className={`depth-${a.depth}`}>
            <Link to={`/communities/${a.id}`}>{a.name}</Link> <span className="muted">{t(`community.kind.${a.kind}`)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
