import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, useSchemaForm } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { can } from "~/modules/accounts/permissions";
import { getArea } from "~/modules/communities/communities.server";
import { createCategory, listCategories } from "~/modules/matters/catalogue.server";
import { CategorySchema } from "~/modules/matters/schemas";
import { commandContext, formAction, httpError, idFromParams, requireActor } from "~/web/http.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("categories.title");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  const area = await getArea(context.db, id);
  if (!area) httpError(404, "errors.areaNotFound");
  const all = await listCategories(context.db, area.path);
  return json({
    area: { id: area.id, name: area.name },
    inherited: all.filter((c) => c.areaId !== id),
    local: all.filter((c) => c.areaId === id),
    canAdd: can(context.actor, "category.create", { type: "area", id: area.id, path: area.path, kind: area.kind }),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  return formAction(request, CategorySchema, async (value) => {
    const c = await createCategory(commandContext(context), id, value);
    return { added: c.name };
  });
}

export default function Categories() {
  const t = useT();
  const { area, inherited, local, canAdd } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(CategorySchema, data?.result, "category");
  const name = (c: { name: string; nameEn: string | null }) => (t.locale === "en" && c.nameEn ? c.nameEn : c.name);
  return (
    <>
      <ErrorSummary form={form} fields={[fields.name, fields.nameEn]} />
      <p>
        <Link to={`/communities/${area.id}`}>{area.name}</Link>
      </p>
      <h1>
        {t("categories.title")}：{area.name}
      </h1>
      {data && "added" in data ? <Notice>{t("categories.added", { name: String(data.added) })}</Notice> : null}
      <h2>{t("categories.inherited")}</h2>
      <ul className="card-list">
        {inherited.map((c) => (
          <li key={c.id}>
            {name(c)} <span className="muted">{c.areaName}</span>
          </li>
        ))}
      </ul>
      <h2>{t("categories.local")}</h2>
      <ul className="card-list">
        {local.map((c) => (
          <li key={c.id}>{name(c)}</li>
        ))}
      </ul>
      {canAdd ? (
        <>
          <h2>{t("categories.add")}</h2>
          <Form method="post" {...getFormProps(form)}>
            <Field field={fields.name} label="categories.name" />
            <Field field={fields.nameEn} label="categories.nameEn" optional />
            <button type="submit">{t("categories.add")}</button>
          </Form>
        </>
      ) : null}
    </>
  );
}
