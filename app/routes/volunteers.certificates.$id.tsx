import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import volunteerStyles from "~/components/volunteers.css";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { getMyCertificate, publicOrigin, qrSvg, verificationUrl } from "~/modules/volunteers/certificates.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.cert.title");
export const links = () => [{ rel: "stylesheet", href: volunteerStyles }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.id);
  requireActor(context, request);
  const cert = await loaderGuard(() => getMyCertificate(commandContext(context), id));
  const url = verificationUrl(publicOrigin(request, context.settings?.publicOrigin), cert.number);
  return json({ cert, url, qr: await qrSvg(url) });
}

/** The printable certificate: the browser's print gives paper; the PDF link gives a file. */
export default function CertificatePage() {
  const t = useT();
  const { cert, url, qr } = useLoaderData<typeof loader>();
  const row = (label: Parameters<typeof t>[0], value: string) => (
    <div>
      <dt>{t(label)}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <>
      <p className="no-print">
        <Link to="/volunteers/certificates">{t("volunteers.cert.list")}</Link> · <a href={`/volunteers/certificates/${cert.id}/pdf`}>{t("volunteers.cert.pdf")}</a>
      </p>
      <article className="certificate">
        <h1>{t("volunteers.cert.title")}</h1>
        <p className="muted">{t("volunteers.cert.numberLine", { number: cert.number })}</p>
        <dl className="facts">
          {row("volunteers.cert.name", cert.volunteer.realName)}
          {row("volunteers.cert.idMasked", cert.volunteer.idMasked)}
          {row("volunteers.cert.volunteerNumber", cert.volunteer.volunteerNumber ?? "")}
          {row("volunteers.cert.period", `${cert.periodFrom ?? ""} — ${cert.periodTo ?? ""}`)}
          {row("volunteers.cert.hours", t("volunteers.hoursValue", { hours: cert.hours }))}
          {row("volunteers.cert.records", String(cert.recordCount))}
          {row("volunteers.cert.content", cert.summary)}
          {row("volunteers.cert.issuers", cert.issuers.join("；"))}
          {row("volunteers.cert.issuedAt", t.time(cert.issuedAt))}
        </dl>
        <p>{t("volunteers.cert.statement")}</p>
        <p>{t("volunteers.cert.verifyAt")}</p>
        <div className="qr" role="img" aria-label={t("volunteers.cert.qrAlt")} dangerouslySetInnerHTML={{ __html: qr }} />
        <p>
          <a href={url}>{url}</a>
        </p>
      </article>
    </>
  );
}
