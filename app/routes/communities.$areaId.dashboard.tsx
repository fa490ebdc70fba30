import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BarChart } from "~/components/bar-chart";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { getDashboard } from "~/modules/matters/outcomes/dashboard.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";
import { TableWrap } from "~/components/table-wrap";

export const meta = titleMeta("dashboard.title", (d) => ({ area: (d as { area?: { name: string } })?.area?.name ?? "" }));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  return json(await loaderGuard(() => getDashboard(commandContext(context), id)));
}

export default function Dashboard() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const days = (v: number | null) => (v === null ? t("dashboard.none") : t("dashboard.days", { days: v }));
  const rollUp = d.area.kind !== "community";
  const stateBars = d.states
    .filter((s) => (d.total.byState[s] ?? 0) > 0)
    .map((s) => ({ label: t(`matters.state.${s}`), value: d.total.byState[s] ?? 0, text: String(d.total.byState[s] ?? 0) }));
  return (
    <>
      <p>
        <Link to={`/communities/${d.area.id}`}>{d.area.name}</Link>
      </p>
      <h1>{t("dashboard.title", { area: d.area.name })}</h1>
      <p>{t("dashboard.intro", { date: d.today })}</p>
      {d.area.kind === "community" ? (
        <p>
          <Link to={`/communities/${d.area.id}/ledger`}>{t("ledgerView.title", { area: d.area.name })}</Link>
        </p>
      ) : null}
      <dl className="figures">
        <div>
          <dt>{t("dashboard.matters")}</dt>
          <dd>{d.total.matters}</dd>
        </div>
        <div>
          <dt>{t("dashboard.toDecision")}</dt>
          <dd>
            {days(d.total.medianDaysToDecision)} <span className="muted">{t("dashboard.basedOn", { count: d.total.decidedCount })}</span>
          </dd>
        </div>
        <div>
          <dt>{t("dashboard.toCompletion")}</dt>
          <dd>
            {days(d.total.medianDaysToCompletion)} <span className="muted">{t("dashboard.basedOn", { count: d.total.completedCount })}</span>
          </dd>
        </div>
        <div>
          <dt>{t("dashboard.overdue")}</dt>
          <dd>{d.total.overdue}</dd>
        </div>
        <div>
          <dt>{t("dashboard.satisfaction")}</dt>
          <dd>{d.total.ratingAverage === null ? t("dashboard.none") : t("dashboard.satisfactionValue", { average: d.total.ratingAverage, count: d.total.ratingCount })}</dd>
        </div>
        <div id="dashboard-objections">
          <dt>{t("oversight.figure")}</dt>
          <dd>
            {t("oversight.figureValue", { open: d.total.objectionsOpen })}{" "}
            {d.total.objectionsOverdue ? <strong className="tag overdue">{t("oversight.overdueFlag", { count: d.total.objectionsOverdue })}</strong> : null}
          </dd>
        </div>
      </dl>

      <h2>{t("dashboard.byState")}</h2>
      {stateBars.length ? <BarChart title={t("dashboard.chartByState")} bars={stateBars} headers={[t("dashboard.state"), t("dashboard.count")]} /> : <p>{t("dashboard.none")}</p>}

      {rollUp ? (
        <>
          <h2>{t("dashboard.perCommunity")}</h2>
          <BarChart
            title={t("dashboard.chartDecision")}
            bars={d.communities.map((c) => ({ label: c.name, value: c.medianDaysToDecision, text: days(c.medianDaysToDecision) }))}
            headers={[t("dashboard.community"), t("dashboard.toDecision")]}
          />
          <BarChart
            title={t("dashboard.chartSatisfaction")}
            max={5}
            bars={d.communities.map((c) => ({ label: c.name, value: c.ratingAverage, text: c.ratingAverage === null ? t("dashboard.none") : String(c.ratingAverage) }))}
            headers={[t("dashboard.community"), t("dashboard.satisfaction")]}
          />
          <TableWrap label={t("dashboard.perCommunity")}>
            <table>
              <caption className="visually-hidden">{t("dashboard.perCommunity")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.community")}</th>
                  <th scope="col">{t("dashboard.matters")}</th>
                  <th scope="col">{t("dashboard.toDecision")}</th>
                  <th scope="col">{t("dashboard.toCompletion")}</th>
                  <th scope="col">{t("dashboard.overdue")}</th>
                  <th scope="col">{t("dashboard.satisfaction")}</th>
                  <th scope="col">{t("oversight.overdueColumn")}</th>
                </tr>
              </thead>
              <tbody>
                {d.communities.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link to={`/communities/${c.id}/dashboard`}>{c.name}</Link>
                    </th>
                    <td>{c.matters}</td>
                    <td>{days(c.medianDaysToDecision)}</td>
                    <td>{days(c.medianDaysToCompletion)}</td>
                    <td>{c.overdue}</td>
                    <td>{c.ratingAverage === null ? t("dashboard.none") : t("dashboard.satisfactionValue", { average: c.ratingAverage, count: c.ratingCount })}</td>
                    <td>{c.objectionsOverdue ? <strong className="tag overdue">{c.objectionsOverdue}</strong> : 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}

      <h2 id="overdue">{t("dashboard.overdue")}</h2>
      {d.overdue.length ? (
        <>
          {d.overdueTruncated ? <p>{t("dashboard.overdueMore", { shown: d.overdue.length, count: d.total.overdue })}</p> : null}
          <ul className="card-list">
            {d.overdue.map((c) => (
              <li key={c.id}>
                <Link to={`/matters/${c.matterId}`}>{c.title}</Link> <span className="tag overdue">{t(`outcomes.status.${c.status}`)}</span>
                <br />
                {t("dashboard.matter")}: #{c.matterId} {c.matterTitle}
                {rollUp ? ` · ${c.communityName}` : ""} · {c.responsibleUnit} · {t("outcomes.due", { date: c.dueDate })} · {t("outcomes.progress", { progress: c.progress })}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t("dashboard.overdueNone")}</p>
      )}

      <h2>{t("dashboard.export")}</h2>
      <p>{t("dashboard.exportHint")}</p>
      <p className="actions">
        <a href={`/communities/${d.area.id}/dashboard.csv`} download>
          {t("dashboard.exportCsv")}
        </a>
        <a href={`/communities/${d.area.id}/dashboard.json`} download>
          {t("dashboard.exportJson")}
        </a>
      </p>
    </>
  );
}
