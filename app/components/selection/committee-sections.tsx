import { errorsOf, IntentField, IntentForm, IntentSelect, type Reply } from "~/components/simple-form";
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { FIXED_SEAT_REASONS, quotasToText } from "~/modules/matters/selection/schemas";
import { beijingLocalInput } from "~/modules/shared/beijing-time";
import { SolverProgress } from "~/realtime/solver-progress";
import type { PlanView, SelectionView } from "./types";

/** The committee's part before the draw: the plan, fixed seats, paper registrations, and computing the distribution. */
export function CommitteeSections({ s, matterId, data }: { s: SelectionView; matterId: number; data: Reply }) {
  const plan = s.plan;
  return (
    <>
      <PlanForm plan={plan} data={data} />
      {plan ? <FixedSeats s={s} data={data} /> : null}
      {plan && !s.deadlinePassed ? <PaperPool data={data} /> : null}
      {plan ? <Compute plan={plan} deadlinePassed={s.deadlinePassed} matterId={matterId} /> : null}
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
        <IntentField intent="plan" name="quotas" label="selection.quotas" hint="selection.quotasHint" textarea errors={errors} defaultValue={plan ? quotasToText(plan.quotas) : "category,value,min,max\n"} />
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

function Compute({ plan, deadlinePassed, matterId }: { plan: PlanView; deadlinePassed: boolean; matterId: number }) {
  const t = useT();
  return (
    <section aria-labelledby="compute-h">
      <h2 id="compute-h">{t("selection.computeHeading")}</h2>
      <p className="hint">{t("selection.computeHint")}</p>
      {deadlinePassed ? (
        <IntentForm intent="compute">
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
      <SolverProgress matterId={matterId} />
    </section>
  );
}
