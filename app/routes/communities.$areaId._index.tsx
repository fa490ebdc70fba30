import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { ErrorSummary, Field, getFormProps, Notice, useSchemaForm } from "~/components/forms";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { getAreaPage, requestMembership } from "~/modules/communities/communities.server";
import { JoinSchema } from "~/modules/communities/schemas";
import { commandContext, formAction, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${data?.area.name ?? ""} — ${translate(locale, "app.name")}` }];
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  return json(await loaderGuard(() => getAreaPage(commandContext(context), id)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  return formAction(request, JoinSchema, async (value) => {
    await requestMembership(commandContext(context), id, value);
    // post/redirect/get: a reload shows the page again instead of sending the request twice
    return redirect(`/communities/${id}?joined=1`);
  });
}

export default function CommunityPage() {
  const t = useT();
  const { area, children, parents, membership, canJoin, canManage, canCategories, canDashboard, verifiedResidents } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const location = useLocation();
  const [search] = useSearchParams();
  const [form, fields] = useSchemaForm(JoinSchema, data?.result, "join");
  const signedIn = !!(membership || canJoin);
  return (
    <>
      <ErrorSummary form={form} fields={[fields.address, fields.birthYear]} />
      {parents.length ? (
        <nav aria-label="breadcrumb" className="muted">
          {parents.map((p, i) => (
            <span key={p.id}>
              {i > 0 ? " › " : ""}
              <Link to={`/communities/${p.id}`}>{p.name}</Link>
            </span>
          ))}
        </nav>
      ) : null}
      <h1>{area.name}</h1>
      <p>
        <span className="tag">{area.kind === "community" ? t(`community.type.${area.communityType ?? "urban"}`) : t(`community.kind.${area.kind}`)}</span>{" "}
        {t("community.residents", { count: area.residents })} · {t("community.households", { count: area.households })}
        {area.kind === "community" ? ` · ${t("role.verified")} ${verifiedResidents}` : ""}
      </p>
      {area.kind === "community" ? (
        <p>
          <Link to={`/communities/${area.id}/matters`}>{t("community.matters")}</Link>
        </p>
      ) : null}
      <p>
        <Link to={`/open/${area.id}`}>{t("open.link")}</Link>
      </p>
      <p>
        <Link to={`/communities/${area.id}/volunteers`}>{t("volunteers.dashboard.title", { area: area.name })}</Link>
      </p>
      {canManage ? (
        <p>
          <Link to={`/communities/${area.id}/members`}>{t("community.manage")}</Link>
        </p>
      ) : null}
      {canManage ? (
        <p>
          <Link to={`/communities/${area.id}/settings`}>{t("settings.link")}</Link>
        </p>
      ) : null}
      {canManage ? (
        <p>
          <Link to={`/communities/${area.id}/register`}>{t("register.link")}</Link>
        </p>
      ) : null}
      {canDashboard ? (
        <p>
          <Link to={`/communities/${area.id}/dashboard`}>{t("dashboard.link")}</Link>
        </p>
      ) : null}
      {canDashboard && area.kind === "community" ? (
        <p>
          <Link to={`/communities/${area.id}/moderation`}>{t("moderation.link")}</Link>
        </p>
      ) : null}
      {canCategories ? (
        <p>
          <Link to={`/communities/${area.id}/categories`}>{t("categories.manage")}</Link>
        </p>
      ) : null}
      {search.get("joined") && membership?.status === "pending" ? <Notice>{t("community.join.done")}</Notice> : null}
      {area.kind === "community" ? (
        membership ? (
          <Notice>{t(`community.status.${membership.status}`, { reason: membership.declineReason ?? "" })}</Notice>
        ) : null
      ) : null}
      {area.kind === "community" && canJoin && !canManage ? (
        <section aria-labelledby="join-title">
          <h2 id="join-title">{t("community.join.title")}</h2>
          <Form method="post" {...getFormProps(form)}>
            <Field field={fields.address} label="community.join.address" hint="community.join.addressHint" autoComplete="street-address" />
            <Field field={fields.birthYear} label="join.birthYear" hint="join.birthYearHint" inputMode="numeric" optional />
            <button type="submit">{t("community.join.submit")}</button>
          </Form>
        </section>
      ) : null}
      {area.kind === "community" && canJoin && canManage ? (
        // the person who runs the community is not asked to join it; one who also lives here still can
        <details open={!!data}>
          <summary>{t("community.join.staffAlsoResident")}</summary>
          <Form method="post" {...getFormProps(form)}>
            <Field field={fields.address} label="community.join.address" hint="community.join.addressHint" autoComplete="street-address" />
            <button type="submit" className="secondary">
              {t("community.join.submit")}
            </button>
          </Form>
        </details>
      ) : null}
      {area.kind === "community" && !signedIn ? (
        <p>
          <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>{t("community.join.signIn")}</Link>
        </p>
      ) : null}
      {children.length ? (
        <section aria-labelledby="children-title">
          <h2 id="children-title">{area.kind === "county" ? t("community.towns") : t("community.communities")}</h2>
          <ul className="card-list">
            {children.map((c) => (
              <li key={c.id}>
                <Link to={`/communities/${c.id}`}>{c.name}</Link>{" "}
                <span className="muted">{t("community.households", { count: c.households })}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
