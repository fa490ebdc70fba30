import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { VerifyQuerySchema } from "~/modules/volunteers/schemas";
import { queryOf } from "~/web/http.server";

export const meta = titleMeta("volunteers.verify.title");

/** The public check (no sign-in): a plain GET form; a number goes to its own page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { number } = queryOf(request, VerifyQuerySchema);
  const n = number?.trim();
  if (n) throw redirect(`/certificates/${encodeURIComponent(n.slice(0, 60))}`);
  return json({});
}

export default function VerifyForm() {
  const t = useT();
  return (
    <>
      <h1>{t("volunteers.verify.title")}</h1>
      <p>{t("volunteers.verify.intro")}</p>
      <Form method="get">
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
