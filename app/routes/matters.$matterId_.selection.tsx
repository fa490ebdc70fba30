import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { Notice } from "~/components/forms";
import { CommitteeSections } from "~/components/selection/committee-sections";
import { ChanceChart } from "~/components/selection/chance-chart";
import { MyChance } from "~/components/selection/my-chance";
import { PanelMembers } from "~/components/selection/panel-members";
import { PlanSummary } from "~/components/selection/plan-summary";
import { PublishedDraw } from "~/components/selection/published-draw";
import { RegistrationSection } from "~/components/selection/registration-section";
import { FairnessReport, InfeasibleReport } from "~/components/selection/report-sections";
import { IntentErrorSummary, type Reply } from "~/components/simple-form";
import { isMessageKey, type MessageKey } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { cancelDistribution, requestDistribution } from "~/modules/matters/selection/compute.server";
import { drawPanelForMatter } from "~/modules/matters/selection/draw.server";
import { answerInvitation } from "~/modules/matters/selection/invitations.server";
import { addFixedSeat, removeFixedSeat, savePlan } from "~/modules/matters/selection/plan.server";
import { PlanSchema } from "~/modules/matters/selection/plan-schema.server";
import { closeRegistration, registerInterest, registrationFormOf, uploadPaperPool, withdrawInterest } from "~/modules/matters/selection/registration.server";
import { ComputeSchema, EntropySchema, FixedSeatSchema, MemberAnswerSchema, PaperPoolSchema } from "~/modules/matters/selection/schemas";
import { getSelectionPage } from "~/modules/matters/selection/view.server";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, requireActor } from "~/web/http.server";
import { idParam } from "~/modules/shared/validation";
import { useLiveSelection } from "~/realtime/live-selection";
import { SolveRunStatus } from "~/realtime/solver-progress";

export const meta = titleMeta("selection.title", (d) => ({ title: (d as { matter?: { title: string } })?.matter?.title ?? "" }));

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  // 404 unless the reader may see the matter and it is consulted by a panel (the query decides)
  const { matter, ...selection } = await loaderGuard(() => getSelectionPage(commandContext(context), id));
  return json({ matter, selection, signedIn: !!context.actor });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  const back = (done: string) => redirect(`/matters/${id}/selection?done=${done}`);
  switch (intent) {
    case "plan":
      return formAction(request, PlanSchema, async (v) => (await savePlan(ctx, id, v), back("plan")), intent);
    case "seat":
      return formAction(request, FixedSeatSchema, async (v) => (await addFixedSeat(ctx, id, v), back("seat")), intent);
    case "removeSeat":
      return formAction(request, z.object({ seatId: idParam }), async (v) => (await removeFixedSeat(ctx, id, v.seatId), back("seat")), intent);
    case "register": {
      // the form has one question per question of the plan: the module says which
      const schema = await loaderGuard(() => registrationFormOf(ctx, id));
      return formAction(request, schema, async (answers) => (await registerInterest(ctx, id, answers), back("register")), intent);
    }
    case "withdraw":
      return formAction(request, z.object({}), async () => (await withdrawInterest(ctx, id), back("withdraw")), intent);
    case "pool":
      return formAction(request, PaperPoolSchema, async (v) => (await uploadPaperPool(ctx, id, v.pool), back("pool")), intent);
    case "closeRegistration":
      return formAction(request, z.object({}), async () => (await closeRegistration(ctx, id), back("closeRegistration")), intent);
    case "compute":
      // queued: the job queue works it out; the page shows its progress
      return formAction(request, ComputeSchema, async (v) => (await requestDistribution(ctx, id, { budgetSeconds: v.budgetSeconds }), back("compute")), intent);
    case "cancelCompute":
      return formAction(request, z.object({}), async () => (await cancelDistribution(ctx, id), back("cancelCompute")), intent);
    case "draw":
      return formAction(request, EntropySchema, async (v) => (await drawPanelForMatter(ctx, id, v.entropy, v.confirm), back("draw")), intent);
    case "answer":
      return formAction(request, MemberAnswerSchema, async (v) => (await answerInvitation(ctx, id, v.memberId, v.answer), back(v.answer)), intent);
    default:
      httpError(400, "errors.badRequest");
  }
}

export default function SelectionPage() {
  const t = useT();
  const { matter, selection: s, signedIn } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const done = search.get("done");
  const plan = s.plan;
  const report = s.report;
  const open = plan && plan.status !== "drawn" && matter.state === "selecting";
  useLiveSelection(matter.id);
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to={`/matters/${matter.id}`}>
          #{matter.id} {matter.title}
        </Link>
      </p>
      <h1>{t("selection.title", { title: matter.title })}</h1>
      {done && isMessageKey(`selection.done.${done}`) ? <Notice>{t(`selection.done.${done}` as MessageKey)}</Notice> : null}
      <p>{t("selection.intro")}</p>
      <PlanSummary s={s} />
      {plan?.solveRun && plan.status !== "drawn" ? <SolveRunStatus run={plan.solveRun} matterId={matter.id} committee={s.viewer.committee} /> : null}
      {s.viewer.chance ? <MyChance chance={s.viewer.chance} /> : null}
      {plan && open ? <RegistrationSection s={s} plan={plan} matterId={matter.id} signedIn={signedIn} data={data} /> : null}
      {s.viewer.committee && matter.state === "selecting" && (!plan || plan.status !== "drawn") ? <CommitteeSections s={s} data={data} /> : null}
      {report && !report.feasible ? <InfeasibleReport report={report} /> : null}
      {report && report.feasible && plan && (plan.status === "computed" || plan.status === "drawn") ? <FairnessReport report={report} probabilities={s.probabilities} /> : null}
      {s.chart ? <ChanceChart chart={s.chart} /> : null}
      {plan && (plan.status === "computed" || plan.status === "drawn") && plan.commitment ? <PublishedDraw s={s} plan={plan} matter={matter} data={data} /> : null}
      {s.members.length ? <PanelMembers s={s} /> : null}
    </>
  );
}
