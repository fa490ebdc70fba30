import { useT } from "~/i18n/use-t";

/** The rules that bind a matter, each with the moment it was fixed (issue 19); nothing until one is. */
export function MatterRules({
  rules,
}: {
  rules: {
    threshold: number | null;
    thresholdFixedAt: string | null;
    noticeDays: number | null;
    noticeFixedAt: string | null;
    publicNames: "real" | "masked" | null;
    namesFixedAt: string | null;
  };
}) {
  const t = useT();
  const rows: [string, string][] = [];
  if (rules.threshold !== null && rules.thresholdFixedAt) rows.push([t("rules.threshold"), t("rules.thresholdValue", { count: rules.threshold, time: t.time(rules.thresholdFixedAt) })]);
  if (rules.noticeDays !== null && rules.noticeFixedAt) rows.push([t("rules.notice"), t("rules.noticeValue", { days: rules.noticeDays, time: t.time(rules.noticeFixedAt) })]);
  if (rules.publicNames && rules.namesFixedAt) rows.push([t("rules.names"), t(rules.publicNames === "masked" ? "rules.namesMasked" : "rules.namesReal", { time: t.time(rules.namesFixedAt) })]);
  if (!rows.length) return null;
  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">{t("rules.title")}</h2>
      <p className="hint">{t("rules.hint")}</p>
      <dl className="facts" id="matter-rules">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
