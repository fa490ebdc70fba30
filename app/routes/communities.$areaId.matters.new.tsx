import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MatterForm } from "~/components/matter-form";
import { useT } from "~/i18n/use-t";
import { can } from "~/modules/accounts/permissions";
import { getAreaPage } from "~/modules/communities/communities.server";
import { listCategories } from "~/modules/matters/catalogue.server";
import { createDraft } from "~/modules/matters/proposals.server";
import { MatterDraftSchema } from "~/modules/matters/schemas";
import { commandContext, formAction, httpError, idFromParams, loaderGuard, requireActor } from "~/web/http.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("matters.proposeTitle");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  const actor = requireActor(context, request);
  const { area } = await loaderGuard(() => getAreaPage(commandContext(context), id));
  if (!can(actor, "matter.propose", { type: "area", id: area.id, path: area.path, kind: area.kind })) httpError(403, "matters.errors.notVerified");
  return json({ area: { id: area.id, name: area.name }, categories: await listCategories(context.db, area.path) });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  return formAction(request, MatterDraftSchema, async (value) => {
    const m = await createDraft(commandContext(context), id, value);
    return redirect(`/matters/${m.id}?saved=1`);
  });
}

export default function NewMatter() {
  const t = useT();
  const { area, categories } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <MatterForm
        lastResult={data?.result}
        categories={categories}
        submitLabel={t("matters.saveDraft")}
        header={
          <>
            <p>
              <Link to={`/communities/${area.id}/matters`}>{t("matters.listTitle", { community: area.name })}</Link>
            </p>
            <h1>{t("matters.proposeTitle")}</h1>
            <p>{t("matters.proposeIntro")}</p>
          </>
        }
      />
    </>
  );
}
