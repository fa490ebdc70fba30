import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { STATES } from "~/modules/matters/states";
import { SEARCH_KINDS, SearchSchema } from "~/modules/search/schemas";
import { searchEverything } from "~/modules/search/search.server";
import { commandContext, queryOf } from "~/web/http.server";

export const meta = titleMeta("search.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const q = queryOf(request, z.object({}).passthrough().transform((v) => SearchSchema.parse(v)));
  return json({ q, ...(await searchEverything(commandContext(context), q)) });
}

export default function Search() {
  const t = useT();
  const { q, results, page, more } = useLoaderData<typeof loader>();
  const next = new URLSearchParams(Object.entries({ ...q, page: String(page + 1) }).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== "").map(([k, v]) => [k, String(v)]));
  return (
    <>
      <h1>{t("search.title")}</h1>
      <Form method="get" role="search" className="search-form">
        <div className="field">
          <label htmlFor="search-q">{t("search.query")}</label>
          <p className="hint" id="search-q-hint">
            {t("search.queryHint")}
          </p>
          <input id="search-q" name="q" type="search" defaultValue={q.q} aria-describedby="search-q-hint" maxLength={50} />
        </div>
        <div className="field">
          <label htmlFor="search-kind">{t("search.kind")}</label>
          <select id="search-kind" name="kind" defaultValue={q.kind ?? ""}>
            <option value="">{t("search.kind.all")}</option>
            {SEARCH_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`search.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="search-state">{t("search.state")}</label>
          <select id="search-state" name="state" defaultValue={q.state ?? ""}>
            <option value="">{t("search.stateAll")}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`matters.state.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="search-community">{t("search.community")}</label>
          <input id="search-community" name="community" inputMode="numeric" defaultValue={q.community ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="search-from">{t("search.from")}</label>
          <input id="search-from" name="from" type="date" defaultValue={q.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="search-to">{t("search.to")}</label>
          <input id="search-to" name="to" type="date" defaultValue={q.to ?? ""} />
        </div>
        <button type="submit">{t("search.submit")}</button>
      </Form>
      {q.q ? (
        <section aria-labelledby="search-results-title">
          <h2 id="search-results-title">{t("search.results", { q: q.q })}</h2>
          {results.length === 0 ? <p>{t("search.none", { q: q.q })}</p> : null}
          <ol className="card-list search-results">
            {results.map((r) => (
              <li key={`${r.kind}-${r.id}`}>
                <span className="tag">{t(`search.kind.${r.kind}`)}</span> <Link to={r.href}>{r.title}</Link>{" "}
                {r.state ? <span className="tag state">{t(`matters.state.${r.state}`)}</span> : null}
                <p>
                  {r.snippet.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
                </p>
                <p className="muted">{t("search.in", { community: r.communityName, time: t.time(r.at) })}</p>
              </li>
            ))}
          </ol>
          {more ? (
            <p>
              <Link to={`/search?${next}`}>{t("search.more")}</Link>
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
