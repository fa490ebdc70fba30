import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import volunteerStyles from "~/components/volunteers.css";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { getHonourBoard, getVolunteerDashboard } from "~/modules/volunteers/dashboard.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${translate(locale, "volunteers.dashboard.title", { area: data?.dashboard.area.name ?? "" })} — ${translate(locale, "app.name")}` }];
};
export const links = () => [{ rel: "stylesheet", href: volunteerStyles }];

/** Public: counts and charts only; the honour board lists only volunteers who opted in. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  const ctx = commandContext(context);
  const dashboard = await loaderGuard(() => getVolunteerDashboard(ctx, id));
  return json({ dashboard, honour: await getHonourBoard(ctx, id) });
}

/** Share of residents per community as horizontal bars, with the 15% target as a dashed line. */
function ShareChart({ rows, label }: { rows: { name: string; percent: number }[]; label: string }) {
  const max = Math.max(20, ...rows.map((r) => r.percent));
  const width = 560;
  const left = 140;
  const bar = 22;
  const height = rows.length * (bar + 8) + 24;
  const x = (p: number) => left + ((width - left - 40) * p) / max;
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {rows.map((r, i) => (
        <g key={r.name} transform={`translate(0 ${i * (bar + 8)})`}>
          <text x={left - 6} y={bar - 6} textAnchor="end">
            {r.name}
          </text>
          <rect x={left} y={0} width={Math.max(1, x(r.percent) - left)} height={bar} fill={r.percent >= 15 ? "#00703c" : "#1d70b8"} />
          <text x={x(r.percent) + 4} y={bar - 6}>
            {r.percent}%
          </text>
        </g>
      ))}
      <line x1={x(15)} x2={x(15)} y1={0} y2={height - 20} stroke="#a4161a" strokeDasharray="4 3" />
      <text x={x(15)} y={height - 6} textAnchor="middle">
        15%
      </text>
    </svg>
  );
}

function MonthChart({ rows, label }: { rows: { month: string; hours: number }[]; label: string }) {
  const max = Math.max(1, ...rows.map((r) => r.hours));
  const width = 560;
  const height = 200;
  const step = (width - 20) / rows.length;
  const y = (h: number) => 160 - (140 * h) / max;
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {rows.map((r, i) => (
        <g key={r.month}>
          <rect x={10 + i * step + 4} y={y(r.hours)} width={step - 8} height={160 - y(r.hours)} fill="#1d70b8" />
          <text x={10 + i * step + step / 2} y={y(r.hours) - 4} textAnchor="middle">
            {r.hours || ""}
          </text>
          <text x={10 + i * step + step / 2} y={180} textAnchor="middle">
            {r.month.slice(5)}
          </text>
        </g>
      ))}
    </svg>
  );
}

export default function VolunteerDashboard() {
  const t = useT();
  const { dashboard: d, honour } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to={`/communities/${d.area.id}`}>{d.area.name}</Link>
      </p>
      <h1>{t("volunteers.dashboard.title", { area: d.area.name })}</h1>
      <p>{t("volunteers.dashboard.target", { percent: Math.round(d.target * 100) })}</p>
      <p>{t("volunteers.dashboard.meeting", { count: d.totals.meeting, all: d.communities.length })}</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("volunteers.dashboard.community")}</th>
              <th scope="col">{t("volunteers.dashboard.residents")}</th>
              <th scope="col">{t("volunteers.dashboard.registered")}</th>
              <th scope="col">{t("volunteers.dashboard.share")}</th>
              <th scope="col">{t("volunteers.dashboard.status")}</th>
              <th scope="col">{t("volunteers.dashboard.active")}</th>
              <th scope="col">{t("volunteers.dashboard.party")}</th>
            </tr>
          </thead>
          <tbody>
            {d.communities.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/communities/${c.id}/volunteers`}>{c.name}</Link>
                </td>
                <td>{c.residents}</td>
                <td>{c.registered}</td>
                <td>{c.percent}%</td>
                <td>{c.meetsTarget ? t("volunteers.dashboard.meets") : t("volunteers.dashboard.notMet")}</td>
                <td>{c.active}</td>
                <td>{c.partyMembers}</td>
              </tr>
            ))}
            {d.communities.length > 1 ? (
              <tr>
                <th scope="row">{t("volunteers.dashboard.total")}</th>
                <td>{d.totals.residents}</td>
                <td>{d.totals.registered}</td>
                <td>{d.totals.percent}%</td>
                <td>{d.totals.meetsTarget ? t("volunteers.dashboard.meets") : t("volunteers.dashboard.notMet")}</td>
                <td>{d.totals.active}</td>
                <td>{d.totals.partyMembers}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <p className="muted">{t("volunteers.dashboard.activeHint")}</p>
      {d.communities.length ? <ShareChart rows={d.communities} label={t("volunteers.dashboard.chartShare")} /> : null}
      <h2>{t("volunteers.dashboard.hoursPerMonth")}</h2>
      <MonthChart rows={d.hoursPerMonth} label={t("volunteers.dashboard.hoursPerMonth")} />
      {/* the chart's text equivalent (issue 22): the same figures as a table */}
      <details>
        <summary>{t("chart.asTable")}</summary>
        <div className="table-wrap">
          <table>
            <caption>{t("volunteers.dashboard.hoursPerMonth")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("chart.month")}</th>
                <th scope="col">{t("chart.hours")}</th>
              </tr>
            </thead>
            <tbody>
              {d.hoursPerMonth.map((r) => (
                <tr key={r.month}>
                  <th scope="row">{r.month}</th>
                  <td>{r.hours}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      {d.canExport ? (
        <p>
          <a href={`/communities/${d.area.id}/volunteers/csv`} download>
            {t("volunteers.dashboard.export")}
          </a>
        </p>
      ) : null}
      {d.area.kind === "community" ? (
        <section aria-labelledby="honour-title">
          <h2 id="honour-title">{t("volunteers.dashboard.honour")}</h2>
          {honour.length ? (
            <ol>
              {honour.map((h) => (
                <li key={h.number}>
                  {t("volunteers.dashboard.honourLine", { name: h.name, hours: h.hours })}
                  {h.stars ? (
                    <span className="stars" aria-label={t("volunteers.starsValue", { stars: h.stars })}>
                      {" "}
                      {"★".repeat(h.stars)}
                    </span>
                  ) : null}
                </li>
              ))}
            </ol>
          ) : (
            <p>{t("volunteers.dashboard.honourNone")}</p>
          )}
        </section>
      ) : null}
    </>
  );
}
