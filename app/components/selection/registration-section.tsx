import { Link } from "@remix-run/react";
import { errorsOf, IntentForm, IntentSelect, type Reply } from "~/components/simple-form";
import { useT } from "~/i18n/use-t";
import type { PlanView, SelectionView } from "./types";

/** A resident registers interest or withdraws it; someone signed out is asked to sign in. */
export function RegistrationSection({ s, plan, matterId, signedIn, data }: { s: SelectionView; plan: PlanView; matterId: number; signedIn: boolean; data: Reply }) {
  const t = useT();
  if (!signedIn) {
    return (
      <p>
        <Link to={`/login?next=/matters/${matterId}/selection`}>{t("selection.signInToRegister")}</Link>
      </p>
    );
  }
  if (s.viewer.committee) return null;
  return (
    <section aria-labelledby="reg-h">
      <h2 id="reg-h">{t("selection.registerHeading")}</h2>
      {!s.viewer.verified ? (
        <p>{t("matters.errors.notVerified")}</p>
      ) : s.viewer.registration ? (
        <>
          <p>{t("selection.registeredAs", { id: s.viewer.registration.pseudonym })}</p>
          {!s.deadlinePassed ? (
            <IntentForm intent="withdraw">
              <button type="submit" className="secondary">
                {t("selection.withdraw")}
              </button>
            </IntentForm>
          ) : null}
        </>
      ) : s.deadlinePassed ? (
        <p>{t("selection.errors.registrationClosed")}</p>
      ) : (
        <IntentForm intent="register">
          <p className="hint">{t("selection.registerHint")}</p>
          {plan.attributes.map((a, i) => (
            <IntentSelect
              key={a.key}
              intent="register"
              name={`a${i}`}
              labelText={a.label}
              errors={errorsOf(data, "register")}
              options={[{ value: "", label: t("form.choose") }, ...a.values.map((v) => ({ value: v, label: v }))]}
            />
          ))}
          <button type="submit">{t("selection.register")}</button>
        </IntentForm>
      )}
    </section>
  );
}
