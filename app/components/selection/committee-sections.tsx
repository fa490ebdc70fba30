import { Link, useSearchParams } from "@remix-run/react";
import { errorsOf, IntentField, IntentForm, IntentSelect, type Reply } from "~/components/simple-form";
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { FIXED_SEAT_REASONS } from "~/modules/matters/selection/choices";
import { beijingLocalInput } from "~/modules/shared/beijing-time";
import type { PlanView, SelectionView } from "./types";

/** The committee's part before the draw: the plan, fixed seats, paper registrations, and computing the distribution. */
export function CommitteeSections({ s, data }: { s: SelectionView; data: Reply }) {
  const plan = s.plan;
  return (
    <>
      <PlanForm plan={plan} data={data} />
      {plan ? <FixedSeats s={s} data={data} /> : null}
      {plan && !s.deadlinePassed ? <PaperPool data={data} /> : null}
      {plan ? <Compute plan={plan} deadlinePassed={s.deadlinePassed} data={data} /> : null}
    </>
  );
}

function PlanForm({ plan, data }: { plan: PlanView | null; data: Reply }) {
  const t = useT();
  const errors = errorsOf(data, "plan");
  return (
    <section aria-labelledby="planform-h">
      <h2 id="planform-h">{t(plan ? "selection.editPlan" : "selection.setPlan")}</h2>
      <IntentForm intent="plan">
        <IntentField intent="plan" name="panelSize" label="selection.panelSize" hint="selection.panelSizeHint" type="number" errors={errors} defaultValue={String(plan?.panelSize ?? 15)} />
        <QuotaRows plan={plan} errors={errors} />
        <div className="field checkbox">
          <input type="checkbox" id="plan-onePerHousehold" name="onePerHousehold" defaultChecked={plan?.onePerHousehold ?? true} />
          <label htmlFor="plan-onePerHousehold">{t("selection.householdRule")}</label>
        </div>
        <IntentField
          intent="plan"
          name="registrationDeadline"
          label="selection.deadline"
          hint="selection.deadlineHint"
          type="datetime-local"
          errors={errors}
          defaultValue={plan ? beijingLocalInput(new Date(plan.registrationDeadline)) : undefined}
        />
        <IntentField intent="plan" name="responseDays" label="selection.responseDays" hint="selection.responseDaysHint" type="number" errors={errors} defaultValue={String(plan?.responseDays ?? 3)} />
        <button type="submit">{t("selection.savePlan")}</button>
      </IntentForm>
    </section>
  );
}

const QUOTA_COLUMNS = ["category", "value", "min", "max"] as const;

/**
 * The quotas as a repeating form: a row per value (类别, 选项, 最少, 最多), blank rows ignored,
 * more rows by a link (no JavaScript needed), or a paste from a spreadsheet, which wins.
 */
function QuotaRows({ plan, errors }: { plan: PlanView | null; errors: Record<string, string[]> }) {
  const t = useT();
  const [search] = useSearchParams();
  const existing = plan?.quotas ?? [];
  const more = Math.min(100, Math.max(0, Number(search.get("rows")) || 0));
  const count = Math.max(existing.length + 2, 5) + more;
  const err = errors.quotas?.[0];
  return (
    <fieldset className={`quota-rows${err ? " field--error" : ""}`} id="plan-quota-rows" aria-describedby={`plan-quotas-hint${err ? " plan-quotas-error" : ""}`}>
      <legend>{t("selection.quotas")}</legend>
      <p className="hint" id="plan-quotas-hint">
        {t("selection.quotasRowsHint")}
      </p>
      {err ? (
        <p className="field-error" id="plan-quotas-error">
          {t.msg(err)}
        </p>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              {QUOTA_COLUMNS.map((c) => (
                <th key={c} scope="col">
                  {t(`selection.quotaColumn.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: count }, (_, i) => {
              const q = existing[i];
              return (
                <tr key={i}>
                  {QUOTA_COLUMNS.map((c) => (
                    <td key={c}>
                      <input
                        name={`quotaRows[${i}].${c}`}
                        id={i === 0 && c === "category" ? "plan-quotas" : undefined}
                        aria-label={t("selection.quotaCell", { n: i + 1, column: t(`selection.quotaColumn.${c}`) })}
                        inputMode={c === "min" || c === "max" ? "numeric" : undefined}
                        defaultValue={q ? String(q[c]) : undefined}
                      />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p>
        <Link to={`?rows=${more + 5}#plan-quota-rows`} preventScrollReset>
          {t("selection.quotaMoreRows")}
        </Link>
      </p>
      <details>
        <summary>{t("selection.quotasPaste")}</summary>
        <div className="field">
          <label htmlFor="plan-quotas-paste">{t("selection.quotasPasteLabel")}</label>
          <p className="hint" id="plan-quotas-paste-hint">
            {t("selection.quotasPasteHint")}
          </p>
          <textarea id="plan-quotas-paste" name="quotas" rows={5} aria-describedby="plan-quotas-paste-hint" />
        </div>
      </details>
    </fieldset>
  );
}


function FixedSeats({ s, data }: { s: SelectionView; data: Reply }) {
  const t = useT();
  const errors = errorsOf(data, "seat");
  return (
    <section aria-labelledby="seats-h">
      <h2 id="seats-h">{t("selection.fixedSeats")}</h2>
      <p className="hint">{t("selection.fixedSeatsHint")}</p>
      {s.fixedSeats.length ? (
        <ul className="plain">
          {s.fixedSeats.map((f) => (
            <li key={f.id}>
              {f.name} — {t(`selection.reason.${f.reason}` as MessageKey)}
              {f.note ? `（${f.note}）` : ""}
              <IntentForm intent="removeSeat" className="inline">
                <input type="hidden" name="seatId" value={f.id} />
                <button type="submit" className="secondary">
                  {t("selection.removeSeat", { name: f.name })}
                </button>
              </IntentForm>
            </li>
          ))}
        </ul>
      ) : null}
      <IntentForm intent="seat">
        <IntentField intent="seat" name="name" label="selection.seatName" errors={errors} />
        <IntentSelect
          intent="seat"
          name="reason"
          label="selection.seatReason"
          errors={errors}
          options={[{ value: "", label: t("form.choose") }, ...FIXED_SEAT_REASONS.map((r) => ({ value: r, label: t(`selection.reason.${r}` as MessageKey) }))]}
        />
        <IntentField intent="seat" name="login" label="selection.seatLogin" hint="selection.seatLoginHint" required={false} errors={errors} />
        <IntentField intent="seat" name="note" label="selection.seatNote" required={false} errors={errors} />
        <button type="submit">{t("selection.addSeat")}</button>
      </IntentForm>
    </section>
  );
}

function PaperPool({ data }: { data: Reply }) {
  const t = useT();
  return (
    <section aria-labelledby="paper-h">
      <h2 id="paper-h">{t("selection.paperHeading")}</h2>
      <IntentForm intent="pool">
        <IntentField intent="pool" name="pool" label="selection.paperField" hint="selection.paperHint" textarea errors={errorsOf(data, "pool")} />
        <button type="submit" className="secondary">
          {t("selection.paperUpload")}
        </button>
      </IntentForm>
    </section>
  );
}

function Compute({ plan, deadlinePassed, data }: { plan: PlanView; deadlinePassed: boolean; data: Reply }) {
  const t = useT();
  const active = plan.solveRun?.status === "queued" || plan.solveRun?.status === "running";
  return (
    <section aria-labelledby="compute-h">
      <h2 id="compute-h">{t("selection.computeHeading")}</h2>
      <p className="hint">{t("selection.computeHint")}</p>
      {active ? null : deadlinePassed ? (
        <IntentForm intent="compute">
          <IntentField
            intent="compute"
            name="budgetSeconds"
            label="selection.budget"
            hint="selection.budgetHint"
            required={false}
            defaultValue={plan.solveRun ? String(plan.solveRun.budgetSeconds) : undefined}
            errors={errorsOf(data, "compute")}
          />
          <button type="submit">{t(plan.status === "computed" ? "selection.recompute" : "selection.compute")}</button>
        </IntentForm>
      ) : (
        <>
          <p>{t("selection.computeAfterDeadline")}</p>
          <IntentForm intent="closeRegistration">
            <button type="submit" className="secondary">
              {t("selection.closeRegistration")}
            </button>
          </IntentForm>
        </>
      )}
    </section>
  );
}
