import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, IntentSelect, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { recordBirthYear } from "~/modules/communities/birth-year.server";
import { getRegisterPage, recordRegister } from "~/modules/communities/register.server";
import { addRepresentative, endRepresentativeTerm } from "~/modules/communities/roster.server";
import { AddRepresentativeSchema, EndRepresentativeSchema, RecordBirthYearSchema, RecordRegisterSchema } from "~/modules/communities/schemas";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("register.title", (d) => ({ community: (d as { area?: { name: string } })?.area?.name ?? "" }));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  return json(await loaderGuard(() => getRegisterPage(commandContext(context), id)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  const ctx = commandContext(context);
  await loaderGuard(() => getRegisterPage(ctx, id));
  const intent = await intentOf(request);
  const back = redirect(`/communities/${id}/register?saved=1`);
  if (intent === "register") return formAction(request, RecordRegisterSchema, async (v) => (await recordRegister(ctx, id, v), back), intent);
  if (intent === "addRepresentative") return formAction(request, AddRepresentativeSchema, async (v) => (await addRepresentative(ctx, id, v), back), intent);
  if (intent === "endTerm") return formAction(request, EndRepresentativeSchema, async (v) => (await endRepresentativeTerm(ctx, id, v), back), intent);
  if (intent === "birthYear") return formAction(request, RecordBirthYearSchema, async (v) => (await recordBirthYear(ctx, id, v), back), intent);
  httpError(400, "errors.badRequest");
}

export default function Register() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const mine = (intent: string, key?: string) => (reply?.intent === intent && (!key || (reply.result?.initialValue as Record<string, unknown> | null)?.[key.split("=")[0]] === key.split("=")[1]) ? errorsOf(reply, intent) : {});
  return (
    <>
      <IntentErrorSummary data={reply} />
      <p>
        <Link to={`/communities/${d.area.id}`}>{d.area.name}</Link>
      </p>
      <h1>{t("register.title", { community: d.area.name })}</h1>
      {search.get("saved") ? <Notice>{t("register.saved")}</Notice> : null}

      <section aria-labelledby="numbers-title">
        <h2 id="numbers-title">{t("register.numbers")}</h2>
        <p className="hint">{t("register.numbersHint")}</p>
        {d.entries.length === 0 ? <p>{t("register.none")}</p> : null}
        <ul className="card-list" id="register-entries">
          {d.entries.map((e) => (
            <li key={e.id}>
              {t("register.entry", { asOf: e.asOf, residents: e.residents, adults: e.adults, households: e.households, source: t(`register.source.${e.source}`) })}
              {e.note ? ` · ${e.note}` : ""}
            </li>
          ))}
        </ul>
        <IntentForm intent="register">
          <IntentField intent="register" name="residents" label="register.residents" errors={mine("register")} />
          <IntentField intent="register" name="adults" label="register.adults" errors={mine("register")} />
          <IntentField intent="register" name="households" label="register.households" errors={mine("register")} />
          <IntentField intent="register" name="asOf" label="register.asOf" type="date" errors={mine("register")} />
          <IntentSelect
            intent="register"
            name="source"
            label="register.source"
            errors={mine("register")}
            options={[
              { value: "household_register", label: t("register.source.household_register") },
              { value: "census", label: t("register.source.census") },
              { value: "other", label: t("register.source.other") },
            ]}
          />
          <IntentField intent="register" name="note" label="register.note" errors={mine("register")} required={false} />
          <button type="submit">{t("register.record")}</button>
        </IntentForm>
      </section>

      <section aria-labelledby="roster-title">
        <h2 id="roster-title">{t("register.roster")}</h2>
        {d.roster.length === 0 ? <p>{t("register.rosterEmpty")}</p> : null}
        <ul className="card-list">
          {d.roster.map((r) => (
            <li key={r.id}>
              {r.name} · {t("register.termFrom", { start: r.termStart })}
              {r.termEnd ? ` ${t("register.termTo", { end: r.termEnd })}` : ""}
              {!r.termEnd ? (
                <IntentForm intent="endTerm" className="inline-form">
                  <input type="hidden" name="representativeId" value={r.id} />
                  <IntentField intent={`endTerm-${r.id}`} name="termEnd" label="register.termEnd" type="date" errors={mine("endTerm", `representativeId=${r.id}`)} required />
                  <button type="submit">{t("register.endTerm")}</button>
                </IntentForm>
              ) : null}
            </li>
          ))}
        </ul>
        {d.residents.length ? (
          <IntentForm intent="addRepresentative">
            <IntentSelect
              intent="addRepresentative"
              name="userId"
              label="register.resident"
              errors={mine("addRepresentative")}
              options={[{ value: "", label: t("form.choose") }, ...d.residents.map((r) => ({ value: String(r.userId), label: r.displayName }))]}
            />
            <IntentField intent="addRepresentative" name="termStart" label="register.termStart" type="date" errors={mine("addRepresentative")} required />
            <IntentField intent="addRepresentative" name="termEnd" label="register.termEnd" hint="register.termEndHint" type="date" errors={mine("addRepresentative")} required={false} />
            <button type="submit">{t("register.addRepresentative")}</button>
          </IntentForm>
        ) : null}
      </section>

      <section aria-labelledby="birth-title">
        <h2 id="birth-title">{t("register.birthYears")}</h2>
        <ul className="card-list">
          {d.residents.map((r) => (
            <li key={r.id}>
              {r.displayName} · {t("register.birthYear")}: {r.birthYear ?? t("register.birthYearUnknown")}
              <IntentForm intent="birthYear" className="inline-form">
                <input type="hidden" name="membershipId" value={r.id} />
                <IntentField intent={`birthYear-${r.id}`} name="birthYear" label="register.birthYear" errors={mine("birthYear", `membershipId=${r.id}`)} required />
                <button type="submit">{t("register.recordBirthYear")}</button>
              </IntentForm>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
