import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, getFormProps, Notice, useSchemaForm } from "~/components/forms";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { decideMembership, listMembers } from "~/modules/communities/communities.server";
import { DecideMembershipSchema } from "~/modules/communities/schemas";
import { EmptySchema } from "~/web/action-schemas.server";
import { getLiveVenueCode, issueVenueCode, VENUE_CODE_HOURS } from "~/modules/communities/venue-codes.server";
import { commandContext, formAction, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${translate(locale, "members.title", { community: data?.area.name ?? "" })} — ${translate(locale, "app.name")}` }];
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const page = await loaderGuard(() => listMembers(ctx, id));
  return json({ ...page, venue: await getLiveVenueCode(ctx, id) });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.areaId);
  requireActor(context, request);
  if ((await intentOf(request)) === "venue") {
    return formAction(request, EmptySchema, async () => (await issueVenueCode(commandContext(context), id), redirect(`/communities/${id}/members#venue-title`)), "venue");
  }
  return formAction(request, DecideMembershipSchema, async (value) => {
    const r = await decideMembership(commandContext(context), value);
    return redirect(`/communities/${id}/members?${new URLSearchParams({ [r.status]: r.displayName })}`);
  });
}

function DecideForm({ id, name }: { id: number; name: string }) {
  const t = useT();
  const data = useActionData<typeof action>();
  const mine = data?.result?.initialValue?.membershipId === String(id);
  const [form, fields] = useSchemaForm(DecideMembershipSchema, mine ? data?.result : undefined, `decide-${id}`);
  const reason = fields.reason as unknown as { id: string; name: string; errors?: string[]; errorId: string };
  return (
    <>
      <ErrorSummary form={form} fields={[]} />
      <div className="actions">
        <Form method="post">
          <input type="hidden" name="membershipId" value={id} />
          <button type="submit" name="decision" value="verify" aria-label={`${t("members.verify")}：${name}`}>
            {t("members.verify")}
          </button>
        </Form>
        <details open={!!reason.errors?.length}>
          <summary>{t("members.decline")}</summary>
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="membershipId" value={id} />
            <div className={`field${reason.errors?.length ? " field--error" : ""}`}>
              <label htmlFor={reason.id}>{t("members.declineReason")}</label>
              <p className="hint" id={`${reason.id}-hint`}>
                {t("members.declineReasonHint")}
              </p>
              {reason.errors?.length ? (
                <p className="field-error" id={reason.errorId}>
                  {t.msg(reason.errors[0])}
                </p>
              ) : null}
              <input
                id={reason.id}
                name="reason"
                aria-invalid={reason.errors?.length ? true : undefined}
                aria-describedby={`${reason.id}-hint${reason.errors?.length ? ` ${reason.errorId}` : ""}`}
              />
            </div>
            <button type="submit" name="decision" value="decline" className="warning">
              {t("members.decline")}
            </button>
          </Form>
        </details>
      </div>
    </>
  );
}

export default function Members() {
  const t = useT();
  const { area, pending, verified, venue } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const verifiedName = search.get("verified");
  const declinedName = search.get("declined");
  return (
    <>
      <p>
        <Link to={`/communities/${area.id}`}>{area.name}</Link>
      </p>
      <h1>{t("members.title", { community: area.name })}</h1>
      <p>
        <Link to={`/communities/${area.id}/resets`}>{t("members.resetsLink")}</Link>
      </p>
      {verifiedName ? <Notice>{t("members.verifiedDone", { name: verifiedName.slice(0, 40) })}</Notice> : null}
      {declinedName ? <Notice>{t("members.declinedDone", { name: declinedName.slice(0, 40) })}</Notice> : null}
      <section aria-labelledby="venue-title">
        <h2 id="venue-title">{t("members.venue.title")}</h2>
        <p className="hint">{t("members.venue.intro")}</p>
        {venue ? (
          <p>
            {t("members.venue.code")} <strong className="venue-code">{venue.code}</strong>
            <br />
            {t("members.venue.until", { time: t.time(venue.expiresAt), uses: venue.uses, max: venue.maxUses })}
          </p>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="venue" />
          <button type="submit" className="secondary">
            {t(venue ? "members.venue.renew" : "members.venue.issue", { hours: VENUE_CODE_HOURS })}
          </button>
        </Form>
      </section>
      <h2>{t("members.pending")}</h2>
      {pending.length === 0 ? <p>{t("members.none")}</p> : null}
      <ul className="card-list">
        {pending.map((m) => (
          <li key={m.id} data-membership={m.id}>
            <strong>{m.displayName}</strong>
            <br />
            {t("members.address", { address: m.address })}
            <br />
            <span className="muted">{t("members.requestedAt", { time: t.time(m.createdAt) })}</span>
            <DecideForm id={m.id} name={m.displayName} />
          </li>
        ))}
      </ul>
      <h2>{t("members.verified")}</h2>
      <ul className="card-list">
        {verified.map((m) => (
          <li key={m.id}>
            {m.displayName} — {m.address}
          </li>
        ))}
      </ul>
    </>
  );
}
