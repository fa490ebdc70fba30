import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import volunteerStyles from "~/components/volunteers.css";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { getMatterPage } from "~/modules/matters/queries.server";
import { qrSvg } from "~/modules/volunteers/certificates.server";
import { commandContext, idFromParams, loaderGuard } from "~/web/http.server";
import { shareUrlOf } from "~/web/share.server";

export const meta = titleMeta("matters.share.title");
export const links = () => [{ rel: "stylesheet", href: volunteerStyles }];

/** The matter's share link as a printable QR code, to hand to neighbours or pin up in the stairwell. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  const page = await loaderGuard(() => getMatterPage(commandContext(context), id));
  const url = shareUrlOf(request, context.settings?.publicOrigin, id);
  return json({ id, title: page.matter.title, state: page.matter.state, cosignCount: page.matter.cosignCount, threshold: page.matter.threshold, url, qr: await qrSvg(url) });
}

export default function ShareMatter() {
  const t = useT();
  const { id, title, cosignCount, threshold, url, qr } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="no-print">
        <Link to={`/matters/${id}`}>
          #{id} {title}
        </Link>
      </p>
      <h1>{t("matters.share.heading", { title })}</h1>
      <p>{t("matters.share.ask", { count: cosignCount, threshold: threshold ?? 0 })}</p>
      <div className="qr" role="img" aria-label={t("matters.share.qrAlt", { title })} dangerouslySetInnerHTML={{ __html: qr }} />
      <p className="muted">{url}</p>
      <p>{t("matters.share.how")}</p>
      <p className="no-print">{t("matters.share.print")}</p>
    </>
  );
}
