import { useT } from "~/i18n/use-t";
import { errorsOf, IntentField, IntentForm, type Reply } from "./simple-form";
import { PhotoField } from "./photo-field";

type Outcome = {
  decision: string;
  ratingOpen: boolean;
  ratingClosesAt: string | null;
  response: string | null;
  rating: { count: number; average: number | null; distribution: Record<string, number>; poor: boolean };
  comments: string[];
  myRating: number | null;
  canRate: boolean;
  commitments: {
    id: number;
    title: string;
    responsibleUnit: string;
    ownerId: number | null;
    ownerName: string | null;
    dueDate: string;
    status: "planned" | "in_progress" | "done" | "blocked" | "cancelled";
    progress: number;
    cancelReason: string | null;
    overdue: boolean;
    updates: { id: number; body: string; progress: number; status: string; createdAt: string; hasPhoto: boolean }[];
  }[];
};

/** The outcome of a decided matter: commitments with progress, updates, and the satisfaction rating. */
export function OutcomeSection({
  outcome,
  data,
  userId,
  isCommittee,
  state,
}: {
  outcome: Outcome;
  data: Reply;
  userId: number | null;
  isCommittee: boolean;
  state: string;
}) {
  const t = useT();
  const rateErrors = errorsOf(data, "rate");
  const respondErrors = errorsOf(data, "respond");
  const reopenErrors = errorsOf(data, "reopen");
  return (
    <section aria-labelledby="outcome-title">
      <h2 id="outcome-title">{t("outcomes.title")}</h2>
      <p>{outcome.decision}</p>
      <h3>{t("outcomes.commitments")}</h3>
      <ul className="card-list">
        {outcome.commitments.map((c) => {
          const intent = `update-${c.id}`;
          const errors = errorsOf(data, intent);
          const mayUpdate = state === "implementing" && (isCommittee || (userId !== null && c.ownerId === userId));
          return (
            <li key={c.id}>
              <strong>{c.title}</strong> <span className="tag">{t(`outcomes.status.${c.status}`)}</span>{" "}
              {c.overdue ? <span className="tag overdue">{t("outcomes.overdue")}</span> : null}
              <br />
              {c.responsibleUnit}
              {c.ownerName ? ` · ${c.ownerName}` : ""} · {t("outcomes.due", { date: c.dueDate })} · {t("outcomes.progress", { progress: c.progress })}
              <progress max={100} value={c.progress} aria-label={t("outcomes.progress", { progress: c.progress })} />
              {c.cancelReason ? <p>{t("matters.publicReason", { reason: c.cancelReason })}</p> : null}
              {c.updates.length ? (
                <ol className="timeline">
                  {c.updates.map((u) => (
                    <li key={u.id}>
                      <span className="muted">{t.time(u.createdAt)}</span> {u.body} ({u.progress}%)
                      {u.hasPhoto ? (
                        <img className="progress-photo" src={`/commitment-photos/${u.id}`} alt={t("outcomes.photoAlt", { title: c.title })} loading="lazy" />
                      ) : null}
                    </li>
                  ))}
                </ol>
              ) : null}
              {isCommittee && state === "implementing" ? <OwnerForm commitmentId={c.id} data={data} /> : null}
              {mayUpdate ? (
                <details open={Object.keys(errors).length > 0}>
                  <summary>{t("outcomes.update")}</summary>
                  <IntentForm intent={intent} encType="multipart/form-data">
                    <input type="hidden" name="commitmentId" value={c.id} />
                    <IntentField intent={intent} name="body" label="outcomes.updateBody" errors={errors} textarea />
                    <IntentField intent={intent} name="progress" label="outcomes.updateProgress" errors={errors} type="number" defaultValue={String(c.progress)} />
                    <div className="field">
                      <label htmlFor={`${intent}-status`}>{t("outcomes.updateStatus")}</label>
                      <select id={`${intent}-status`} name="status" defaultValue={c.status}>
                        {(["planned", "in_progress", "done", "blocked", "cancelled"] as const).map((s) => (
                          <option key={s} value={s}>
                            {t(`outcomes.status.${s}`)}
                          </option>
                        ))}
                      </select>
                    </div>
                    <IntentField intent={intent} name="cancelReason" label="outcomes.cancelReason" errors={errors} required={false} />
                    <PhotoField intent={intent} errors={errors} />
                    <button type="submit">{t("outcomes.updateSubmit")}</button>
                  </IntentForm>
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
      {isCommittee && state === "implementing" ? <AddCommitmentForm data={data} /> : null}
      {state === "completed" || outcome.rating.count > 0 ? (
        <>
          <h3>{t("outcomes.rating")}</h3>
          {outcome.ratingOpen && outcome.ratingClosesAt ? <p>{t("outcomes.ratingOpen", { time: t.time(outcome.ratingClosesAt) })}</p> : null}
          {outcome.rating.count ? (
            <>
              <p>{t("outcomes.ratingSummary", { average: outcome.rating.average ?? 0, count: outcome.rating.count })}</p>
              <ul>
                {[5, 4, 3, 2, 1].map((s) => (
                  <li key={s}>{t("outcomes.ratingDistribution", { score: s, count: outcome.rating.distribution[s] ?? 0 })}</li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t("outcomes.ratingNone")}</p>
          )}
          {outcome.rating.poor && !outcome.response ? <p className="notice">{t("outcomes.poor")}</p> : null}
          {outcome.response ? (
            <div className="notice">
              <strong>{t("outcomes.response")}</strong>
              <p>{outcome.response}</p>
            </div>
          ) : null}
          {outcome.myRating ? <p>{t("outcomes.myRating", { score: outcome.myRating })}</p> : null}
          {outcome.ratingOpen && outcome.canRate ? (
            <IntentForm intent="rate">
              <fieldset className="radios" aria-describedby={rateErrors.score ? "rate-score-error" : undefined}>
                <legend>{t("outcomes.score")}</legend>
                {rateErrors.score ? (
                  <p className="field-error" id="rate-score-error">
                    {t.msg(rateErrors.score[0])}
                  </p>
                ) : null}
                {[1, 2, 3, 4, 5].map((s) => (
                  <label key={s}>
                    <input type="radio" name="score" value={s} id={s === 1 ? "rate-score" : undefined} defaultChecked={outcome.myRating === s} /> {s}
                  </label>
                ))}
              </fieldset>
              <IntentField intent="rate" name="comment" label="outcomes.comment" errors={rateErrors} textarea required={false} />
              <button type="submit">{t("outcomes.rateSubmit")}</button>
            </IntentForm>
          ) : null}
          {isCommittee && outcome.rating.poor ? (
            <>
              <details open={Object.keys(respondErrors).length > 0}>
                <summary>{t("outcomes.respond")}</summary>
                <IntentForm intent="respond">
                  <IntentField intent="respond" name="response" label="outcomes.response" errors={respondErrors} textarea />
                  <button type="submit">{t("outcomes.respond")}</button>
                </IntentForm>
              </details>
              {state === "completed" ? (
                <details open={Object.keys(reopenErrors).length > 0}>
                  <summary>{t("outcomes.reopen")}</summary>
                  <IntentForm intent="reopen">
                    <IntentField intent="reopen" name="reason" label="outcomes.reopenReason" errors={reopenErrors} textarea />
                    <button type="submit" className="warning">
                      {t("outcomes.reopen")}
                    </button>
                  </IntentForm>
                </details>
              ) : null}
            </>
          ) : null}
          {outcome.comments.length ? (
            <ul className="card-list">
              {outcome.comments.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </section>
  );
}


/** The committee names (or clears) the account responsible for one commitment. */
function OwnerForm({ commitmentId, data }: { commitmentId: number; data: Reply }) {
  const t = useT();
  const intent = `owner-${commitmentId}`;
  const errors = errorsOf(data, intent);
  return (
    <details open={Object.keys(errors).length > 0}>
      <summary>{t("outcomes.ownerSet")}</summary>
      <IntentForm intent={intent}>
        <input type="hidden" name="commitmentId" value={commitmentId} />
        <IntentField intent={intent} name="owner" label="outcomes.owner" hint="outcomes.ownerHint" errors={errors} required={false} />
        <button type="submit">{t("outcomes.ownerSubmit")}</button>
      </IntentForm>
    </details>
  );
}

/** Another commitment, added while the matter is being carried out. */
function AddCommitmentForm({ data }: { data: Reply }) {
  const t = useT();
  const errors = errorsOf(data, "add-commitment");
  return (
    <details open={Object.keys(errors).length > 0}>
      <summary>{t("outcomes.addCommitment")}</summary>
      <IntentForm intent="add-commitment">
        <IntentField intent="add-commitment" name="title" label="outcomes.commitmentTitle" errors={errors} />
        <IntentField intent="add-commitment" name="responsibleUnit" label="outcomes.responsibleUnit" hint="outcomes.responsibleUnitHint" errors={errors} />
        <IntentField intent="add-commitment" name="dueDate" label="outcomes.dueDate" hint="outcomes.dueDateHint" errors={errors} />
        <button type="submit">{t("outcomes.addCommitmentSubmit")}</button>
      </IntentForm>
    </details>
  );
}

