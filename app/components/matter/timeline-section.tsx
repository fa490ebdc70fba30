import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import type { MatterState } from "~/modules/matters/states";

interface TimelineEntry {
  id: number;
  at: string;
  kind: string;
  actor: string | null;
  params: unknown;
  toState: MatterState | null;
  reason: string | null;
}

/** The matter's public timeline, oldest first. */
export function TimelineSection({ timeline }: { timeline: TimelineEntry[] }) {
  const t = useT();
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("matters.timeline")}</h2>
      {timeline.length === 0 ? <p>{t("matters.timelineEmpty")}</p> : null}
      <ol className="timeline">
        {timeline.map((e) => (
          <li key={e.id}>
            <span className="muted">{t.time(e.at)}</span>
            <br />
            {t(`timeline.${e.kind}` as MessageKey, { actor: e.actor ?? t("timeline.system"), ...(e.params as Record<string, string>) })}
            {e.toState ? <span className="tag">{t(`matters.state.${e.toState}`)}</span> : null}
            {e.reason ? <p>{t("matters.publicReason", { reason: e.reason })}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
