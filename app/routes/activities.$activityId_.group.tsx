import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { useT } from "~/i18n/use-t";
import { titleMeta } from "~/i18n/meta";
import { beijingMinute } from "~/modules/shared/beijing-time";
import { getGroupEntryPage, recordGroupAttendance } from "~/modules/volunteers/group-entry.server";
import { GroupEntrySchema } from "~/modules/volunteers/schemas";
import { commandContext, formAction, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.group.link");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.activityId);
  requireActor(context, request);
  return json(await loaderGuard(() => getGroupEntryPage(commandContext(context), id)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.activityId);
  requireActor(context, request);
  return formAction(request, GroupEntrySchema, async (v) => {
    const r = await recordGroupAttendance(commandContext(context), id, v);
    const q = new URLSearchParams({ recorded: String(r.recorded), walkIns: String(r.walkIns), proposed: String(r.proposed), kept: String(r.keptConfirmed) });
    return redirect(`/activities/${id}/group?${q}`);
  }, "group");
}

const num = (s: string | null) => Math.min(100_000, Math.max(0, Number(s) || 0));

export default function GroupEntryPage() {
  const t = useT();
  const { activity: a, roster } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const errors = errorsOf(data, "group");
  const [search] = useSearchParams();
  const sent = (data?.result?.initialValue ?? null) as Record<string, unknown> | null;
  const tickedBefore = sent ? new Set([sent.attendee].flat().map(String)) : null;
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to={`/activities/${a.id}`}>{a.title}</Link>
      </p>
      <h1>{t("volunteers.group.title", { title: a.title })}</h1>
      {search.get("recorded") ? (
        <Notice>
          {t("volunteers.group.done", { recorded: num(search.get("recorded")), walkIns: num(search.get("walkIns")), proposed: num(search.get("proposed")) })}
          {num(search.get("kept")) ? ` ${t("volunteers.group.kept", { count: num(search.get("kept")) })}` : ""}
        </Notice>
      ) : null}
      <p>{t("volunteers.group.intro")}</p>
      <IntentForm intent="group">
        <fieldset>
          <legend>{t("volunteers.group.roster")}</legend>
          {errors.attendees ? (
            <p className="field-error" id="group-attendees">
              {t.msg(errors.attendees[0])}
            </p>
          ) : null}
          {roster.length ? (
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
                  {roster.map((r) => {
                    const box = `group-attendee-${r.volunteerId}`;
                    const confirmed = r.recordStatus === "confirmed";
                    const inName = `in-${r.volunteerId}`;
                    const outName = `out-${r.volunteerId}`;
                    return (
                      <tr key={r.volunteerId}>
                        <td>
                          <input
                            type="checkbox"
                            id={box}
                            name="attendee"
                            value={r.volunteerId}
                            disabled={confirmed}
                            defaultChecked={!confirmed && (tickedBefore ? tickedBefore.has(String(r.volunteerId)) : !r.checkInAt)}
                          />{" "}
                          <label htmlFor={box}>
                            {r.name} <span className="muted">{r.number}</span>
                          </label>
                          {r.checkInAt ? (
                            <p className="muted">
                              {t("volunteers.group.already", { in: t.time(r.checkInAt), out: r.checkOutAt ? t.time(r.checkOutAt) : t("volunteers.activity.notYet") })}
                              {confirmed ? ` · ${t("volunteers.group.confirmedAlready")}` : ""}
                            </p>
                          ) : null}
                        </td>
                        <td>
                          {errors[inName] ? <p className="field-error" id={`group-${inName}-error`}>{t.msg(errors[inName][0])}</p> : null}
                          <input id={`group-${inName}`} name={inName} aria-label={t("volunteers.group.inFor", { name: r.name })} aria-invalid={errors[inName] ? true : undefined} aria-describedby={errors[inName] ? `group-${inName}-error` : undefined} disabled={confirmed} size={16} defaultValue={typeof sent?.[inName] === "string" ? (sent[inName] as string) : ""} />
                        </td>
                        <td>
                          {errors[outName] ? <p className="field-error" id={`group-${outName}-error`}>{t.msg(errors[outName][0])}</p> : null}
                          <input id={`group-${outName}`} name={outName} aria-label={t("volunteers.group.outFor", { name: r.name })} aria-invalid={errors[outName] ? true : undefined} aria-describedby={errors[outName] ? `group-${outName}-error` : undefined} disabled={confirmed} size={16} defaultValue={typeof sent?.[outName] === "string" ? (sent[outName] as string) : ""} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : (
            <p>{t("volunteers.group.noRoster")}</p>
          )}
        </fieldset>
        <IntentField intent="group" name="walkIns" label="volunteers.group.walkIns" hint="volunteers.group.walkInsHint" errors={errors} textarea required={false} defaultValue={typeof sent?.walkIns === "string" ? sent.walkIns : ""} />
        <IntentField intent="group" name="checkInAt" label="volunteers.group.checkInAt" hint="volunteers.activity.timeHint" errors={errors} defaultValue={typeof sent?.checkInAt === "string" ? sent.checkInAt : beijingMinute(new Date(a.startsAt))} />
        <IntentField intent="group" name="checkOutAt" label="volunteers.group.checkOutAt" hint="volunteers.group.checkOutHint" errors={errors} required={false} defaultValue={typeof sent?.checkOutAt === "string" ? sent.checkOutAt : beijingMinute(new Date(a.endsAt))} />
        <button type="submit">{t("volunteers.group.submit")}</button>
      </IntentForm>
    </>
  );
}
