import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { listCategories } from "~/modules/matters/catalogue.server";
import { listMatters, listMyDrafts } from "~/modules/matters/queries.server";
import { MatterListQuerySchema } from "~/modules/matters/schemas";
import { commandContext, idFromParams, loaderGuard, queryOf } from "~/web/http.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${translate(locale, "matters.listTitle", { community: data?.area.name ?? "" })} — ${translate(locale, "app.name")}` }];
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  const query = queryOf(request, MatterListQuerySchema);
  const ctx = commandContext(context);
  const list = await loaderGuard(() => listMatters(ctx, id, query));
  const [categories, drafts] = await Promise.all([listCategories(context.db, list.area.path), listMyDrafts(ctx, id)]);
  return json({ ...list, area: { id: list.area.id, name: list.area.name }, categories, drafts, query });
}

export default function MatterList() {
  const t = useT();
  const { area, items, hasNext, page, states, canPropose, categories, drafts, query } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pageLink = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next.toString()}`;
  };
  return (
    <>
      <p>
        <Link to={`/communities/${area.id}`}>{area.name}</Link>
      </p>
      <h1>{t("matters.listTitle", { community: area.name })}</h1>
      <p>{t("matters.public")}</p>
      {canPropose ? (
        <p>
          <Link className="button" to={`/communities/${area.id}/matters/new`}>
            {t("matters.propose")}
          </Link>
        </p>
      ) : null}
      {drafts.length ? (
        <section aria-labelledby="drafts-title">
          <h2 id="drafts-title">{t("matters.myDrafts")}</h2>
          <ul className="card-list">
            {drafts.map((d) => (
              <li key={d.id}>
                <Link to={`/matters/${d.id}`}>{d.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="filter-state">{t("matters.filterState")}</label>
          <select id="filter-state" name="state" defaultValue={query.state ?? ""}>
            <option value="">{t("matters.filterAll")}</option>
            {states.map((s) => (
              <option key={s} value={s}>
                {t(`matters.state.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-category">{t("matters.filterCategory")}</label>
          <select id="filter-category" name="category" defaultValue={query.category ? String(query.category) : ""}>
            <option value="">{t("matters.filterAll")}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {t.locale === "en" && c.nameEn ? c.nameEn : c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-q">{t("matters.search")}</label>
          <input id="filter-q" name="q" type="search" defaultValue={query.q ?? ""} />
        </div>
        <div className="field">
          <button type="submit" className="secondary">
            {t("matters.searchSubmit")}
          </button>
        </div>
      </Form>
      {items.length === 0 ? <p>{t("matters.none")}</p> : null}
      <ul className="card-list" id="matter-list">
        {items.map((m) => (
          <li key={m.id}>
            <Link to={`/matters/${m.id}`}>
              #{m.id} {m.title}
            </Link>
            <br />
            <span className="tag state">{t(`matters.state.${m.state}`)}</span> <span className="muted">{t.locale === "en" && m.categoryEn ? m.categoryEn : m.category}</span> ·{" "}
            <span className="muted">{t("matters.cosigns", { count: m.cosignCount })}</span>
          </li>
        ))}
      </ul>
      <nav className="pager" aria-label={t("matters.pageOf", { page })}>
        {page > 1 ? <Link to={pageLink(page - 1)}>{t("matters.pagePrev")}</Link> : <span />}
        <span>{t("matters.pageOf", { page })}</span>
        {hasNext ? <Link to={pageLink(page + 1)}>{t("matters.pageNext")}</Link> : <span />}
      </nav>
    </>
  );
}
