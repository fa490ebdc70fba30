import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import volunteerStyles from "~/components/volunteers.css";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { verifyCertificate } from "~/modules/volunteers/certificates.server";
import { commandContext } from "~/web/http.server";

export const meta = titleMeta("volunteers.verify.title");
export const links = () => [{ rel: "stylesheet", href: volunteerStyles }];

/** Public verification: genuine or not, and only the hours, issuers and dates. A forged number is a 404. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const result = await verifyCertificate(commandContext(context), (params.number ?? "").slice(0, 80));
  return json({ result }, { status: result.genuine ? 200 : 404 });
}

export default function VerifyResult() {
  const t = useT();
  const { result } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("volunteers.verify.title")}</h1>
      {result.genuine ? (
        <div className="verdict-ok" role="status">
          <p>
            <strong>{t("volunteers.verify.genuine", { number: result.number })}</strong>
          </p>
          <p>{t("volunteers.verify.hours", { hours: result.hours })}</p>
          <p>{t("volunteers.verify.issuers", { issuers: result.issuers.join("；") })}</p>
          <p>{t("volunteers.verify.period", { from: result.periodFrom ?? "", to: result.periodTo ?? "" })}</p>
          <p>{t("volunteers.verify.issuedAt", { date: t.time(result.issuedAt) })}</p>
        </div>
      ) : (
        <div className="verdict-bad" role="status">
          <p>
            <strong>{t("volunteers.verify.notGenuine", { number: result.number })}</strong>
          </p>
        </div>
      )}
      <Form method="get" action="/certificates">
        <div className="field">
          <label htmlFor="number">{t("volunteers.verify.number")}</label>
          <p className="hint" id="number-hint">
            {t("volunteers.verify.numberHint")}
          </p>
          <input id="number" name="number" aria-describedby="number-hint" autoComplete="off" required maxLength={60} />
        </div>
        <button type="submit">{t("volunteers.verify.submit")}</button>
      </Form>
    </>
  );
}
