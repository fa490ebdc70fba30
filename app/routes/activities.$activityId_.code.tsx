import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import volunteerStyles from "~/components/volunteers.css";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { getCheckinCode } from "~/modules/volunteers/activities.server";
import { publicOrigin, qrSvg } from "~/modules/volunteers/certificates.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.activity.codeTitle");
export const links = () => [{ rel: "stylesheet", href: volunteerStyles }];

/** The rotating code and its QR code, for the team's organizers to show or print at the venue. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.activityId);
  requireActor(context, request);
  const code = await loaderGuard(() => getCheckinCode(commandContext(context), id));
  const url = `${publicOrigin(request, context.settings?.publicOrigin)}/activities/${id}/checkin?code=${code.code}`;
  const seconds = Math.max(5, Math.ceil((code.changesAt.getTime() - context.clock.now().getTime()) / 1000));
  return json({ ...code, url, qr: await qrSvg(url), seconds }, { headers: { "Cache-Control": "no-store", Refresh: String(seconds) } });
}

export default function CheckinCode() {
  const t = useT();
  const { activityId, title, code, changesAt, url, qr, seconds } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  // with JavaScript the code refreshes in place; without it the Refresh header reloads the page
  useEffect(() => {
    const timer = setTimeout(() => revalidator.revalidate(), seconds * 1000);
    return () => clearTimeout(timer);
  }, [code, seconds, revalidator]);
  return (
    <>
      <p className="no-print">
        <Link to={`/activities/${activityId}`}>{title}</Link>
      </p>
      <h1>
        {t("volunteers.activity.codeTitle")}：{title}
      </h1>
      <p className="checkin-code" aria-live="polite" data-testid="checkin-code">
        {code}
      </p>
      <div className="qr" role="img" aria-label={t("volunteers.activity.qrAlt")} dangerouslySetInnerHTML={{ __html: qr }} />
      <p className="muted">{url}</p>
      <p>{t("volunteers.activity.codeHint")}</p>
      <p>{t("volunteers.activity.codeChanges", { time: t.time(changesAt) })}</p>
      <p className="no-print">
        <a href={`/activities/${activityId}/code`}>{t("volunteers.activity.refresh")}</a>
      </p>
    </>
  );
}
