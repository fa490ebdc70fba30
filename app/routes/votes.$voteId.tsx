import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import { Confirmed, ConfirmStep } from "~/components/confirm-step";
import { Notice } from "~/components/notice";
import { LiveTurnout } from "~/realtime/live-turnout";
import { errorsOf, IntentErrorSummary, IntentForm, type Reply } from "~/components/simple-form";
import { translate, type MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { CastBallotSchema, ConfirmationSchema, PaperBallotSchema } from "~/web/action-schemas.server";
import { castBallot } from "~/modules/matters/voting/cast.server";
import { closeVote } from "~/modules/matters/voting/close.server";
import { enterPaperBallot } from "~/modules/matters/voting/paper.server";
import { formatReceipt, newBallotKey } from "~/modules/matters/voting/receipts.server";
import { getVotePage } from "~/modules/matters/voting/results.server";
import { cancelScheduledVote } from "~/modules/matters/voting/setup.server";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";
import { ReadAloud } from "~/components/read-aloud";

/** Closing early and cancelling cannot be undone: their forms carry the confirmation step's field. */

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${data?.page.vote.question ?? ""} — ${translate(locale, "app.name")}` }];
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.voteId);
  const page = await loaderGuard(() => getVotePage(commandContext(context), id));
  // a fresh key per rendered form: a resubmitted form is the same ballot, never a second one
  return json({ page: { ...page, signedIn: !!context.actor }, idem: newBallotKey() });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.voteId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  switch (intent) {
    case "cast":
      // no redirect: the answer shows the receipt; reposting the same form is idempotent
      return formAction(request, CastBallotSchema, async (v) => {
        const r = await castBallot(ctx, id, v);
        return { receipt: r.receipt ? formatReceipt(r.receipt) : null, changed: r.changed };
      }, intent);
    case "paper":
      return formAction(request, PaperBallotSchema, async (v) => (await enterPaperBallot(ctx, id, v), redirect(`/votes/${id}?paper=1`)), intent);
    case "close":
      return formAction(request, ConfirmationSchema, async (v) => (await closeVote(ctx, id, "actor", v.confirm), redirect(`/votes/${id}`)), intent);
    case "cancel":
      return formAction(request, ConfirmationSchema, async (v) => (await cancelScheduledVote(ctx, id, v.confirm), redirect(`/votes/${id}`)), intent);
    default:
      httpError(400, "errors.badRequest");
  }
}

type BallotReply = Reply & { receipt?: string | null; changed?: boolean; idem?: string };

/**
 * With JavaScript the ballot form goes to the ballot API (the same command and replies, without a
 * page render) and the page shows the answer in place; the next change gets the fresh form key the
 * answer carries. If the API cannot be reached, the form is posted to the page's action as it is
 * without JavaScript.
 */
function useBallotPost(voteId: number, actionData: BallotReply | undefined) {
  const [reply, setReply] = useState<BallotReply | null>(null);
  const [sending, setSending] = useState(false);
  // another form's answer (paper ballot, close) replaces the last ballot answer
  useEffect(() => setReply(null), [actionData]);
  const send = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    if (sending) return;
    setSending(true);
    fetch(`/api/votes/${voteId}/ballot`, {
      method: "POST",
      body: new URLSearchParams(new FormData(form) as unknown as string[][]),
      headers: { accept: "application/json" },
    })
      .then(async (r) => {
        if (!(r.headers.get("content-type") ?? "").includes("application/json")) throw new Error(`ballot API answered ${r.status}`);
        setReply((await r.json()) as BallotReply);
      })
      .catch(() => form.submit())
      .finally(() => setSending(false));
  };
  return { reply, sending, send };
}

type ResultData = { counts: Record<string, number>; passed: boolean; explanation: { key: string; params: Record<string, string | number> }[] };

export default function VotePage() {
  const t = useT();
  const { page, idem: pageIdem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as BallotReply | undefined;
  const { vote } = page;
  const ballot = useBallotPost(vote.id, actionData);
  const data = ballot.reply ?? actionData;
  const idem = ballot.reply?.idem ?? pageIdem;
  const myChannel = ballot.reply?.receipt !== undefined ? "online" : page.myChannel;
  const castErrors = errorsOf(data, "cast");
  const [search] = useSearchParams();
  const paperErrors = errorsOf(data, "paper");
  const storeKey = `yishi-receipt-${vote.id}`;
  const [kept, setKept] = useState("");
  // with JavaScript the page keeps the receipt for the voter (it is still shown to write down)
  useEffect(() => {
    if (data?.receipt) window.localStorage.setItem(storeKey, data.receipt);
    setKept(window.localStorage.getItem(storeKey) ?? "");
  }, [data?.receipt, storeKey]);
  const label = (o: { id: string; label: string }) => (o.label.startsWith("@") ? t(o.label.slice(1) as MessageKey) : o.label);
  const optionLabel = (id: string) => {
    const o = vote.options.find((x) => x.id === id);
    return o ? label(o) : id;
  };
  const result = vote.result as ResultData | null;
  const multiple = vote.method === "approval";
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to={`/matters/${vote.matterId}`}>{page.matterTitle}</Link>
      </p>
      <h1>{vote.question}</h1>
      <ReadAloud />
      {vote.state !== "cancelled" ? (
        <p className="no-print">
          <a href={`/votes/${vote.id}/notice.pdf`}>{t("notice.printOpening")}</a>
        </p>
      ) : null}
      <p>
        <span className="tag state">{t(`voting.state.${vote.state}`)}</span> {t(`voting.preset.${vote.preset as "panel"}`)}
      </p>
      {vote.state === "scheduled" && vote.opensAt ? <p>{t("voting.opensAtShow", { time: t.time(vote.opensAt) })}</p> : null}
      {vote.state === "cancelled" ? <Notice>{t("voting.cancelledShow")}</Notice> : null}
      {vote.state === "open" || vote.state === "closed" ? <LiveTurnout voteId={vote.id} initial={page.turnout} electorate={vote.electorateSize} open={vote.state === "open"} /> : null}
      {vote.state !== "cancelled" ? <p className="muted">{vote.closesAt ? t("voting.closesAtShow", { time: t.time(vote.closesAt) }) : t("voting.manualClose")}</p> : null}
      <div className="notice">
        {vote.secret ? (
          <>
            <p>{t("voting.secretTradeoff")}</p>
            <p>{t("voting.secretKeeping")}</p>
            <p>{t("voting.secretReceiptProof")}</p>
          </>
        ) : (
          <p>{t("voting.openTradeoff")}</p>
        )}
      </div>

      {data?.receipt !== undefined && !Object.keys(castErrors).length ? (
        <div className="notice receipt" role="status">
          <p>{data.changed ? t("voting.changed") : t("voting.castDone")}</p>
          {data.receipt ? (
            <>
              <p className="receipt-code">{t("voting.receipt", { receipt: data.receipt })}</p>
              <p>{t("voting.receiptHint")}</p>
            </>
          ) : null}
        </div>
      ) : null}

      {vote.state === "open" ? (
        <>
          <p>{t("voting.sealed")}</p>
          {myChannel === "paper" ? <Notice>{t("voting.votedPaper")}</Notice> : null}
          {myChannel === "online" && data?.receipt === undefined ? <Notice>{t("voting.votedOnline")}</Notice> : null}
          {page.eligible && myChannel !== "paper" ? (
            <section aria-labelledby="cast-title">
              <h2 id="cast-title">{myChannel ? t("voting.change") : t("voting.cast")}</h2>
              <IntentForm intent="cast" onSubmit={ballot.send}>
                <input type="hidden" name="idem" value={idem} />
                <fieldset className="radios" aria-describedby={castErrors.choices ? "cast-choices-hint cast-choices-error" : "cast-choices-hint"}>
                  <legend>{vote.question}</legend>
                  <p className="hint" id="cast-choices-hint">
                    {multiple ? t("help.castMany", { max: vote.maxChoices ?? 1 }) : t("help.castOne")}
                  </p>
                  {castErrors.choices ? (
                    <p className="field-error" id="cast-choices-error">
                      {t.msg(castErrors.choices[0])}
                    </p>
                  ) : null}
                  {vote.options.map((o, i) => (
                    <label key={o.id}>
                      <input type={multiple ? "checkbox" : "radio"} name="choices" value={o.id} id={i === 0 ? "cast-choices" : undefined} /> {label(o)}
                    </label>
                  ))}
                </fieldset>
                {vote.secret && myChannel === "online" ? (
                  <div className={`field${castErrors.receipt ? " field--error" : ""}`}>
                    <label htmlFor="cast-receipt">{t("voting.receiptField")}</label>
                    {castErrors.receipt ? (
                      <p className="field-error" id="cast-receipt-error">
                        {t.msg(castErrors.receipt[0])}
                      </p>
                    ) : null}
                    <input id="cast-receipt" name="receipt" defaultValue={kept} key={kept} autoComplete="off" aria-describedby={castErrors.receipt ? "cast-receipt-error" : undefined} />
                  </div>
                ) : null}
                <button type="submit" disabled={ballot.sending}>
                  {myChannel ? t("voting.change") : t("voting.cast")}
                </button>
              </IntentForm>
            </section>
          ) : null}
          {!page.eligible ? <p className="muted">{page.signedIn ? t("voting.notEligibleNote") : t("voting.signInToVote")}</p> : null}
          {search.get("paper") ? <Notice>{t("voting.paperEntered")}</Notice> : null}
          {page.isStaff ? (
            <section aria-labelledby="staff-title">
              <h2 id="staff-title">{t("voting.paper")}</h2>
              <IntentForm intent="paper">
                <div className={`field${paperErrors.voterKey ? " field--error" : ""}`}>
                  <label htmlFor="paper-voterKey">{t("voting.paperVoter")}</label>
                  {paperErrors.voterKey ? (
                    <p className="field-error" id="paper-voterKey-error">
                      {t.msg(paperErrors.voterKey[0])}
                    </p>
                  ) : null}
                  <select id="paper-voterKey" name="voterKey">
                    {page.electors.map((e) => (
                      <option key={e.voterKey} value={e.voterKey}>
                        {e.label}
                      </option>
                    ))}
                  </select>
                </div>
                <div className={`field${paperErrors.ballotNumber ? " field--error" : ""}`}>
                  <label htmlFor="paper-ballotNumber">
                    {t("paperBallots.ballotNumber")} <span className="optional">{t("form.optional")}</span>
                  </label>
                  <p className="hint" id="paper-ballotNumber-hint">
                    {t("paperBallots.ballotNumberHint")}
                  </p>
                  {paperErrors.ballotNumber ? (
                    <p className="field-error" id="paper-ballotNumber-error">
                      {t.msg(paperErrors.ballotNumber[0])}
                    </p>
                  ) : null}
                  <input
                    id="paper-ballotNumber"
                    name="ballotNumber"
                    autoComplete="off"
                    aria-describedby={paperErrors.ballotNumber ? "paper-ballotNumber-hint paper-ballotNumber-error" : "paper-ballotNumber-hint"}
                    aria-invalid={paperErrors.ballotNumber ? true : undefined}
                  />
                </div>
                <fieldset className="radios">
                  <legend>{vote.question}</legend>
                  {paperErrors.choices ? <p className="field-error">{t.msg(paperErrors.choices[0])}</p> : null}
                  {vote.options.map((o, i) => (
                    <label key={o.id}>
                      <input type={multiple ? "checkbox" : "radio"} name="choices" value={o.id} id={i === 0 ? "paper-choices" : undefined} /> {label(o)}
                    </label>
                  ))}
                </fieldset>
                <button type="submit" className="secondary">
                  {t("voting.paper")}
                </button>
              </IntentForm>
              <h3>{t("paperBallots.print")}</h3>
              <p className="hint">{t("paperBallots.printHint")}</p>
              <form method="post" action={`/votes/${vote.id}/paper-ballots`}>
                <div className="field">
                  <label htmlFor="print-count">{t("paperBallots.count")}</label>
                  <p className="hint" id="print-count-hint">
                    {t("paperBallots.countHint")}
                  </p>
                  <input id="print-count" name="count" type="number" inputMode="numeric" min={1} max={500} defaultValue={10} aria-describedby="print-count-hint" />
                </div>
                <button type="submit" className="secondary">
                  {t("paperBallots.print")}
                </button>
              </form>
              <ConfirmStep what="close" label={t("voting.close")} consequence={t("voting.closeConsequence")}>
                <IntentForm intent="close">
                  <Confirmed />
                  <button type="submit" className="warning">
                    {t("confirm.do", { action: t("voting.close") })}
                  </button>
                </IntentForm>
              </ConfirmStep>
            </section>
          ) : null}
        </>
      ) : null}

      {vote.state === "scheduled" && page.isStaff ? (
        <section aria-labelledby="cancel-title">
          <h2 id="cancel-title">{t("voting.cancel")}</h2>
          <p className="hint">{t("voting.cancelHint")}</p>
          <ConfirmStep what="cancel" label={t("voting.cancel")} consequence={t("voting.cancelConsequence")}>
            <IntentForm intent="cancel">
              <Confirmed />
              <button type="submit" className="warning">
                {t("confirm.do", { action: t("voting.cancel") })}
              </button>
            </IntentForm>
          </ConfirmStep>
        </section>
      ) : null}

      {result ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">
            {t("voting.result")}：{result.passed ? t("voting.resultPassed") : t("voting.resultFailed")}
          </h2>
          <ul className="card-list">
            {vote.options.map((o) => (
              <li key={o.id}>{t("voting.count", { option: label(o), count: result.counts[o.id] ?? 0 })}</li>
            ))}
          </ul>
          {result.explanation.map((e, i) => (
            <p key={i}>{t(e.key as MessageKey, { ...e.params, option: typeof e.params.option === "string" ? optionLabel(e.params.option) : "" })}</p>
          ))}
          <p>
            <Link to={`/votes/${vote.id}/ballots`}>{t("voting.ballots")}</Link>
          </p>
          <p className="no-print">
            <a href={`/votes/${vote.id}/result.pdf`}>{t("notice.printResult")}</a>
          </p>
        </section>
      ) : null}
    </>
  );
}
