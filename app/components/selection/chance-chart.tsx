import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { pct, type SelectionView } from "./types";
import { TableWrap } from "~/components/table-wrap";

const ROW = 26;
const LABEL_W = 130;
const WIDTH = 360;

/**
 * The published distribution by answer: each answer's average chance as a bar, the even share as
 * a line. Drawn on the server as inline SVG (no script); the SVG is hidden from screen readers and
 * the same figures, with the quotas, follow in a visible table.
 */
export function ChanceChart({ chart }: { chart: NonNullable<SelectionView["chart"]> }) {
  const t = useT();
  const top = Math.max(chart.even, ...chart.rows.map((r) => r.max), 0.01);
  const barW = WIDTH - LABEL_W - 60;
  const height = chart.rows.length * ROW + 8;
  const evenX = LABEL_W + (chart.even / top) * barW;
  const label = (r: { category: string; value: string }) => `${r.category}: ${r.value}`;
  return (
    <section aria-labelledby="chance-chart-h">
      <h2 id="chance-chart-h">{t("selection.chart.heading")}</h2>
      <figure className="chart" aria-labelledby="chance-chart-caption">
        <figcaption id="chance-chart-caption">{t("selection.chart.caption", { even: pct(chart.even) })}</figcaption>
        <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" aria-hidden="true" focusable="false" preserveAspectRatio="xMinYMin meet">
          {chart.rows.map((r, i) => {
            const y = i * ROW + 4;
            const w = Math.max(r.mean > 0 ? 2 : 0, (r.mean / top) * barW);
            const text = label(r);
            return (
              <g key={text}>
                <text x={LABEL_W - 6} y={y + 16} textAnchor="end" fontSize="12" fill="currentColor">
                  {text.length > 12 ? `${text.slice(0, 11)}…` : text}
                </text>
                <rect x={LABEL_W} y={y + 4} width={w} height={ROW - 10} fill={r.effect === "raises" ? "#00703c" : r.effect === "lowers" ? "#d4351c" : "#1d70b8"} />
                <text x={LABEL_W + w + 4} y={y + 16} fontSize="12" fill="currentColor">
                  {pct(r.mean)}
                </text>
              </g>
            );
          })}
          <line x1={evenX} x2={evenX} y1={0} y2={height} stroke="currentColor" strokeDasharray="4 3" />
        </svg>
      </figure>
      <TableWrap label={t("selection.chart.tableCaption")}>
        <table>
          <caption>{t("selection.chart.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("selection.chart.answer")}</th>
              <th scope="col">{t("selection.chart.registrants")}</th>
              <th scope="col">{t("selection.chart.quota")}</th>
              <th scope="col">{t("selection.chart.mean")}</th>
              <th scope="col">{t("selection.chart.range")}</th>
              <th scope="col">{t("selection.chart.effect")}</th>
            </tr>
          </thead>
          <tbody>
            {chart.rows.map((r) => (
              <tr key={label(r)}>
                <th scope="row">{label(r)}</th>
                <td>{r.count}</td>
                <td>{r.quotaMin === null ? t("selection.chart.noQuota") : `${r.quotaMin}–${r.quotaMax}`}</td>
                <td>{pct(r.mean)}</td>
                <td>
                  {pct(r.min)} – {pct(r.max)}
                </td>
                <td>{t(`selection.effect.${r.effect}` as MessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
