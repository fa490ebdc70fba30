import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { getMyRecords, reportRecordError } from "~/modules/volunteers/records.server";
import { ReportErrorSchema } from "~/modules/volunteers/schemas";
import { commandContext, formAction, httpError, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.records.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  return json(await loaderGuard(() => getMyRecords(commandContext(context))));
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  const intent = await intentOf(request);
  if (!/^report-\d{1,9}$/.test(intent)) httpError(400, "errors.badRequest");
  return formAction(request, ReportErrorSchema, async (v) => {
    await reportRecordError(commandContext(context), v);
    return redirect("/volunteers/records?reported=1");
  }, intent);
}

export default function MyRecords() {
  const t = useT();
  const { records, confirmedHours, stars, imported, importedHours, training, honours } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to="/volunteers">{t("volunteers.profile.title")}</Link>
      </p>
      <h1>{t("volunteers.records.title")}</h1>
      {search.get("reported") ? <Notice>{t("volunteers.records.reported")}</Notice> : null}
      <p>
        {t("volunteers.profile.hours")}：{t("volunteers.hoursValue", { hours: confirmedHours })}
        {stars ? ` · ${t("volunteers.starsValue", { stars })}` : ""}
      </p>
      <p>
        {t("volunteers.export.download")} <a href="/volunteers/export.json" download>{t("volunteers.export.json")}</a> · <a href="/volunteers/export.csv" download>{t("volunteers.export.csvLink")}</a>{" "}
        <span className="muted">{t("volunteers.export.hint")}</span>
      </p>
      {records.length === 0 ? <p>{t("volunteers.records.none")}</p> : null}
      <ul className="card-list">
        {records.map((r) => {
          const intent = `report-${r.id}`;
          const errors = errorsOf(data, intent);
          const open = r.reports.some((p) => p.status === "open");
          return (
            <li key={r.id}>
              <h2 className="item-title">{r.title}</h2> <span className="tag">{t(`volunteers.records.status.${r.status}`)}</span>{" "}
              <span className="muted">{t("volunteers.records.methodLabel", { method: t(`volunteers.records.method.${r.method}`) })}</span>{" "}
              {r.late ? <span className="tag overdue">{r.lateDays ? t("volunteers.records.lateDays", { days: r.lateDays }) : t("volunteers.records.late")}</span> : null}
              {r.note ? <p>{t("volunteers.records.declaredNote", { note: r.note })}</p> : null}
              {r.declineReason ? <p className="notice">{t("volunteers.records.declinedBecause", { reason: r.declineReason })}</p> : null}
              <dl className="facts">
                <div>
                  <dt>{t("volunteers.records.date")}</dt>
                  <dd>{r.serviceDate}</dd>
                </div>
                <div>
                  <dt>{t("volunteers.records.place")}</dt>
                  <dd>{r.place}</dd>
                </div>
                <div>
                  <dt>{t("volunteers.records.content")}</dt>
                  <dd>{r.content}</dd>
                </div>
                <div>
                  <dt>{t("volunteers.records.hours")}</dt>
                  <dd>{t("volunteers.hoursValue", { hours: r.hours })}</dd>
                </div>
                <div>
                  <dt>{t("volunteers.records.organiser")}</dt>
                  <dd>{r.organiser}</dd>
                </div>
                <div>
                  <dt>{t("volunteers.records.personInCharge")}</dt>
                  <dd>{r.personInCharge}</dd>
                </div>
                {r.evaluation ? (
                  <div>
                    <dt>{t("volunteers.records.evaluation")}</dt>
                    <dd>{r.evaluation}</dd>
                  </div>
                ) : null}
              </dl>
              {r.corrections.length ? (
                <>
                  <h3>{t("volunteers.records.history")}</h3>
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
                </>
              ) : null}
              {r.reports.map((p) => (
                <p key={p.id} className="notice">
                  {t(`volunteers.records.reportStatus.${p.status}`, { reason: p.reason, answer: p.answer ?? "" })}
                </p>
              ))}
              {!open ? (
                <details open={Object.keys(errors).length > 0}>
                  <summary>{t("volunteers.records.report")}</summary>
                  <IntentForm intent={intent}>
                    <input type="hidden" name="recordId" value={r.id} />
                    <IntentField intent={intent} name="reason" label="volunteers.records.reportReason" hint="volunteers.records.reportReasonHint" errors={errors} textarea />
                    <button type="submit">{t("volunteers.records.reportSubmit")}</button>
                  </IntentForm>
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
      {training.length || honours.length ? (
        <section aria-labelledby="training-title">
          <h2 id="training-title">{t("volunteers.training.recordTitle")}</h2>
          {training.length ? (
            <ul>
              {training.map((x) => (
                <li key={`t${x.id}`}>
                  {t("volunteers.training.item", { date: x.date, title: x.title, team: x.team, hours: x.hours })}
                </li>
              ))}
            </ul>
          ) : null}
          {honours.length ? (
            <>
              <h3>{t("volunteers.honours.recordTitle")}</h3>
              <ul>
                {honours.map((x) => (
                  <li key={`h${x.id}`}>
                    {t("volunteers.honours.item", { date: x.date, title: x.title, team: x.team })}
                    {x.citation ? <span className="muted"> · {x.citation}</span> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      {imported.length ? (
        <section aria-labelledby="imported-title">
          <h2 id="imported-title">{t("volunteers.imported.title")}</h2>
          <p>{t("volunteers.imported.intro", { hours: importedHours })}</p>
          {imported.map((i) => (
            <div key={i.id} className="card">
              <h3>{t("volunteers.imported.from", { issuer: i.issuerOrigin, at: t.time(i.issuedAt) })}</h3>
              <p className="muted">{t("volunteers.imported.verified", { keyId: i.keyId, at: t.time(i.importedAt) })}</p>
              <ul>
                {i.records.map((r, n) => (
                  <li key={n}>
                    {t("volunteers.imported.record", { date: r.serviceDate, activity: r.activity, place: r.place, hours: Math.round((r.minutes / 60) * 100) / 100, organization: r.organization })}{" "}
                    <span className="tag">{r.status === "confirmed" || r.status === "proposed" ? t(`volunteers.records.status.${r.status}`) : r.status}</span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ) : null}
    </>
  );
}
