import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { Confirmed, ConfirmStep } from "~/components/confirm-step";
import { Notice } from "~/components/forms";
import { PhotoField } from "~/components/photo-field";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { cancelActivity, cancelSignUp, getActivityPage, markAttendance, signUp } from "~/modules/volunteers/activities.server";
import { answerReport, confirmRecord, correctRecord, getActivityRecords } from "~/modules/volunteers/records.server";
import { beijingMinute } from "~/modules/shared/beijing-time";
import { AnswerReportSchema, CancelActivitySchema, ConfirmRecordSchema, CorrectRecordSchema, DeclareHoursSchema, DeclineRecordSchema, MarkAttendanceSchema } from "~/modules/volunteers/schemas";
import { declareHours } from "~/modules/volunteers/declare-hours.server";
import { declineRecord } from "~/modules/volunteers/decline-record.server";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${data?.activity.title ?? ""} — ${translate(locale, "app.name")}` }];
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.activityId);
  const ctx = commandContext(context);
  const page = await loaderGuard(() => getActivityPage(ctx, id));
  const records = page.isOrganizer ? await getActivityRecords(ctx, id) : null;
  return json({ ...page, records });
}

const Empty = /* @__PURE__ */ z.object({});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.activityId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  const done = (what = "done") => redirect(`/activities/${id}?done=${what}`);
  switch (intent) {
    case "signup":
      return formAction(request, Empty, async () => (await signUp(ctx, id), done()), intent);
    case "cancel":
      return formAction(request, Empty, async () => (await cancelSignUp(ctx, id), done()), intent);
    case "cancelActivity":
      return formAction(request, CancelActivitySchema, async (v) => (await cancelActivity(ctx, id, v.reason, v.confirm), done()), intent);
    case "mark":
      return formAction(request, MarkAttendanceSchema, async (v) => (await markAttendance(ctx, id, v), done()), intent);
    case "declare":
      return formAction(
        request,
        DeclareHoursSchema,
        async ({ photo, ...v }) => (await declareHours(ctx, id, { ...v, photo: photo ? new Uint8Array(await photo.arrayBuffer()) : undefined }), done("declared")),
        intent,
      );
  }
  if (/^decline-\d{1,9}$/.test(intent)) return formAction(request, DeclineRecordSchema, async (v) => (await declineRecord(ctx, v), done()), intent);
  if (/^confirm-\d{1,9}$/.test(intent)) return formAction(request, ConfirmRecordSchema, async (v) => (await confirmRecord(ctx, v), done()), intent);
  if (/^correct-\d{1,9}$/.test(intent)) return formAction(request, CorrectRecordSchema, async (v) => (await correctRecord(ctx, v), done()), intent);
  if (/^answer-\d{1,9}$/.test(intent)) return formAction(request, AnswerReportSchema, async (v) => (await answerReport(ctx, v), done()), intent);
  httpError(400, "errors.badRequest");
}

export default function ActivityPage() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const { activity: a, team, records } = page;
  const markErrors = errorsOf(data, "mark");
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to={`/teams/${team.id}`}>{team.name}</Link>
      </p>
      <h1>{a.title}</h1>
      {search.get("done") ? <Notice>{search.get("done") === "declared" ? t("volunteers.declare.done") : t("volunteers.activity.done")}</Notice> : null}
      <dl className="facts">
        <div>
          <dt>{t("volunteers.records.date")}</dt>
          <dd>{t("volunteers.activity.when", { start: t.time(a.startsAt), end: t.time(a.endsAt) })}</dd>
        </div>
        <div>
          <dt>{t("volunteers.activity.place")}</dt>
          <dd>{a.place}</dd>
        </div>
        <div>
          <dt>{t("volunteers.activity.content")}</dt>
          <dd>{a.content}</dd>
        </div>
        {a.skillsWanted ? (
          <div>
            <dt>{t("volunteers.activity.skillsWanted")}</dt>
            <dd>{a.skillsWanted}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("volunteers.activity.personInCharge")}</dt>
          <dd>{a.personInCharge}</dd>
        </div>
        <div>
          <dt>{t("volunteers.activity.capacity")}</dt>
          <dd>
            {t("volunteers.activity.places", { signedUp: page.signedUp, capacity: a.capacity })}
            {page.waitlisted ? ` · ${t("volunteers.activity.waitlist", { count: page.waitlisted })}` : ""}
          </dd>
        </div>
      </dl>

      {page.mySignup?.status === "signed_up" ? <Notice>{t("volunteers.activity.signedUp")}</Notice> : null}
      {page.mySignup?.status === "waitlisted" ? <Notice>{t("volunteers.activity.waitlisted", { rank: page.mySignup.rank ?? 0 })}</Notice> : null}
      {page.myAttendance ? (
        <p>
          {t("volunteers.activity.myAttendance", {
            in: t.time(page.myAttendance.checkInAt),
            out: page.myAttendance.checkOutAt ? t.time(page.myAttendance.checkOutAt) : t("volunteers.activity.notYet"),
          })}
        </p>
      ) : null}
      {a.status === "cancelled" ? (
        <div className="notice" role="status">
          <p>{t("volunteers.activity.cancelled")}</p>
        </div>
      ) : !page.open ? (
        <p>{t("volunteers.activity.closed")}</p>
      ) : null}
      <div className="actions">
        {page.open && page.isVolunteer && !page.mySignup ? (
          <IntentForm intent="signup" className="inline-form">
            <button type="submit">{t("volunteers.activity.signUp")}</button>
          </IntentForm>
        ) : null}
        {page.open && page.mySignup && !page.started ? (
          <IntentForm intent="cancel" className="inline-form">
            <button type="submit" className="secondary">
              {t("volunteers.activity.cancel")}
            </button>
          </IntentForm>
        ) : null}
        {page.mySignup?.status === "signed_up" && page.checkinOpen ? (
          <Link className="button" to={`/activities/${a.id}/checkin`}>
            {t("volunteers.activity.checkin")}
          </Link>
        ) : null}
      </div>
      {page.myRecord?.status === "declined" && page.myRecord.declineReason ? <p className="notice">{t("volunteers.records.declinedBecause", { reason: page.myRecord.declineReason })}</p> : null}
      {page.canDeclare ? (
        <details open={Object.keys(errorsOf(data, "declare")).length > 0}>
          <summary>{t("volunteers.declare.title")}</summary>
          <p>{t("volunteers.declare.intro")}</p>
          <IntentForm intent="declare" encType="multipart/form-data">
            <IntentField intent="declare" name="hours" label="volunteers.declare.hours" hint="volunteers.declare.hoursHint" errors={errorsOf(data, "declare")} />
            <IntentField intent="declare" name="note" label="volunteers.declare.note" hint="volunteers.declare.noteHint" errors={errorsOf(data, "declare")} textarea />
            <PhotoField intent="declare" label="volunteers.declare.photo" errors={errorsOf(data, "declare")} />
            <button type="submit">{t("volunteers.declare.submit")}</button>
          </IntentForm>
        </details>
      ) : null}
      {page.open && !page.isVolunteer ? (
        <p>
          {t("volunteers.activity.registerFirst")} <Link to="/volunteers/register">{t("volunteers.registerLink")}</Link>
        </p>
      ) : null}

      {page.isOrganizer && page.open ? (
        <ConfirmStep what="cancelActivity" label={t("volunteers.activity.cancelActivity")} consequence={t("volunteers.activity.cancelConsequence")}>
          <IntentForm intent="cancelActivity">
            <IntentField intent="cancelActivity" name="reason" label="volunteers.activity.cancelReason" hint="volunteers.activity.cancelHint" errors={errorsOf(data, "cancelActivity")} />
            <Confirmed />
            <button type="submit" className="warning">
              {t("confirm.do", { action: t("volunteers.activity.cancelActivity") })}
            </button>
          </IntentForm>
        </ConfirmStep>
      ) : null}
      {page.isOrganizer && records ? (
        <>
          <section aria-labelledby="code-title">
            <h2 id="code-title">{t("volunteers.activity.codeTitle")}</h2>
            <p>
              <Link className="button" to={`/activities/${a.id}/code`}>
                {t("volunteers.activity.codeTitle")}
              </Link>
            </p>
          </section>
          <section aria-labelledby="roster-title">
            <h2 id="roster-title">{t("volunteers.activity.roster")}</h2>
            <ol>
              {page.roster.map((s) => (
                <li key={s.volunteerId}>
                  {s.name} <span className="muted">{s.number}</span>
                  {s.status === "waitlisted" ? ` · ${t("volunteers.activity.rosterWaitlisted", { position: s.position ?? 0 })}` : ""}
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="attendance-title">
            <h2 id="attendance-title">{t("volunteers.activity.attendance")}</h2>
            {records.attendance.length ? (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("volunteers.activity.volunteer")}</th>
                      <th scope="col">{t("volunteers.activity.checkInAt")}</th>
                      <th scope="col">{t("volunteers.activity.checkOutAt")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {records.attendance.map((r) => (
                      <tr key={r.volunteerId}>
                        <td>{r.name}</td>
                        <td>
                          {t.time(r.checkInAt)} <span className="muted">({t(`volunteers.activity.method.${r.checkInMethod}`)})</span>
                        </td>
                        <td>{r.checkOutAt ? t.time(r.checkOutAt) : t("volunteers.activity.notYet")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p>{t("volunteers.activity.noAttendance")}</p>
            )}
            <p>
              <Link className="button" to={`/activities/${a.id}/group`}>
                {t("volunteers.group.link")}
              </Link>{" "}
              <Link className="button" to={`/activities/${a.id}/scan`}>
                {t("volunteers.scan.link")}
              </Link>
            </p>
            <details open={Object.keys(markErrors).length > 0}>
              <summary>{t("volunteers.activity.manual")}</summary>
              <IntentForm intent="mark">
                <div className={`field${markErrors.volunteerId ? " field--error" : ""}`}>
                  <label htmlFor="mark-volunteerId">{t("volunteers.activity.volunteer")}</label>
                  {markErrors.volunteerId ? (
                    <p className="field-error" id="mark-volunteerId-error">
                      {t.msg(markErrors.volunteerId[0])}
                    </p>
                  ) : null}
                  <select id="mark-volunteerId" name="volunteerId" aria-describedby={markErrors.volunteerId ? "mark-volunteerId-error" : undefined}>
                    {page.roster
                      .filter((s) => s.status === "signed_up")
                      .map((s) => (
                        <option key={s.volunteerId} value={s.volunteerId}>
                          {s.name} {s.number}
                        </option>
                      ))}
                  </select>
                </div>
                <IntentField intent="mark" name="checkInAt" label="volunteers.activity.checkInAt" hint="volunteers.activity.timeHint" errors={markErrors} defaultValue={beijingMinute(new Date(a.startsAt))} />
                <IntentField intent="mark" name="checkOutAt" label="volunteers.activity.checkOutAt" hint="volunteers.activity.timeHint" errors={markErrors} required={false} />
                <button type="submit">{t("volunteers.activity.markSubmit")}</button>
              </IntentForm>
            </details>
          </section>
          <section aria-labelledby="records-title">
            <h2 id="records-title">{t("volunteers.activity.records")}</h2>
            <p>{t("volunteers.activity.deadline", { date: records.deadline })}</p>
            {records.records.length === 0 ? <p>{t("volunteers.activity.noRecords")}</p> : null}
            <ul className="card-list">
              {records.records.map((r) => {
                const confirm = `confirm-${r.id}`;
                const correct = `correct-${r.id}`;
                const cErr = errorsOf(data, confirm);
                const fixErr = errorsOf(data, correct);
                const openReport = r.reports.find((p) => p.status === "open");
                const answer = openReport ? `answer-${openReport.id}` : "";
                const aErr = errorsOf(data, answer);
                return (
                  <li key={r.id}>
                    <strong>{r.name}</strong> <span className="muted">{r.number}</span> · {t("volunteers.hoursValue", { hours: r.hours })}{" "}
                    <span className="tag">{t(`volunteers.records.status.${r.status}`)}</span> <span className="muted">{t("volunteers.records.methodLabel", { method: t(`volunteers.records.method.${r.method}`) })}</span> {r.late ? <span className="tag overdue">{r.lateDays ? t("volunteers.records.lateDays", { days: r.lateDays }) : t("volunteers.records.late")}</span> : null}
                    {r.evaluation ? <p>{t("volunteers.records.evaluation")}：{r.evaluation}</p> : null}
                    {r.note ? <p>{t("volunteers.records.declaredNote", { note: r.note })}</p> : null}
                    {r.hasPhoto ? (
                      <p>
                        <a href={`/declaration-photos/${r.id}`}>{t("volunteers.declare.photoLink", { name: r.name })}</a>
                      </p>
                    ) : null}
                    {r.declineReason ? <p>{t("volunteers.records.declinedBecause", { reason: r.declineReason })}</p> : null}
                    {r.method === "auto" && r.status === "proposed" ? <p className="notice">{t("volunteers.records.autoFlag")}</p> : null}
                    {r.corrections.length ? (
                      <ol className="timeline">
                        {r.corrections.map((c) => (
                          <li key={c.id}>
                            <span className="muted">{t.time(c.correctedAt)}</span>{" "}
                            {c.reason === "confirm"
                              ? t("volunteers.records.correctionConfirm", { old: c.oldValue ?? "", new: c.newValue ?? "" })
                              : t("volunteers.records.correction", { old: c.oldValue ?? "", new: c.newValue ?? "", reason: c.reason })}
                          </li>
                        ))}
                      </ol>
                    ) : null}
                    {openReport ? <p className="notice">{t("volunteers.records.reportStatus.open", { reason: openReport.reason })}</p> : null}
                    {r.own ? (
                      <p className="muted">{t("volunteers.activity.ownRecord")}</p>
                    ) : (
                      <>
                        {r.status === "proposed" ? (
                          <IntentForm intent={confirm}>
                            <input type="hidden" name="recordId" value={r.id} />
                            <IntentField intent={confirm} name="hours" label="volunteers.activity.hours" hint="volunteers.activity.hoursHint" errors={cErr} defaultValue={String(r.hours)} />
                            <IntentField intent={confirm} name="evaluation" label="volunteers.activity.evaluation" errors={cErr} required={false} />
                            <button type="submit">{t("volunteers.activity.confirm")}</button>
                          </IntentForm>
                        ) : null}
                        {r.status === "proposed" && r.method === "declared" ? (
                          <details open={Object.keys(errorsOf(data, `decline-${r.id}`)).length > 0}>
                            <summary>{t("volunteers.activity.decline")}</summary>
                            <IntentForm intent={`decline-${r.id}`}>
                              <input type="hidden" name="recordId" value={r.id} />
                              <IntentField intent={`decline-${r.id}`} name="reason" label="volunteers.activity.declineReason" errors={errorsOf(data, `decline-${r.id}`)} textarea />
                              <button type="submit" className="warning">
                                {t("volunteers.activity.decline")}
                              </button>
                            </IntentForm>
                          </details>
                        ) : null}
                        {r.status === "confirmed" ? (
                        <details open={Object.keys(fixErr).length > 0 || !!openReport}>
                          <summary>{t("volunteers.activity.correct")}</summary>
                          <IntentForm intent={correct}>
                            <input type="hidden" name="recordId" value={r.id} />
                            {openReport ? <input type="hidden" name="reportId" value={openReport.id} /> : null}
                            <IntentField intent={correct} name="hours" label="volunteers.activity.hours" hint="volunteers.activity.hoursHint" errors={fixErr} defaultValue={String(r.hours)} />
                            <IntentField intent={correct} name="reason" label="volunteers.activity.correctReason" errors={fixErr} textarea />
                            <button type="submit">{t("volunteers.activity.correct")}</button>
                          </IntentForm>
                        </details>
                        ) : null}
                        {openReport ? (
                          <details open={Object.keys(aErr).length > 0}>
                            <summary>{t("volunteers.activity.answer")}</summary>
                            <IntentForm intent={answer}>
                              <input type="hidden" name="reportId" value={openReport.id} />
                              <IntentField intent={answer} name="answer" label="volunteers.activity.answerText" errors={aErr} textarea />
                              <button type="submit" className="secondary">
                                {t("volunteers.activity.answer")}
                              </button>
                            </IntentForm>
                          </details>
                        ) : null}
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        </>
      ) : null}
    </>
  );
}
