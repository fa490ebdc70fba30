import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { getPublicMinutes } from "~/modules/matters/room/public.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";

export const meta = titleMeta("minutes.publicTitle", (d) => ({ title: (d as { matter?: { title: string } })?.matter?.title ?? "" }));

/** Confirmed minutes, for anyone without signing in (issue 19); a draft is a 404 here. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.sessionId);
  return json(await loaderGuard(() => getPublicMinutes(commandContext(context), id)), { headers: { "cache-control": "public, max-age=60" } });
}

export default function PublicMinutes() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to={`/open/${d.area.id}`}>{t("open.title", { area: d.area.name })}</Link>
      </p>
      <h1>{t("minutes.publicTitle", { title: d.matter.title })}</h1>
      <p>
        <strong className="tag state">{t("minutes.confirmed")}</strong> {t("minutes.confirmedAt", { at: t.time(d.confirmedAt) })}
      </p>
      <p>
        {t("discussion.commentsBeside")} <Link to={`/matters/${d.matter.id}/comments`}>{t("discussion.commentsLink")}</Link>
      </p>
      <dl className="facts">
        <div>
          <dt>{t("room.scheduledAt")}</dt>
          <dd>{t.time(d.session.scheduledAt)}</dd>
        </div>
        {d.session.place ? (
          <div>
            <dt>{t("room.place")}</dt>
            <dd>{d.session.place}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("room.moderator")}</dt>
          <dd>{d.session.moderator}</dd>
        </div>
        <div>
          <dt>{t("minutes.confirmations")}</dt>
          <dd>{t("minutes.confirmationCounts", { confirm: d.confirmations.confirm ?? 0, comment: d.confirmations.comment ?? 0 })}</dd>
        </div>
      </dl>
      <section aria-labelledby="pm-summary">
        <h2 id="pm-summary">{t("room.summary")}</h2>
        <p className="statement-body">{d.summary ?? "—"}</p>
      </section>
      {d.corrections.length ? (
        <section aria-labelledby="pm-corrections">
          <h2 id="pm-corrections">{t("minutes.corrections")}</h2>
          <ol id="public-corrections">
            {d.corrections.map((c) => (
              <li key={c.id}>
                {t.time(c.at)}: {c.body}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <section aria-labelledby="pm-attendance">
        <h2 id="pm-attendance">{t("room.attendance")}</h2>
        <p id="public-attendance-online">
          {t("room.online")}: {d.attendance.online.join("、") || "—"}
        </p>
        <p>
          {t("room.inPerson")}: {d.attendance.inPerson.join("、") || "—"}
        </p>
      </section>
      <section aria-labelledby="pm-agenda">
        <h2 id="pm-agenda">{t("room.agenda")}</h2>
        <ol>
          {d.agenda.map((i, n) => (
            <li key={n}>
              {i.title} ({i.minutes} min)
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="pm-statements">
        <h2 id="pm-statements">{t("minutes.statements")}</h2>
        <ul className="card-list" id="public-statements">
          {d.statements.map((s) => (
            <li key={s.id}>
              <strong>#{s.id}</strong> {s.speaker} · {t(`room.stance.${s.stance}`)}
              <p className="statement-body">{s.hidden ? t("minutes.hiddenPublic") : s.body}</p>
              <p className="muted">{t("room.countsShort", { ...s.counts })}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
