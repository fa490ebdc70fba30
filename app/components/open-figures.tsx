import { useT } from "~/i18n/use-t";

interface Figures {
  medianDaysToDecision: number | null;
  medianDaysToCompletion: number | null;
  decidedCount: number;
  completedCount: number;
  overdue: number;
  ratingAverage: number | null;
  ratingCount: number;
  objectionsOpen: number;
  objectionsOverdue: number;
}

/** The dashboard's figures on the open page (issue 19): the area's total and, above a community, one row per community. */
export function OpenFigures({ total, communities }: { total: Figures; communities: (Figures & { id: number; name: string })[] }) {
  const t = useT();
  const days = (v: number | null) => (v === null ? t("dashboard.none") : t("dashboard.days", { days: v }));
  const rating = (f: Figures) => (f.ratingAverage === null ? t("dashboard.none") : t("dashboard.satisfactionValue", { average: f.ratingAverage, count: f.ratingCount }));
  return (
    <section aria-labelledby="open-figures">
      <h2 id="open-figures">{t("open.figures")}</h2>
      <dl className="figures" id="open-figures-list">
        <div>
          <dt>{t("dashboard.toDecision")}</dt>
          <dd>
            {days(total.medianDaysToDecision)} <span className="muted">{t("dashboard.basedOn", { count: total.decidedCount })}</span>
          </dd>
        </div>
        <div>
          <dt>{t("dashboard.toCompletion")}</dt>
          <dd>
            {days(total.medianDaysToCompletion)} <span className="muted">{t("dashboard.basedOn", { count: total.completedCount })}</span>
          </dd>
        </div>
        <div>
          <dt>{t("dashboard.overdue")}</dt>
          <dd>{total.overdue}</dd>
        </div>
        <div>
          <dt>{t("dashboard.satisfaction")}</dt>
          <dd>{rating(total)}</dd>
        </div>
        <div>
          <dt>{t("oversight.figure")}</dt>
          <dd>
            {t("oversight.figureValue", { open: total.objectionsOpen })}{" "}
            {total.objectionsOverdue ? <strong className="tag overdue">{t("oversight.overdueFlag", { count: total.objectionsOverdue })}</strong> : null}
          </dd>
        </div>
      </dl>
      {communities.length > 1 ? (
        <div className="table-wrap">
          <table>
            <caption>{t("dashboard.perCommunity")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("dashboard.community")}</th>
                <th scope="col">{t("dashboard.toDecision")}</th>
                <th scope="col">{t("dashboard.overdue")}</th>
                <th scope="col">{t("dashboard.satisfaction")}</th>
                <th scope="col">{t("oversight.overdueColumn")}</th>
              </tr>
            </thead>
            <tbody>
              {communities.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <a href={`/open/${c.id}`}>{c.name}</a>
                  </th>
                  <td>{days(c.medianDaysToDecision)}</td>
                  <td>{c.overdue}</td>
                  <td>{rating(c)}</td>
                  <td>{c.objectionsOverdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
