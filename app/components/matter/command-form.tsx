import { Link, useParams } from "@remix-run/react";
import { Confirmed, ConfirmStep } from "~/components/confirm-step";
import { errorsOf, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { CONSULTATION_FORMS, IRREVERSIBLE_COMMANDS, type MatterCommand } from "~/modules/matters/states";

const IRREVERSIBLE = new Set<MatterCommand>(IRREVERSIBLE_COMMANDS);

/** The commands in the order they are shown: routine ones first, the irreversible ones after, apart. */
export const routineFirst = (commands: MatterCommand[]) => [...commands].sort((a, b) => Number(IRREVERSIBLE.has(a)) - Number(IRREVERSIBLE.has(b)));

/** One of the committee's commands on a matter: a button, or a form when it asks for more (the form, a reason, a target, a date). */
export function CommandForm({ command, data }: { command: MatterCommand; data: Reply }) {
  const t = useT();
  const { matterId } = useParams();
  const intent = `command-${command}`;
  // one scheduling step: the consultation's time is the first session's, set on the session form
  if (command === "schedule") {
    return (
      <p>
        <Link className="button" to={`/matters/${matterId}/sessions/new`}>
          {t("room.schedule")}
        </Link>
      </p>
    );
  }
  const errors = errorsOf(data, intent);
  const label = `matters.cmd.${command}` as MessageKey;
  // these cannot be undone: a second step, apart from the routine commands
  const irreversible = IRREVERSIBLE.has(command) ? (command as "reject" | "annul" | "withdraw" | "merge") : null;
  const fields = (() => {
    switch (command) {
      case "accept":
        return (
          <>
            <fieldset className="radios" aria-describedby={errors.form ? `${intent}-form-error` : undefined}>
              <legend>{t("matters.formLabel")}</legend>
              {errors.form ? (
                <p className="field-error" id={`${intent}-form-error`}>
                  {t.msg(errors.form[0])}
                </p>
              ) : null}
              {CONSULTATION_FORMS.map((f, i) => (
                <label key={f}>
                  <input type="radio" name="form" value={f} id={i === 0 ? `${intent}-form` : undefined} defaultChecked={i === 1} /> {t(`matters.form.${f}`)}
                </label>
              ))}
            </fieldset>
            <IntentField intent={intent} name="targetDate" label="matters.targetDate" hint="matters.targetDateHint" errors={errors} type="date" required={false} />
          </>
        );
      case "reject":
      case "annul":
        return <IntentField intent={intent} name="reason" label="matters.reason" hint="matters.reasonHint" errors={errors} textarea />;
      case "merge":
        return <IntentField intent={intent} name="targetId" label="matters.mergeTarget" hint="matters.mergeTargetHint" errors={errors} type="text" />;
      default:
        return null;
    }
  })();
  const button = (
    <button type="submit" name="command" value={command}>
      {t(label)}
    </button>
  );
  if (irreversible) {
    return (
      <ConfirmStep what={command} label={t(label)} consequence={t(`matters.consequence.${irreversible}`)}>
        <IntentForm intent="command">
          {fields}
          <Confirmed />
          <button type="submit" name="command" value={command} className="warning">
            {t("confirm.do", { action: t(label) })}
          </button>
        </IntentForm>
      </ConfirmStep>
    );
  }
  if (!fields) {
    return (
      <IntentForm intent="command" className="inline-form">
        {button}
      </IntentForm>
    );
  }
  return (
    <details open={Object.keys(errors).length > 0}>
      <summary>{t(label)}</summary>
      <IntentForm intent="command">
        {fields}
        {button}
      </IntentForm>
    </details>
  );
}
