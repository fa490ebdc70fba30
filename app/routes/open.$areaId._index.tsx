import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { OpenFigures } from "~/components/open-figures";
import { titleMeta } from "~/i18n/meta";
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { getAllOpenData } from "~/modules/matters/outcomes/open-data.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";

export const meta = titleMeta("open.title", (d) => ({ area: (d as { area?: { name: string } })?.area?.name ?? "" }));

/** 居务公开: anyone, signed in or not, reads what the area decided (issue 19). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  return json(await loaderGuard(() => getAllOpenData(commandContext(context), id)), { headers: { "cache-control": "public, max-age=60" } });
}

export default function OpenAffairs() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const states = Object.entries(d.mattersByState);
  return (
    <>
      <p>
        <Link to={`/communities/${d.area.id}`}>{d.area.name}</Link>
      </p>
      <h1>{t("open.title", { area: d.area.name })}</h1>
      <p className="hint">{t("open.hint")}</p>
      <p className="button-row">
        <a className="button" href={`/open/${d.area.id}/data.csv`} download>
          {t("open.csv")}
        </a>
        <a className="button" href={`/open/${d.area.id}/data.json`} download>
          {t("open.json")}
        </a>
        <a href={`/api/open/${d.area.id}`}>{t("open.api")}</a>
      </p>
      <OpenFigures total={d.figures.total} communities={d.figures.communities} />
      <section aria-labelledby="open-states">
        <h2 id="open-states">{t("open.byState")}</h2>
        {states.length === 0 ? <p>{t("open.none")}</p> : null}
        <ul className="card-list" id="open-by-state">
          {states.map(([s, n]) => (
            <li key={s}>
              {t(`matters.state.${s}` as MessageKey)}: {n}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="open-matters">
        <h2 id="open-matters">{t("open.matters")}</h2>
        <ol className="card-list" id="open-matter-list">
          {d.matters.map((m) => (
            <li key={m.id} id={`open-m-${m.id}`}>
              <h3>
                <Link to={`/matters/${m.id}`}>
                  #{m.id} {m.title}
                </Link>{" "}
                <span className="tag state">{t(`matters.state.${m.state}` as MessageKey)}</span>
              </h3>
              <p className="muted">
                {m.community} · {m.category} · {t("matters.proposerLabel")} {m.proposer ?? "—"}
              </p>
              {m.votes.map((v) => (
                <div key={v.id} className="open-vote">
                  <p>
                    <strong>{v.question}</strong> · {t(`voting.preset.${v.preset}` as MessageKey)} · {v.passed ? t("voting.resultPassed") : t("voting.resultFailed")}
                  </p>
                  <p>{v.options.map((o) => t("voting.count", { option: o.label, count: v.counts[o.id] ?? 0 })).join("；")}</p>
                  {v.explanation.map((e, i) => (
                    <p key={i}>
                      {t(e.key as MessageKey, { ...e.params, option: typeof e.params.option === "string" ? (v.options.find((o) => o.id === e.params.option)?.label ?? "") : "" })}
                    </p>
                  ))}
                </div>
              ))}
              {m.minutes.length ? (
                <ul className="open-minutes">
                  {m.minutes.map((x) => (
                    <li key={x.sessionId}>
                      <Link to={x.url}>{t("open.minutesLink", { at: t.time(x.scheduledAt) })}</Link> · {t("minutes.confirmedAt", { at: t.time(x.confirmedAt) })}
                    </li>
                  ))}
                </ul>
              ) : null}
              {m.objections.length ? (
                <ul className="open-objections" aria-label={t("open.objections")}>
                  {m.objections.map((o) => (
                    <li key={o.id}>
                      <Link to={`/matters/${m.id}/objections#objection-${o.id}`}>{t("oversight.number", { id: o.id })}</Link>{" "}
                      {o.answeredAt ? <span className="tag state">{t("oversight.answered")}</span> : <span className={o.overdue ? "tag overdue" : "tag"}>{t(o.overdue ? "oversight.overdue" : "oversight.awaiting")}</span>} {o.body}
                      {o.answer ? <p>{t("oversight.answer")}：{o.answer}</p> : null}
                    </li>
                  ))}
                </ul>
              ) : null}
              {m.outcome ? (
                <p>
                  {t("open.decision")}: {m.outcome.decision}
                </p>
              ) : null}
              {m.commitments.length ? (
                <ul>
                  {m.commitments.map((c) => (
                    <li key={c.id}>
                      {c.title}（{c.responsibleUnit}）· {t("open.progress", { progress: c.progress, due: c.dueDate })}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
