import { formatTime } from "~/i18n";
import { useT } from "~/i18n/use-t";
import type { SelectionView } from "./types";

/** The plan as everyone sees it: seats, deadline, household rule, pool size and the quotas with counts. */
export function PlanSummary({ s }: { s: SelectionView }) {
  const t = useT();
  const plan = s.plan;
  if (!plan) return <p>{t("selection.noPlanYet")}</p>;
  const fixedCount = s.fixedSeats.length;
  return (
    <section aria-labelledby="plan-h">
      <h2 id="plan-h">{t("selection.planHeading")}</h2>
      <dl className="facts">
        <dt>{t("selection.panelSize")}</dt>
        <dd>{t("selection.seats", { total: plan.panelSize, fixed: fixedCount, lottery: plan.panelSize - fixedCount })}</dd>
        <dt>{t("selection.deadline")}</dt>
        <dd>{formatTime(t.locale, plan.registrationDeadline)}</dd>
        <dt>{t("selection.household")}</dt>
        <dd>{t(plan.onePerHousehold ? "selection.householdYes" : "selection.householdNo")}</dd>
        <dt>{t("selection.poolSize")}</dt>
        <dd>
          {s.poolSize}
          {s.paperCount ? `（${t("selection.paperCount", { count: s.paperCount })}）` : ""}
        </dd>
      </dl>
      <table>
        <caption>{t("selection.quotasCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("selection.category")}</th>
            <th scope="col">{t("selection.value")}</th>
            <th scope="col">{t("selection.quotaRange")}</th>
            <th scope="col">{t("selection.registered")}</th>
          </tr>
        </thead>
        <tbody>
          {plan.quotas.map((q) => (
            <tr key={`${q.category}|${q.value}`}>
              <td>{q.category}</td>
              <td>{q.value}</td>
              <td>{t("selection.range", { min: q.min, max: q.max })}</td>
              <td>{s.counts[q.category]?.[q.value] ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
