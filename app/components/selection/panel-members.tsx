import { IntentForm } from "~/components/simple-form";
import { formatTime, type MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import type { SelectionView } from "./types";

/** The panel as drawn: each seat's holder, source and answer; the invitee (or the committee for a seat reached offline) answers here. */
export function PanelMembers({ s }: { s: SelectionView }) {
  const t = useT();
  return (
    <section aria-labelledby="panel-h">
      <h2 id="panel-h">{t("selection.panelHeading")}</h2>
      <p id="panel-count">{t("selection.acceptedCount", { accepted: s.accepted, size: s.plan?.panelSize ?? 0 })}</p>
      {s.full ? <p>{t("selection.full")}</p> : null}
      <ul className="plain" id="panel-members">
        {s.members.map((m) => (
          <li key={m.id} data-status={m.status}>
            <strong>{m.label}</strong> — {t(`selection.source.${m.source}` as MessageKey)} · {t(`selection.status.${m.status}` as MessageKey)}
            {m.status === "invited" ? ` · ${t("selection.respondBy", { by: formatTime(t.locale, m.respondBy) })}` : ""}
            {m.answerable ? (
              <span className="actions">
                {(["accept", "decline"] as const).map((answer) => (
                  <IntentForm key={answer} intent="answer" className="inline">
                    <input type="hidden" name="memberId" value={m.id} />
                    <input type="hidden" name="answer" value={answer} />
                    <button type="submit" className={answer === "decline" ? "secondary" : undefined}>
                      {answer === "accept" ? t(m.mine ? "selection.accept" : "selection.acceptFor", { name: m.label }) : t(m.mine ? "selection.decline" : "selection.declineFor", { name: m.label })}
                    </button>
                  </IntentForm>
                ))}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
