import { Link } from "@remix-run/react";
import { Confirmed, ConfirmStep } from "~/components/confirm-step";
import { errorsOf, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { useT } from "~/i18n/use-t";
import type { MatterView, PlanView, SelectionView } from "./types";

/** The published record (digests, commitment; after the draw the entropy and seed), its check, and the committee's draw form. */
export function PublishedDraw({ s, plan, matter, data }: { s: SelectionView; plan: PlanView; matter: MatterView; data: Reply }) {
  const t = useT();
  return (
    <section aria-labelledby="verify-h">
      <h2 id="verify-h">{t("selection.publishedHeading")}</h2>
      <dl className="facts digest">
        <dt>{t("selection.algorithm")}</dt>
        <dd>{s.report?.algorithm}</dd>
        <dt>{t("selection.poolDigest")}</dt>
        <dd>
          <code>{plan.poolDigest}</code>
        </dd>
        <dt>{t("selection.distributionDigest")}</dt>
        <dd>
          <code>{plan.distributionDigest}</code>
        </dd>
        <dt>{t("selection.commitment")}</dt>
        <dd>
          <code>{plan.commitment}</code>
        </dd>
        {plan.status === "drawn" ? (
          <>
            <dt>{t("selection.entropy")}</dt>
            <dd>{plan.entropy}</dd>
            <dt>{t("selection.seed")}</dt>
            <dd>
              <code>{plan.seed}</code>
            </dd>
          </>
        ) : null}
      </dl>
      {s.verification?.drawn ? (
        <p id="verification" data-ok={s.verification.ok ? "yes" : "no"}>
          {t(s.verification.ok ? "selection.verified" : "selection.notVerified")}
        </p>
      ) : null}
      <p>
        <a href={`/matters/${matter.id}/selection.json`} download>
          {t("selection.download")}
        </a>{" "}
        · <Link to="/selection/verify">{t("selection.verifyElsewhere")}</Link>
      </p>
      {s.viewer.committee && plan.status === "computed" && matter.state === "selecting" ? (
        <ConfirmStep what="draw" label={t("selection.draw")} consequence={t("selection.drawConsequence")}>
          <IntentForm intent="draw">
            <IntentField intent="draw" name="entropy" label="selection.entropy" hint="selection.entropyHint" errors={errorsOf(data, "draw")} />
            <Confirmed />
            <button type="submit" className="warning">
              {t("confirm.do", { action: t("selection.draw") })}
            </button>
          </IntentForm>
        </ConfirmStep>
      ) : null}
    </section>
  );
}
