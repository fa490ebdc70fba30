import { useEffect, useState } from "react";
import { IntentForm } from "~/components/simple-form";
import type { PlanView } from "~/components/selection/types";
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { getSocket } from "./socket";

type Progress = { iteration: number; min: number; dualBound: number; ms: number; leximinRound?: number | null };

/**
 * The latest computation of the distribution: queued, running (iterations, the smallest chance so
 * far, the bound it cannot exceed; pushed live to the page's watchers, and stored, so a page
 * without script shows it on refresh), or how the last one ended. The committee may cancel it.
 */
export function SolveRunStatus({ run, matterId, committee }: { run: NonNullable<PlanView["solveRun"]>; matterId: number; committee: boolean }) {
  const t = useT();
  const active = run.status === "queued" || run.status === "running";
  const [live, setLive] = useState<Progress | null>(null);
  useEffect(() => {
    if (!active) return;
    let off = () => {};
    void getSocket().then((s) => {
      const on = (m: Progress & { matterId: number }) => m.matterId === matterId && setLive(m);
      s.on("selection:progress", on);
      off = () => s.off("selection:progress", on);
    });
    return () => off();
  }, [active, matterId]);
  if (!active) {
    if (run.status === "cancelled") return <p className="notice">{t("selection.run.cancelled")}</p>;
    if (run.status === "failed") return <p className="notice warning">{t("selection.run.failed", { reason: t((run.error ?? "selection.errors.solverFailed") as MessageKey) })}</p>;
    return null;
  }
  const p = live ?? run.progress ?? null;
  return (
    <div className="notice" id="solve-run" data-status={run.status}>
      <p role="status" aria-live="polite">
        {run.status === "queued" ? t("selection.run.queued", { budget: run.budgetSeconds }) : t("selection.run.running", { budget: run.budgetSeconds })}{" "}
        {p ? t("selection.progress", { iteration: p.iteration, min: (p.min * 100).toFixed(2), bound: (p.dualBound * 100).toFixed(2) }) : null}{" "}
        {p ? t("selection.run.elapsed", { seconds: Math.round(p.ms / 1000) }) : null}{" "}
        {p?.leximinRound ? t("selection.run.leximinRound", { round: p.leximinRound }) : null}
        {run.cancelRequested ? ` ${t("selection.run.cancelRequested")}` : null}
      </p>
      <p>
        <a href={`/matters/${matterId}/selection`}>{t("selection.run.refresh")}</a>
      </p>
      {committee && !run.cancelRequested ? (
        <IntentForm intent="cancelCompute">
          <button type="submit" className="secondary">
            {t("selection.cancelCompute")}
          </button>
        </IntentForm>
      ) : null}
    </div>
  );
}
