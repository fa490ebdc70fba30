import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, IntentSelect, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { listMyMoves, requestMove, withdrawMove } from "~/modules/volunteers/move-community.server";
import { SERVICE_TYPES } from "~/modules/volunteers/schemas";
import { EmptySchema, RequestMoveSchema, UpdateProfileSchema } from "~/modules/volunteers/travel-schemas.server";
import { updateVolunteerProfile } from "~/modules/volunteers/update-profile.server";
import { getOwnVolunteer, listCommunities } from "~/modules/volunteers/volunteers.server";
import { commandContext, formAction, httpError, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.editProfile.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  const ctx = commandContext(context);
  const me = await getOwnVolunteer(ctx);
  if (!me) throw redirect("/volunteers/register");
  const [communities, moves] = await Promise.all([listCommunities(ctx), loaderGuard(() => listMyMoves(ctx))]);
  return json({ me, communities: communities.filter((c) => c.id !== me.communityId), moves });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  if (intent === "profile")
    return formAction(request, UpdateProfileSchema, async (v) => {
      await updateVolunteerProfile(ctx, v);
      return redirect("/volunteers/profile?saved=1");
    }, intent);
  if (intent === "move")
    return formAction(request, RequestMoveSchema, async (v) => {
      await requestMove(ctx, v);
      return redirect("/volunteers/profile?requested=1");
    }, intent);
  if (intent === "withdraw")
    return formAction(request, EmptySchema, async () => {
      await withdrawMove(ctx);
      return redirect("/volunteers/profile?withdrawn=1");
    }, intent);
  httpError(400, "errors.badRequest");
}

export default function EditProfile() {
  const t = useT();
  const { me, communities, moves } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const pe = errorsOf(data, "profile");
  const me2 = errorsOf(data, "move");
  const pending = moves.find((m) => m.status === "pending");
  const last = moves[0];
  const typeErr = pe.serviceTypes?.[0];
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to="/volunteers">{t("volunteers.profile.title")}</Link>
      </p>
      <h1>{t("volunteers.editProfile.title")}</h1>
      {search.get("saved") ? <Notice>{t("volunteers.editProfile.saved")}</Notice> : null}
      {search.get("requested") ? <Notice>{t("volunteers.move.requested")}</Notice> : null}
      {search.get("withdrawn") ? <Notice>{t("volunteers.move.withdrawn")}</Notice> : null}
      <dl className="facts">
        <div>
          <dt>{t("volunteers.cert.name")}</dt>
          <dd>{me.realName}</dd>
        </div>
        <div>
          <dt>{t("volunteers.profile.idMasked")}</dt>
          <dd>{me.idMasked}</dd>
        </div>
        <div>
          <dt>{t("volunteers.profile.community")}</dt>
          <dd>{me.communityName}</dd>
        </div>
      </dl>
      <p className="hint">{t("volunteers.editProfile.fixed")}</p>
      <IntentForm intent="profile">
        <IntentField intent="profile" name="contact" label="volunteers.register.contact" hint="volunteers.register.contactHint" type="tel" errors={pe} defaultValue={me.contact} />
        <IntentField intent="profile" name="skills" label="volunteers.register.skills" hint="volunteers.register.skillsHint" errors={pe} required={false} defaultValue={me.skills.join("、")} />
        <fieldset className={`radios${typeErr ? " field--error" : ""}`} aria-describedby={typeErr ? "profile-serviceTypes-error" : undefined}>
          <legend>{t("volunteers.register.serviceTypes")}</legend>
          {typeErr ? (
            <p className="field-error" id="profile-serviceTypes-error">
              {t.msg(typeErr)}
            </p>
          ) : null}
          {SERVICE_TYPES.map((s, i) => (
            <label key={s}>
              <input type="checkbox" name="serviceTypes" value={s} id={i === 0 ? "profile-serviceTypes" : undefined} defaultChecked={me.serviceTypes.includes(s)} /> {t(`volunteers.type.${s}`)}
            </label>
          ))}
        </fieldset>
        <IntentField intent="profile" name="availability" label="volunteers.register.availability" hint="volunteers.register.availabilityHint" errors={pe} required={false} defaultValue={me.availability} />
        <div className="field radios">
          <label htmlFor="profile-partyMember">
            <input type="checkbox" id="profile-partyMember" name="partyMember" value="on" defaultChecked={me.partyMember} /> {t("volunteers.register.partyMember")}
          </label>
        </div>
        <button type="submit">{t("volunteers.editProfile.save")}</button>
      </IntentForm>

      <section aria-labelledby="move-title">
        <h2 id="move-title">{t("volunteers.move.title")}</h2>
        <p>{t("volunteers.move.intro")}</p>
        {last && last.status === "declined" ? <p className="notice">{t("volunteers.move.declinedBecause", { community: last.to, reason: last.declineReason ?? "" })}</p> : null}
        {last && last.status === "accepted" ? <p>{t("volunteers.move.accepted", { community: last.to })}</p> : null}
        {pending ? (
          <>
            <p>{t("volunteers.move.pending", { community: pending.to, at: t.time(pending.requestedAt) })}</p>
            <IntentForm intent="withdraw">
              <button type="submit" className="secondary">
                {t("volunteers.move.withdraw")}
              </button>
            </IntentForm>
          </>
        ) : (
          <IntentForm intent="move">
            <IntentSelect intent="move" name="communityId" label="volunteers.move.to" errors={me2} options={[{ value: "", label: "—" }, ...communities.map((c) => ({ value: String(c.id), label: c.name }))]} />
            <IntentField intent="move" name="reason" label="volunteers.move.reason" errors={me2} required={false} />
            <button type="submit">{t("volunteers.move.submit")}</button>
          </IntentForm>
        )}
      </section>
    </>
  );
}
