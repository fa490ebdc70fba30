import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, getFormProps, useSchemaForm } from "~/components/forms";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { getResetTarget, issueResetCode, listResetTargets } from "~/modules/accounts/reset.server";
import { IssueResetSchema } from "~/modules/accounts/schemas";
import { commandContext, formAction, idFromParams, loaderGuard, parseId, requireActor } from "~/web/http.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${translate(locale, "resets.title", { community: data?.area.name ?? "" })} — ${translate(locale, "app.name")}` }];
};

/** The community's verified residents; with ?user=ID, the confirm step for that one resident. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const list = await loaderGuard(() => listResetTargets(ctx, id));
  const raw = new URL(request.url).searchParams.get("user");
  const userId = raw === null ? null : (parseId(raw) ?? 0);
  const confirm = userId === null ? null : (await loaderGuard(() => getResetTarget(ctx, id, userId || -1))).resident;
  return json({ ...list, confirm });
}

/** Issues the code; the answer carries it once and it is never shown again. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  return formAction(request, IssueResetSchema, async (value) => {
    const r = await issueResetCode(commandContext(context), id, value);
    return { issued: { code: r.code, expiresAt: r.expiresAt.toISOString(), displayName: r.resident.displayName } };
  });
}

export default function Resets() {
  const t = useT();
  const { area, residents, confirm } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form] = useSchemaForm(IssueResetSchema, data?.result, "issue-reset");
  const issued = data && "issued" in data ? (data.issued as { code: string; expiresAt: string; displayName: string }) : null;
  if (issued) {
    return (
      <>
        <h1>{t("resets.codeTitle", { name: issued.displayName })}</h1>
        <p className="reset-code" data-reset-code>
          <strong>{issued.code}</strong>
        </p>
        <p>{t("resets.codeBody", { time: t.time(issued.expiresAt) })}</p>
        <p>
          <Link to={`/communities/${area.id}/resets`}>{t("resets.back")}</Link>
        </p>
      </>
    );
  }
  if (confirm) {
    return (
      <>
        <ErrorSummary form={form} fields={[]} />
        <h1>{t("resets.confirmTitle", { name: confirm.displayName })}</h1>
        <p>
          {t("members.address", { address: confirm.address })}
          <br />
          {t("resets.login", { login: confirm.login })}
        </p>
        <p>{t("resets.confirmBody")}</p>
        <Form method="post" action={`/communities/${area.id}/resets?user=${confirm.userId}`} {...getFormProps(form)}>
          <input type="hidden" name="userId" value={confirm.userId} />
          <button type="submit" className="warning">
            {t("resets.confirmSubmit")}
          </button>
        </Form>
        <p>
          <Link to={`/communities/${area.id}/resets`}>{t("resets.cancel")}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <p>
        <Link to={`/communities/${area.id}/members`}>{area.name}</Link>
      </p>
      <h1>{t("resets.title", { community: area.name })}</h1>
      <p>{t("resets.intro")}</p>
      {residents.length === 0 ? <p>{t("resets.none")}</p> : null}
      <ul className="card-list">
        {residents.map((r) => (
          <li key={r.userId} data-resident={r.userId}>
            <strong>{r.displayName}</strong>
            <br />
            {t("members.address", { address: r.address })} · {t("resets.login", { login: r.login })}
            {r.liveUntil ? (
              <>
                <br />
                <span className="muted">{t("resets.live", { time: t.time(r.liveUntil) })}</span>
              </>
            ) : null}
            <br />
            {r.allowed ? (
              <Link className="button" to={`?user=${r.userId}`} aria-label={`${t("resets.issue")}：${r.displayName}`}>
                {t("resets.issue")}
              </Link>
            ) : (
              <span className="muted">{t("resets.notAllowed")}</span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
