import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { pct, type SelectionView } from "./types";

/** A registrant's own chance and, in plain words, which quotas make it what it is. */
export function MyChance({ chance }: { chance: NonNullable<SelectionView["viewer"]["chance"]> }) {
  const t = useT();
  return (
    <section aria-labelledby="my-chance-h" id="my-chance">
      <h2 id="my-chance-h">{t("selection.mine.heading")}</h2>
      {chance.excluded ? (
        <p>{t("selection.mine.excluded", { reason: t(`selection.excludedReason.${chance.excluded}` as MessageKey) })}</p>
      ) : (
        <>
          <p className="lead">{t("selection.mine.probability", { p: pct(chance.probability), even: pct(chance.even) })}</p>
          <p>{t(`selection.mine.level.${chance.level}` as MessageKey)}</p>
          <ul>
            {chance.reasons.map((r) => (
              <li key={`${r.category}|${r.value}`}>{t(`selection.mine.${r.effect}` as MessageKey, { category: r.category, value: r.value, count: r.count, min: r.min, max: r.max })}</li>
            ))}
            {chance.sharesHousehold ? <li>{t("selection.mine.household")}</li> : null}
          </ul>
          <p className="hint">{t("selection.mine.balance")}</p>
        </>
      )}
    </section>
  );
}
