import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { pct, type ReportView, type SelectionView } from "./types";

/** Quotas no panel can meet: which conflict, and the nearest relaxation that could. */
export function InfeasibleReport({ report }: { report: ReportView }) {
  const t = useT();
  const quotaLine = (q: { category: string; value: string; min: number; max: number }) => (
    <li key={`${q.category}|${q.value}`}>{t("selection.quotaLineText", { category: q.category, value: q.value, min: q.min, max: q.max })}</li>
  );
  return (
    <section aria-labelledby="infeasible-h" className="warning">
      <h2 id="infeasible-h">{t("selection.infeasibleHeading")}</h2>
      <p>{t(`selection.infeasible.${report.reason === "pool_too_small" ? "pool_too_small" : "quotas"}` as MessageKey, { pool: report.poolSize ?? 0 })}</p>
      {report.conflicts?.length ? (
        <>
          <p>{t("selection.conflicts")}</p>
          <ul>{report.conflicts.map(quotaLine)}</ul>
        </>
      ) : null}
      {report.relaxation?.length ? (
        <>
          <p>{t("selection.relaxation")}</p>
          <ul>{report.relaxation.map(quotaLine)}</ul>
        </>
      ) : null}
    </section>
  );
}

/** How fair the computed distribution is (min, mean, max chance); the committee also sees each registrant's. */
export function FairnessReport({ report, probabilities }: { report: ReportView; probabilities: SelectionView["probabilities"] }) {
  const t = useT();
  return (
    <section aria-labelledby="fair-h">
      <h2 id="fair-h">{t("selection.fairnessHeading")}</h2>
      <p>{t("selection.fairness", { min: pct(report.min), mean: pct(report.mean), max: pct(report.max) })}</p>
      {report.proves ? (
        <p id="proves" data-proves={report.proves}>
          {t(`selection.proves.${report.proves}` as MessageKey, { budget: report.budgetSeconds ?? 0, rounds: report.leximin?.rounds ?? 0, min: pct(report.min), bound: pct(report.dualBound) })}
        </p>
      ) : null}
      <p className="hint">{t(report.optimal ? "selection.optimal" : "selection.notOptimal", { bound: pct(report.dualBound) })}</p>
      {report.excluded?.length ? <p>{t("selection.excluded", { count: report.excluded.length })}</p> : null}
      {probabilities ? (
        <details>
          <summary>{t("selection.probabilities")}</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("selection.pseudonym")}</th>
                <th scope="col">{t("selection.name")}</th>
                <th scope="col">{t("selection.probability")}</th>
                <th scope="col">{t("selection.why")}</th>
              </tr>
            </thead>
            <tbody>
              {probabilities.map((p) => (
                <tr key={p.pseudonym}>
                  <td>{p.pseudonym}</td>
                  <td>{p.name}</td>
                  <td>{pct(p.probability)}</td>
                  <td>{p.excluded ? t(`selection.excludedReason.${p.excluded}` as MessageKey) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}
