import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { Notice } from "~/components/forms";
import { IntentForm } from "~/components/simple-form";
import volunteerStyles from "~/components/volunteers.css";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { listActivities } from "~/modules/volunteers/activities.server";
import { getMyRecords, listOpenReports } from "~/modules/volunteers/records.server";
import { getOwnVolunteer, listMyTeams, setHonourOptIn } from "~/modules/volunteers/volunteers.server";
import { commandContext, formAction, httpError, intentOf, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.title");
export const links = () => [{ rel: "stylesheet", href: volunteerStyles }];

export async function loader({ context }: LoaderFunctionArgs) {
  const ctx = commandContext(context);
  const me = await getOwnVolunteer(ctx);
  const [activities, teams, summary, reports] = await Promise.all([
    listActivities(ctx),
    listMyTeams(ctx),
    me ? getMyRecords(ctx) : null,
    context.actor ? listOpenReports(ctx) : [],
  ]);
  return json({
    signedIn: !!context.actor,
    me,
    stats: summary ? { hours: summary.confirmedHours, stars: summary.stars, nextStar: summary.nextStar } : null,
    activities,
    teams,
    openReports: reports.length,
    staff: !!context.actor?.roles.some((r) => ["organizer", "committee", "town_admin", "county_admin"].includes(r.role)),
  });
}

const HonourSchema = /* @__PURE__ */ z.object({ show: z.enum(["yes", "no"]) });

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  const intent = await intentOf(request);
  if (intent !== "honour") httpError(400, "errors.badRequest");
  return formAction(request, HonourSchema, async (v) => {
    await setHonourOptIn(commandContext(context), v.show === "yes");
    return redirect("/volunteers");
  }, intent);
}

export default function VolunteersHome() {
  const t = useT();
  const { signedIn, me, stats, activities, teams, openReports, staff } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>{me ? t("volunteers.profile.title") : t("volunteers.title")}</h1>
      {search.get("registered") && me?.volunteerNumber ? <Notice>{t("volunteers.register.done", { number: me.volunteerNumber })}</Notice> : null}
      {me && stats ? (
        <>
          <dl className="facts">
            <div>
              <dt>{t("volunteers.cert.name")}</dt>
              <dd>{me.realName}</dd>
            </div>
            <div>
              <dt>{t("volunteers.profile.number")}</dt>
              <dd>{me.volunteerNumber}</dd>
            </div>
            <div>
              <dt>{t("volunteers.profile.idMasked")}</dt>
              <dd>{me.idMasked}</dd>
            </div>
            <div>
              <dt>{t("volunteers.profile.community")}</dt>
              <dd>{me.communityName}</dd>
            </div>
            <div>
              <dt>{t("volunteers.profile.partyMember")}</dt>
              <dd>{me.partyMember ? t("volunteers.yes") : t("volunteers.no")}</dd>
            </div>
            <div>
              <dt>{t("volunteers.profile.hours")}</dt>
              <dd>{t("volunteers.hoursValue", { hours: stats.hours })}</dd>
            </div>
            <div>
              <dt>{t("volunteers.profile.stars")}</dt>
              <dd>
                {stats.stars ? (
                  <span className="stars" aria-label={t("volunteers.starsValue", { stars: stats.stars })}>
                    {"★".repeat(stats.stars)}
                  </span>
                ) : (
                  t("volunteers.noStars")
                )}
                {stats.stars ? ` ${t("volunteers.starsValue", { stars: stats.stars })}` : ""}
                {stats.nextStar ? <span className="muted"> · {t("volunteers.nextStar", { missing: stats.nextStar.missing, hours: stats.nextStar.hours })}</span> : null}
              </dd>
            </div>
          </dl>
          <ul>
            <li>
              <Link to="/volunteers/records">{t("volunteers.myRecords")}</Link>
            </li>
            <li>
              <Link to="/volunteers/profile">{t("volunteers.editProfile.link")}</Link>
            </li>
            <li>
              <Link to="/volunteers/certificates">{t("volunteers.myCertificates")}</Link>
            </li>
            <li>
              <Link to="/volunteers/ecard">{t("volunteers.ecard.link")}</Link>
            </li>
            <li>
              <Link to={`/communities/${me.communityId}/volunteers`}>{t("volunteers.dashboard.honour")}</Link>
            </li>
          </ul>
          <p>{me.honourOptIn ? t("volunteers.honour.shown") : t("volunteers.honour.hidden")}</p>
          <IntentForm intent="honour" className="inline-form">
            <input type="hidden" name="show" value={me.honourOptIn ? "no" : "yes"} />
            <button type="submit" className="secondary">
              {me.honourOptIn ? t("volunteers.honour.hide") : t("volunteers.honour.show")}
            </button>
          </IntentForm>
        </>
      ) : (
        <>
          <p>{t("volunteers.intro")}</p>
          <p>
            <Link className="button" to={signedIn ? "/volunteers/register" : "/login?next=%2Fvolunteers%2Fregister"}>
              {t("volunteers.registerLink")}
            </Link>
          </p>
        </>
      )}
      {teams.length ? (
        <section aria-labelledby="my-teams">
          <h2 id="my-teams">{t("volunteers.myTeams")}</h2>
          {openReports ? <Notice>{t("volunteers.openReports", { count: openReports })}</Notice> : null}
          <ul>
            {teams.map((team) => (
              <li key={team.id}>
                <Link to={`/teams/${team.id}`}>{team.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {staff ? (
        <section aria-labelledby="staff-tools">
          <h2 id="staff-tools">{t("volunteers.staffTools")}</h2>
          <ul>
            <li>
              <Link to="/volunteers/moves">{t("volunteers.moves.title")}</Link>
            </li>
            <li>
              <Link to="/volunteers/import">{t("volunteers.import.title")}</Link>
            </li>
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="activities">
        <h2 id="activities">{t("volunteers.activities")}</h2>
        {activities.length ? (
          <ul className="card-list">
            {activities.map((a) => (
              <li key={a.id}>
                <Link to={`/activities/${a.id}`}>{a.title}</Link>
                <br />
                <span className="muted">
                  {a.teamName} · {a.place} · {t("volunteers.activity.when", { start: t.time(a.startsAt), end: t.time(a.endsAt) })} ·{" "}
                  {t("volunteers.activity.places", { signedUp: a.signedUp, capacity: a.capacity })}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("volunteers.noActivities")}</p>
        )}
      </section>
      <p>
        <Link to="/teams">{t("volunteers.teams")}</Link> · <Link to="/certificates">{t("volunteers.verify.title")}</Link>
      </p>
    </>
  );
}
