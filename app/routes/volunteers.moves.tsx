import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { decideMove, listIncomingMoves } from "~/modules/volunteers/move-community.server";
import { DecideMoveSchema } from "~/modules/volunteers/travel-schemas.server";
import { commandContext, formAction, httpError, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.moves.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  return json({ moves: await loaderGuard(() => listIncomingMoves(commandContext(context))) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  const intent = await intentOf(request);
  if (!/^(accept|decline)-\d{1,9}$/.test(intent)) httpError(400, "errors.badRequest");
  return formAction(request, DecideMoveSchema, async (v) => {
    const r = await decideMove(commandContext(context), v);
    return redirect(`/volunteers/moves?done=${r.status}`);
  }, intent);
}

export default function IncomingMoves() {
  const t = useT();
  const { moves } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const done = search.get("done");
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to="/volunteers">{t("volunteers.title")}</Link>
      </p>
      <h1>{t("volunteers.moves.title")}</h1>
      {done === "accepted" ? <Notice>{t("volunteers.moves.accepted")}</Notice> : null}
      {done === "declined" ? <Notice>{t("volunteers.moves.declined")}</Notice> : null}
      <p>{t("volunteers.moves.intro")}</p>
      {moves.length === 0 ? <p>{t("volunteers.moves.none")}</p> : null}
      <ul className="card-list">
        {moves.map((m) => {
          const decline = `decline-${m.id}`;
          const errors = errorsOf(data, decline);
          return (
            <li key={m.id}>
              <h2 className="item-title">{t("volunteers.moves.item", { name: m.name, number: m.number ?? "", community: m.to })}</h2>
              <p className="muted">{t.time(m.requestedAt)}</p>
              {m.reason ? <p>{t("volunteers.moves.reason", { reason: m.reason })}</p> : null}
              <IntentForm intent={`accept-${m.id}`} className="inline-form">
                <input type="hidden" name="moveId" value={m.id} />
                <input type="hidden" name="decision" value="accept" />
                <button type="submit">{t("volunteers.moves.accept")}</button>
              </IntentForm>
              <details open={Object.keys(errors).length > 0}>
                <summary>{t("volunteers.moves.decline")}</summary>
                <IntentForm intent={decline}>
                  <input type="hidden" name="moveId" value={m.id} />
                  <input type="hidden" name="decision" value="decline" />
                  <IntentField intent={decline} name="declineReason" label="volunteers.moves.declineReason" errors={errors} />
                  <button type="submit" className="secondary">
                    {t("volunteers.moves.declineSubmit")}
                  </button>
                </IntentForm>
              </details>
            </li>
          );
        })}
      </ul>
    </>
  );
}
