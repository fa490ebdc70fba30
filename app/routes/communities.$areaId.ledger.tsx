import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { listCommunityLedger } from "~/modules/communities/ledger-view.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("ledgerView.title", (d) => ({ area: (d as { area?: { name: string } })?.area?.name ?? "" }));

/** The community's ledger for its committee, the admins above and its supervision committee (issue 19). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  return json(await loaderGuard(() => listCommunityLedger(commandContext(context), id)));
}

export default function CommunityLedger() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to={`/communities/${d.area.id}`}>{d.area.name}</Link>
      </p>
      <h1>{t("ledgerView.title", { area: d.area.name })}</h1>
      <p className="hint">{t("ledgerView.hint")}</p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t("ledgerView.title", { area: d.area.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("admin.ledgerTime")}</th>
              <th scope="col">{t("admin.ledgerAction")}</th>
              <th scope="col">{t("admin.ledgerEntity")}</th>
              <th scope="col">{t("ledgerView.summary")}</th>
            </tr>
          </thead>
          <tbody>
            {d.entries.map((e) => (
              <tr key={e.id}>
                <td>{t.time(e.at)}</td>
                <td>{e.action}</td>
                <td>
                  #{e.seq} · {e.entity}
                </td>
                <td>
                  <code>{e.summary}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
