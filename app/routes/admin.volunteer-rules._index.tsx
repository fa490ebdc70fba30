import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { titleMeta } from "~/i18n/meta";
import { listRulesAreas } from "~/modules/volunteers/volunteer-rules.server";
import { commandContext, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.rules.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  const list = await loaderGuard(() => listRulesAreas(commandContext(context)));
  return json({ areas: list.map((a) => ({ id: a.id, name: a.name, kind: a.kind, depth: a.path.split("/").filter(Boolean).length - 1 })) });
}

export default function VolunteerRulesIndex() {
  const t = useT();
  const { areas } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("volunteers.rules.title")}</h1>
      <p>{t("volunteers.rules.intro")}</p>
      {areas.length ? (
        <ul className="card-list area-tree">
          {areas.map((a) => (
            <li key={a.id} className={`depth-${a.depth}`}>
              <Link to={`/admin/volunteer-rules/${a.id}`}>{a.name}</Link> <span className="muted">{t(`community.kind.${a.kind}`)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("volunteers.rules.none")}</p>
      )}
    </>
  );
}
