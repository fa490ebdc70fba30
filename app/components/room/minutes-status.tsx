import { Confirmed, ConfirmStep } from "~/components/confirm-step";
import { errorsOf, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { useT } from "~/i18n/use-t";

interface StatusData {
  status: { expected: number; missing: number; confirmBy: string; confirmedAt: string | null; hasSummary: boolean; ready: boolean };
  corrections: { id: number; body: string; at: string }[];
  canConfirm: boolean;
  canCorrect: boolean;
  sessionId: number;
}

/**
 * Where the minutes stand (issue 19): a draft awaiting confirmations until a stated deadline, then
 * confirmed by the committee and public; corrections after that are appended, never edited in.
 */
export function MinutesStatus({ d, reply }: { d: StatusData; reply: Reply }) {
  const t = useT();
  const s = d.status;
  return (
    <section aria-labelledby="minutes-status-title" id="minutes-status">
      <h2 id="minutes-status-title">{t("minutes.status")}</h2>
      {s.confirmedAt ? (
        <p>
          <strong className="tag state">{t("minutes.confirmed")}</strong> {t("minutes.confirmedAt", { at: t.time(s.confirmedAt) })}{" "}
          <a href={`/open/minutes/${d.sessionId}`}>{t("minutes.publicLink")}</a>
        </p>
      ) : (
        <>
          <p>
            <strong className="tag">{t("minutes.draft")}</strong> {t("minutes.awaiting", { given: s.expected - s.missing, expected: s.expected, deadline: t.time(s.confirmBy) })}
          </p>
          {d.canConfirm && !s.hasSummary ? <p className="hint">{t("minutes.needSummary")}</p> : null}
          {d.canConfirm && s.hasSummary && !s.ready ? <p className="hint">{t("minutes.notYet")}</p> : null}
          {d.canConfirm && s.ready ? (
            <ConfirmStep what="minutes" label={t("minutes.confirm")} consequence={t("minutes.confirmConsequence")}>
              <IntentForm intent="confirm">
                <Confirmed />
                <button type="submit">{t("minutes.confirmSubmit")}</button>
              </IntentForm>
            </ConfirmStep>
          ) : null}
        </>
      )}
      {d.corrections.length ? (
        <>
          <h3>{t("minutes.corrections")}</h3>
          <ol id="minutes-corrections">
            {d.corrections.map((c) => (
              <li key={c.id}>
                {t.time(c.at)}: {c.body}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {d.canCorrect ? (
        <IntentForm intent="correct" className="no-print">
          <IntentField intent="correct" name="correction" label="minutes.correctionWrite" hint="minutes.correctionHint" errors={errorsOf(reply, "correct")} textarea />
          <button type="submit">{t("minutes.correctionSave")}</button>
        </IntentForm>
      ) : null}
    </section>
  );
}
