import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, IntentSelect, type Reply } from "~/components/simple-form";
import { formatTime, isMessageKey, type MessageKey } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { getMatterPage } from "~/modules/matters/matters.server";
import { PlanSchema } from "~/modules/matters/selection/plan-schema.server";
import { EntropySchema, FIXED_SEAT_REASONS, FixedSeatSchema, MemberAnswerSchema, PaperPoolSchema, quotasToText, registrationSchema } from "~/modules/matters/selection/schemas";
import {
  addFixedSeat,
  answerInvitation,
  closeRegistration,
  computeDistribution,
  drawPanelForMatter,
  getSelectionPage,
  registerInterest,
  removeFixedSeat,
  savePlan,
  uploadPaperPool,
  withdrawInterest,
} from "~/modules/matters/selection/selection.server";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/modules/shared/http.server";
import { idParam } from "~/modules/shared/validation";
import { useLiveSelection } from "~/realtime/live-selection";
import { SolverProgress } from "~/realtime/solver-progress";

export const meta = titleMeta("selection.title", (d) => ({ title: (d as { matter?: { title: string } })?.matter?.title ?? "" }));

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  const ctx = commandContext(context);
  const page = await loaderGuard(() => getMatterPage(ctx, id));
  if (page.matter.form !== "panel") httpError(404, "errors.notFound");
  const selection = await loaderGuard(() => getSelectionPage(ctx, id));
  return json({ matter: { id: page.matter.id, title: page.matter.title, state: page.matter.state }, selection, signedIn: !!context.actor });
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(2)}%`);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  const back = (done: string) => redirect(`/matters/${id}/selection?done=${done}`);
  switch (intent) {
    case "plan":
      return formAction(request, PlanSchema, async (v) => (await savePlan(ctx, id, v), back("plan")), intent);
    case "seat":
      return formAction(request, FixedSeatSchema, async (v) => (await addFixedSeat(ctx, id, v), back("seat")), intent);
    case "removeSeat":
      return formAction(request, z.object({ seatId: idParam }), async (v) => (await removeFixedSeat(ctx, id, v.seatId), back("seat")), intent);
    case "register": {
      const page = await loaderGuard(() => getSelectionPage(ctx, id));
      if (!page.plan) httpError(409, "selection.errors.noPlan");
      return formAction(request, registrationSchema(page.plan.attributes), async (answers) => (await registerInterest(ctx, id, answers), back("register")), intent);
    }
    case "withdraw":
      return formAction(request, z.object({}), async () => (await withdrawInterest(ctx, id), back("withdraw")), intent);
    case "pool":
      return formAction(request, PaperPoolSchema, async (v) => (await uploadPaperPool(ctx, id, v.pool), back("pool")), intent);
    case "closeRegistration":
      return formAction(request, z.object({}), async () => (await closeRegistration(ctx, id), back("closeRegistration")), intent);
    case "compute":
      return formAction(request, z.object({}), async () => (await computeDistribution(ctx, id), back("compute")), intent);
    case "draw":
      return formAction(request, EntropySchema, async (v) => (await drawPanelForMatter(ctx, id, v.entropy), back("draw")), intent);
    case "answer":
      return formAction(request, MemberAnswerSchema, async (v) => (await answerInvitation(ctx, id, v.memberId, v.answer), back(v.answer)), intent);
    default:
      httpError(400, "errors.badRequest");
  }
}

export default function SelectionPage() {
  const t = useT();
  const { matter, selection: s, signedIn } = useLoaderData<typeof loader>();
  const deadlinePassed = s.deadlinePassed;
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const done = search.get("done");
  const plan = s.plan;
  const committee = s.viewer.committee;
  const open = plan && plan.status !== "drawn" && matter.state === "selecting";
  const report = s.report;
  const fixedCount = s.fixedSeats.length;
  const locale = t.locale;
  useLiveSelection(matter.id);
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to={`/matters/${matter.id}`}>
          #{matter.id} {matter.title}
        </Link>
      </p>
      <h1>{t("selection.title", { title: matter.title })}</h1>
      {done && isMessageKey(`selection.done.${done}`) ? <Notice>{t(`selection.done.${done}` as MessageKey)}</Notice> : null}
      <p>{t("selection.intro")}</p>

      {plan ? (
        <section aria-labelledby="plan-h">
          <h2 id="plan-h">{t("selection.planHeading")}</h2>
          <dl className="facts">
            <dt>{t("selection.panelSize")}</dt>
            <dd>{t("selection.seats", { total: plan.panelSize, fixed: fixedCount, lottery: plan.panelSize - fixedCount })}</dd>
            <dt>{t("selection.deadline")}</dt>
            <dd>{formatTime(locale, plan.registrationDeadline)}</dd>
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
      ) : (
        <p>{t("selection.noPlanYet")}</p>
      )}

      {/* residents: register interest */}
      {plan && open && !committee && signedIn ? (
        <section aria-labelledby="reg-h">
          <h2 id="reg-h">{t("selection.registerHeading")}</h2>
          {!s.viewer.verified ? (
            <p>{t("matters.errors.notVerified")}</p>
          ) : s.viewer.registration ? (
            <>
              <p>{t("selection.registeredAs", { id: s.viewer.registration.pseudonym })}</p>
              {!deadlinePassed ? (
                <IntentForm intent="withdraw">
                  <button type="submit" className="secondary">
                    {t("selection.withdraw")}
                  </button>
                </IntentForm>
              ) : null}
            </>
          ) : deadlinePassed ? (
            <p>{t("selection.errors.registrationClosed")}</p>
          ) : (
            <IntentForm intent="register">
              <p className="hint">{t("selection.registerHint")}</p>
              {plan.attributes.map((a, i) => (
                <IntentSelect
                  key={a.key}
                  intent="register"
                  name={`a${i}`}
                  labelText={a.label}
                  errors={errorsOf(data, "register")}
                  options={[{ value: "", label: t("form.choose") }, ...a.values.map((v) => ({ value: v, label: v }))]}
                />
              ))}
              <button type="submit">{t("selection.register")}</button>
            </IntentForm>
          )}
        </section>
      ) : null}
      {plan && open && !signedIn ? (
        <p>
          <Link to={`/login?next=/matters/${matter.id}/selection`}>{t("selection.signInToRegister")}</Link>
        </p>
      ) : null}

      {/* committee: plan, fixed seats, compute, draw */}
      {committee && matter.state === "selecting" && (!plan || plan.status !== "drawn") ? (
        <>
          <section aria-labelledby="planform-h">
            <h2 id="planform-h">{t(plan ? "selection.editPlan" : "selection.setPlan")}</h2>
            <IntentForm intent="plan">
              <IntentField intent="plan" name="panelSize" label="selection.panelSize" hint="selection.panelSizeHint" type="number" errors={errorsOf(data, "plan")} defaultValue={String(plan?.panelSize ?? 15)} />
              <IntentField
                intent="plan"
                name="quotas"
                label="selection.quotas"
                hint="selection.quotasHint"
                textarea
                errors={errorsOf(data, "plan")}
                defaultValue={plan ? quotasToText(plan.quotas) : "category,value,min,max\n"}
              />
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
                errors={errorsOf(data, "plan")}
                defaultValue={plan ? new Date(new Date(plan.registrationDeadline).getTime() + 8 * 3_600_000).toISOString().slice(0, 16) : undefined}
              />
              <IntentField intent="plan" name="responseDays" label="selection.responseDays" hint="selection.responseDaysHint" type="number" errors={errorsOf(data, "plan")} defaultValue={String(plan?.responseDays ?? 3)} />
              <button type="submit">{t("selection.savePlan")}</button>
            </IntentForm>
          </section>

          {plan ? (
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
                <IntentField intent="seat" name="name" label="selection.seatName" errors={errorsOf(data, "seat")} />
                <IntentSelect
                  intent="seat"
                  name="reason"
                  label="selection.seatReason"
                  errors={errorsOf(data, "seat")}
                  options={[{ value: "", label: t("form.choose") }, ...FIXED_SEAT_REASONS.map((r) => ({ value: r, label: t(`selection.reason.${r}` as MessageKey) }))]}
                />
                <IntentField intent="seat" name="login" label="selection.seatLogin" hint="selection.seatLoginHint" required={false} errors={errorsOf(data, "seat")} />
                <IntentField intent="seat" name="note" label="selection.seatNote" required={false} errors={errorsOf(data, "seat")} />
                <button type="submit">{t("selection.addSeat")}</button>
              </IntentForm>
            </section>
          ) : null}

          {plan && !deadlinePassed ? (
            <section aria-labelledby="paper-h">
              <h2 id="paper-h">{t("selection.paperHeading")}</h2>
              <IntentForm intent="pool">
                <IntentField intent="pool" name="pool" label="selection.paperField" hint="selection.paperHint" textarea errors={errorsOf(data, "pool")} />
                <button type="submit" className="secondary">
                  {t("selection.paperUpload")}
                </button>
              </IntentForm>
            </section>
          ) : null}
          {plan ? (
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
              <SolverProgress matterId={matter.id} />
            </section>
          ) : null}
        </>
      ) : null}

      {report && !report.feasible ? (
        <section aria-labelledby="infeasible-h" className="warning">
          <h2 id="infeasible-h">{t("selection.infeasibleHeading")}</h2>
          <p>{t(`selection.infeasible.${report.reason === "pool_too_small" ? "pool_too_small" : "quotas"}` as MessageKey, { pool: report.poolSize ?? 0 })}</p>
          {report.conflicts?.length ? (
            <>
              <p>{t("selection.conflicts")}</p>
              <ul>
                {report.conflicts.map((q) => (
                  <li key={`${q.category}|${q.value}`}>{t("selection.quotaLineText", { category: q.category, value: q.value, min: q.min, max: q.max })}</li>
                ))}
              </ul>
            </>
          ) : null}
          {report.relaxation?.length ? (
            <>
              <p>{t("selection.relaxation")}</p>
              <ul>
                {report.relaxation.map((q) => (
                  <li key={`${q.category}|${q.value}`}>{t("selection.quotaLineText", { category: q.category, value: q.value, min: q.min, max: q.max })}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      {report && report.feasible && plan && (plan.status === "computed" || plan.status === "drawn") ? (
        <section aria-labelledby="fair-h">
          <h2 id="fair-h">{t("selection.fairnessHeading")}</h2>
          <p>{t("selection.fairness", { min: pct(report.min), mean: pct(report.mean), max: pct(report.max) })}</p>
          <p className="hint">{t(report.optimal ? "selection.optimal" : "selection.notOptimal", { bound: pct(report.dualBound) })}</p>
          {report.excluded?.length ? <p>{t("selection.excluded", { count: report.excluded.length })}</p> : null}
          {s.probabilities ? (
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
                  {s.probabilities.map((p) => (
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
      ) : null}

      {plan && (plan.status === "computed" || plan.status === "drawn") && plan.commitment ? (
        <section aria-labelledby="verify-h">
          <h2 id="verify-h">{t("selection.publishedHeading")}</h2>
          <dl className="facts digest">
            <dt>{t("selection.algorithm")}</dt>
            <dd>{report?.algorithm}</dd>
            <dt>{t("selection.poolDigest")}</dt>
            <dd>
              <code>{plan.poolDigest}</code>
            </dd>
            <dt>{t("selection.distributionDigest")}</dt>
            <dd>
              <code>{plan.distributionDigest}</code>
            </dd>
            <dt>{t("selection.commitment")}</dt>
            <dd>
              <code>{plan.commitment}</code>
            </dd>
            {plan.status === "drawn" ? (
              <>
                <dt>{t("selection.entropy")}</dt>
                <dd>{plan.entropy}</dd>
                <dt>{t("selection.seed")}</dt>
                <dd>
                  <code>{plan.seed}</code>
                </dd>
              </>
            ) : null}
          </dl>
          {s.verification?.drawn ? (
            <p id="verification" data-ok={s.verification.ok ? "yes" : "no"}>
              {t(s.verification.ok ? "selection.verified" : "selection.notVerified")}
            </p>
          ) : null}
          <p>
            <a href={`/matters/${matter.id}/selection.json`} download>
              {t("selection.download")}
            </a>{" "}
            · <Link to="/selection/verify">{t("selection.verifyElsewhere")}</Link>
          </p>
          {committee && plan.status === "computed" && matter.state === "selecting" ? (
            <IntentForm intent="draw">
              <IntentField intent="draw" name="entropy" label="selection.entropy" hint="selection.entropyHint" errors={errorsOf(data, "draw")} />
              <button type="submit">{t("selection.draw")}</button>
            </IntentForm>
          ) : null}
        </section>
      ) : null}

      {s.members.length ? (
        <section aria-labelledby="panel-h">
          <h2 id="panel-h">{t("selection.panelHeading")}</h2>
          <p id="panel-count">{t("selection.acceptedCount", { accepted: s.accepted, size: plan?.panelSize ?? 0 })}</p>
          {s.full ? <p>{t("selection.full")}</p> : null}
          <ul className="plain" id="panel-members">
            {s.members.map((m) => (
              <li key={m.id} data-status={m.status}>
                <strong>{m.label}</strong> — {t(`selection.source.${m.source}` as MessageKey)} · {t(`selection.status.${m.status}` as MessageKey)}
                {m.status === "invited" ? ` · ${t("selection.respondBy", { by: formatTime(locale, m.respondBy) })}` : ""}
                {m.answerable ? (
                  <span className="actions">
                    <IntentForm intent="answer" className="inline">
                      <input type="hidden" name="memberId" value={m.id} />
                      <input type="hidden" name="answer" value="accept" />
                      <button type="submit">{t(m.mine ? "selection.accept" : "selection.acceptFor", { name: m.label })}</button>
                    </IntentForm>
                    <IntentForm intent="answer" className="inline">
                      <input type="hidden" name="memberId" value={m.id} />
                      <input type="hidden" name="answer" value="decline" />
                      <button type="submit" className="secondary">
                        {t(m.mine ? "selection.decline" : "selection.declineFor", { name: m.label })}
                      </button>
                    </IntentForm>
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
