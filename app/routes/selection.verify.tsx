import { json, type ActionFunctionArgs } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import type { MessageKey } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { VerifySchema } from "~/modules/matters/selection/schemas";
import { verifyPublishedJson } from "~/modules/matters/selection/verify.server";
import { formAction } from "~/web/http.server";

export const meta = titleMeta("selection.verifyTitle");

export async function loader() {
  return json({});
}

/** Anyone, signed in or not, pastes a published draw record and sees each check. Nothing is stored. */
export async function action({ request }: ActionFunctionArgs) {
  return formAction(request, VerifySchema, async (v) => ({ verification: verifyPublishedJson(v.record) }), "verify");
}

export default function VerifyDraw() {
  const t = useT();
  const data = useActionData<typeof action>() as (Reply & { verification?: ReturnType<typeof verifyPublishedJson> }) | undefined;
  const v = data?.verification;
  return (
    <>
      <IntentErrorSummary data={data} />
      <h1>{t("selection.verifyTitle")}</h1>
      <p>{t("selection.verifyIntro")}</p>
      {v ? (
        <section aria-labelledby="result-h" id="verify-result" data-ok={v.ok ? "yes" : "no"}>
          <h2 id="result-h">{t(v.ok ? (v.drawn ? "selection.verified" : "selection.verifiedBeforeDraw") : "selection.notVerified")}</h2>
          {v.error ? <p>{t(v.error as MessageKey)}</p> : null}
          <ul>
            {v.checks.map((c) => (
              <li key={c.check}>
                {c.ok ? "✓" : "✗"} {t(`selection.check.${c.check}` as MessageKey)}
              </li>
            ))}
          </ul>
          {v.panel ? <p>{t("selection.verifiedPanel", { panel: v.panel.join(", ") })}</p> : null}
        </section>
      ) : null}
      <IntentForm intent="verify">
        <IntentField intent="verify" name="record" label="selection.record" hint="selection.recordHint" textarea errors={errorsOf(data, "verify")} />
        <button type="submit">{t("selection.verifyButton")}</button>
      </IntentForm>
    </>
  );
}
