import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { Notice } from "~/components/forms";
import { IntentForm } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { getMyEcard, revokePrintedCards } from "~/modules/volunteers/ecard.server";
import { commandContext, formAction, httpError, intentOf, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.ecard.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  const printed = new URL(request.url).searchParams.get("print") === "1";
  const card = await loaderGuard(() => getMyEcard(commandContext(context), printed ? "p" : "s"));
  return json({ ...card, printed }, { headers: { "Cache-Control": "no-store" } });
}

const Empty = /* @__PURE__ */ z.object({});

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  const intent = await intentOf(request);
  // revoking is irreversible: the first button asks, the second one does it
  if (intent === "revoke") return redirect("/volunteers/ecard?confirm=revoke");
  if (intent !== "revokeConfirmed") httpError(400, "errors.badRequest");
  return formAction(request, Empty, async () => {
    await revokePrintedCards(commandContext(context));
    return redirect("/volunteers/ecard?revoked=1");
  }, intent);
}

export default function EcardPage() {
  const t = useT();
  const card = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      <p>
        <Link to="/volunteers">{t("volunteers.profile.title")}</Link>
      </p>
      <h1>{card.printed ? t("volunteers.ecard.printed") : t("volunteers.ecard.title")}</h1>
      {search.get("revoked") ? <Notice>{t("volunteers.ecard.revoked")}</Notice> : null}
      {card.printed ? null : <p>{t("volunteers.ecard.intro")}</p>}
      <figure className="ecard">
        <div role="img" aria-label={t("volunteers.ecard.qrLabel")} className="qr" dangerouslySetInnerHTML={{ __html: card.svg }} style={{ maxWidth: "18rem" }} />
        <figcaption>
          <strong>{card.realName}</strong> <span data-testid="volunteer-number">{card.volunteerNumber}</span>
          <br />
          <span className="muted">{t("volunteers.ecard.expires", { time: t.time(card.expiresAt) })}</span>
        </figcaption>
      </figure>
      {card.printed ? null : (
        <>
          <p>
            <Link className="button" to="/volunteers/ecard" reloadDocument>
              {t("volunteers.ecard.refresh")}
            </Link>
          </p>
          <h2>{t("volunteers.ecard.print")}</h2>
          <p>{t("volunteers.ecard.printIntro")}</p>
          <p>
            <Link to="/volunteers/ecard?print=1">{t("volunteers.ecard.printed")}</Link>
          </p>
          {search.get("confirm") === "revoke" ? (
            <div className="notice" role="alert">
              <p>{t("volunteers.ecard.revokeConfirm")}</p>
              <IntentForm intent="revokeConfirmed">
                <button type="submit" className="warning">
                  {t("volunteers.ecard.revokeYes")}
                </button>
              </IntentForm>
            </div>
          ) : (
            <IntentForm intent="revoke">
              <button type="submit" className="secondary">
                {t("volunteers.ecard.revoke")}
              </button>
            </IntentForm>
          )}
        </>
      )}
    </>
  );
}
