import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MatterForm } from "~/components/matter-form";
import { useT } from "~/i18n/use-t";
import { listCategories } from "~/modules/matters/catalogue.server";
import { updateDraft } from "~/modules/matters/proposals.server";
import { getMatterPage } from "~/modules/matters/queries.server";
import { MatterDraftSchema } from "~/modules/matters/schemas";
import { getArea } from "~/modules/communities/communities.server";
import { commandContext, formAction, httpError, idFromParams, loaderGuard, requireActor } from "~/web/http.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("matters.editTitle", (d) => ({ title: (d as { matter?: { title: string } })?.matter?.title ?? "" }));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  const page = await loaderGuard(() => getMatterPage(commandContext(context), id));
  if (!page.canEdit) httpError(409, "matters.errors.wrongState");
  const area = (await getArea(context.db, page.community.id))!;
  const m = page.matter;
  return json({
    matter: { id: m.id, title: m.title },
    defaults: { title: m.title, description: m.description, categoryId: String(m.categoryId), affectedArea: m.affectedArea, desiredOutcome: m.desiredOutcome },
    categories: await listCategories(context.db, area.path),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  return formAction(request, MatterDraftSchema, async (value) => {
    await updateDraft(commandContext(context), id, value);
    return redirect(`/matters/${id}?saved=1`);
  });
}

export default function EditMatter() {
  const t = useT();
  const { matter, defaults, categories } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <MatterForm
        lastResult={data?.result}
        defaults={defaults}
        categories={categories}
        submitLabel={t("matters.saveDraft")}
        header={
          <>
            <p>
              <Link to={`/matters/${matter.id}`}>#{matter.id}</Link>
            </p>
            <h1>{t("matters.editTitle", { title: matter.title })}</h1>
          </>
        }
      />
    </>
  );
}
