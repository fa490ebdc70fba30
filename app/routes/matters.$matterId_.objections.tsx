import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, IntentSelect, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { answerObjection, fileObjection, getMatterObjections } from "~/modules/matters/oversight/objections.server";
import { AnswerObjectionSchema, FileObjectionSchema } from "~/modules/matters/oversight/schemas";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("oversight.title", (d) => ({ title: (d as { matter?: { title: string } })?.matter?.title ?? "" }));

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  return json(await loaderGuard(() => getMatterObjections(commandContext(context), id)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  const back = (done: string) => redirect(`/matters/${id}/objections?done=${done}`);
  if (intent === "object") return formAction(request, FileObjectionSchema, async (v) => (await fileObjection(ctx, id, v), back("filed")), intent);
  if (intent === "answer") return formAction(request, AnswerObjectionSchema, async (v) => (await answerObjection(ctx, id, v), back("answered")), intent);
  httpError(400, "errors.badRequest");
}

/** 监督质询 on one matter: every objection with its due day and the committee's answer, in public (issue 19). */
export default function Objections() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const done = search.get("done");
  const targetLabel = (o: { target: string; targetId: number }) =>
    o.target === "vote"
      ? t("oversight.onVote", { label: d.votes.find((v) => v.id === o.targetId)?.label ?? `#${o.targetId}` })
      : o.target === "commitment"
        ? t("oversight.onCommitment", { label: d.commitments.find((c) => c.id === o.targetId)?.label ?? `#${o.targetId}` })
        : t("oversight.onMatter");
  return (
    <>
      <IntentErrorSummary data={reply} />
      <p>
        <Link to={`/matters/${d.matter.id}`}>
          #{d.matter.id} {d.matter.title}
        </Link>
      </p>
      <h1>{t("oversight.title", { title: d.matter.title })}</h1>
      <p className="hint">{t("oversight.hint", { days: d.answerDays })}</p>
      {done === "filed" || done === "answered" ? <Notice>{t(done === "filed" ? "oversight.filed" : "oversight.answeredNotice")}</Notice> : null}
      {d.objections.length === 0 ? <p>{t("oversight.none")}</p> : null}
      <ol className="card-list" id="objection-list">
        {d.objections.map((o) => (
          <li key={o.id} id={`objection-${o.id}`}>
            <h2>
              {t("oversight.number", { id: o.id })} · {targetLabel(o)}{" "}
              {o.answeredAt ? <span className="tag state">{t("oversight.answered")}</span> : <span className={o.overdue ? "tag overdue" : "tag"}>{t(o.overdue ? "oversight.overdue" : "oversight.awaiting")}</span>}
            </h2>
            <p className="muted">{t("oversight.dates", { filed: t.time(o.filedAt), due: t.time(o.answerDue) })}</p>
            <p className="statement-body">{o.body}</p>
            {o.answer ? (
              <div>
                <h3>{t("oversight.answer")}</h3>
                <p className="muted">{t.time(o.answeredAt!)}</p>
                <p className="statement-body">{o.answer}</p>
              </div>
            ) : d.canAnswer ? (
              <IntentForm intent="answer">
                <input type="hidden" name="objectionId" value={o.id} />
                <IntentField intent="answer" name="answer" label="oversight.answerWrite" errors={errorsOf(reply, "answer")} textarea />
                <button type="submit">{t("oversight.answerSubmit")}</button>
              </IntentForm>
            ) : null}
          </li>
        ))}
      </ol>
      {d.canObject ? (
        <section aria-labelledby="object-title">
          <h2 id="object-title">{t("oversight.file")}</h2>
          <IntentForm intent="object">
            <IntentSelect
              intent="object"
              name="target"
              label="oversight.target"
              defaultValue="matter"
              errors={errorsOf(reply, "object")}
              options={[
                { value: "matter", label: t("oversight.onMatter") },
                ...(d.votes.length ? [{ value: "vote", label: t("oversight.targetVote") }] : []),
                ...(d.commitments.length ? [{ value: "commitment", label: t("oversight.targetCommitment") }] : []),
              ]}
            />
            {d.votes.length || d.commitments.length ? (
              <IntentSelect
                intent="object"
                name="targetId"
                label="oversight.targetWhich"
                errors={errorsOf(reply, "object")}
                options={[
                  { value: "", label: "—" },
                  ...d.votes.map((v) => ({ value: String(v.id), label: t("oversight.onVote", { label: v.label }) })),
                  ...d.commitments.map((c) => ({ value: String(c.id), label: t("oversight.onCommitment", { label: c.label }) })),
                ]}
              />
            ) : null}
            <IntentField intent="object" name="body" label="oversight.body" errors={errorsOf(reply, "object")} textarea />
            <button type="submit">{t("oversight.fileSubmit")}</button>
          </IntentForm>
        </section>
      ) : null}
    </>
  );
}
