import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/notice";
import { IntentErrorSummary, IntentForm, type Reply } from "~/components/simple-form";
import { CommandForm, routineFirst } from "~/components/matter/command-form";
import { MaterialsSection } from "~/components/matter/materials-section";
import { NextSteps } from "~/components/matter/next-steps";
import { TimelineSection } from "~/components/matter/timeline-section";
import { translate, type MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { cosignMatter, setFollow, withdrawCosign } from "~/modules/matters/cosign.server";
import { getMatterPage } from "~/modules/matters/queries.server";
import { publishMaterials, runMatterCommand } from "~/modules/matters/review.server";
import { listVotesOfMatter } from "~/modules/matters/voting/results.server";
import { addCommitment, assignOwner, getOutcome, rateMatter, reopenMatter, respondToRating, updateCommitment } from "~/modules/matters/outcomes/outcomes.server";
import { AddCommitmentSchema, AssignOwnerSchema, EmptySchema as Empty, MaterialSchema, MatterCommandSchema, RateSchema, ReopenSchema, RespondSchema, UpdateCommitmentSchema } from "~/web/action-schemas.server";
import { OutcomeSection } from "~/components/outcome-section";
import { RoomSessions } from "~/components/room-sessions";
import { CommentsSection } from "~/components/comments/comments-section";
import { AttachmentsSection } from "~/components/attachments/attachment-list";
import { listAttachments } from "~/modules/attachments/queries.server";
import { getCommentSummary } from "~/modules/matters/comments/list.server";
import { MatterRules } from "~/components/matter/matter-rules";
import { listSessions } from "~/modules/matters/room/view.server";
import { shareUrlOf } from "~/web/share.server";
import { commandContext, formAction, httpError, idFromParams, intentOf, loaderGuard, readForm, requireActor } from "~/web/http.server";
import { ReadAloud } from "~/components/read-aloud";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${data?.matter.title ?? ""} — ${translate(locale, "app.name")}` }];
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  const url = new URL(request.url);
  // a neighbour arriving by the proposer's share link signs in first and comes straight back
  if (!context.actor && url.searchParams.get("via") === "share") throw redirect(`/login?${new URLSearchParams({ next: url.pathname + url.search })}`);
  const page = await loaderGuard(() => getMatterPage(commandContext(context), id));
  const ctx = commandContext(context);
  const [votes, outcome, sessions, comments, files] = await Promise.all([listVotesOfMatter(ctx, id), getOutcome(ctx, id), listSessions(ctx, id), getCommentSummary(ctx, id), listAttachments(ctx, id)]);
  const shareUrl = page.isProposer && page.matter.state === "collecting" ? shareUrlOf(request, context.settings?.publicOrigin, id) : null;
  return json({ ...page, votes, outcome, sessions, comments, files, shareUrl, me: context.actor?.id ?? null });
}


export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  const ctx = commandContext(context);
  const intent = await intentOf(request);
  switch (intent) {
    case "cosign":
      return formAction(request, Empty, async () => (await cosignMatter(ctx, id), done(id, "cosigned")), intent);
    case "uncosign":
      return formAction(request, Empty, async () => (await withdrawCosign(ctx, id), done(id, "done")), intent);
    case "follow":
    case "unfollow":
      return formAction(request, Empty, async () => (await setFollow(ctx, id, intent === "follow"), done(id, "done")), intent);
    case "materials":
      return formAction(request, MaterialSchema, async (v) => {
        const r = await publishMaterials(ctx, id, v);
        return done(id, "materials", r.earliest.toISOString());
      }, intent);
    case "command":
      return formAction(request, MatterCommandSchema, async (v) => (await runMatterCommand(ctx, id, v), done(id, v.command === "submit" ? "submitted" : "done")), `command-${await commandOf(request)}`);
    case "rate":
      return formAction(request, RateSchema, async (v) => (await rateMatter(ctx, id, v), done(id, "done")), intent);
    case "respond":
      return formAction(request, RespondSchema, async (v) => (await respondToRating(ctx, id, v), done(id, "done")), intent);
    case "reopen":
      return formAction(request, ReopenSchema, async (v) => (await reopenMatter(ctx, id, v), done(id, "done")), intent);
    case "add-commitment":
      return formAction(request, AddCommitmentSchema, async (v) => (await addCommitment(ctx, id, v), done(id, "done")), intent);
    default:
      if (/^owner-\d{1,9}$/.test(intent)) {
        return formAction(request, AssignOwnerSchema, async (v) => (await assignOwner(ctx, id, v), done(id, "done")), intent);
      }
      if (/^update-\d{1,9}$/.test(intent)) {
        return formAction(request, UpdateCommitmentSchema, async ({ photo, ...v }) => {
          await updateCommitment(ctx, { ...v, photo: photo ? new Uint8Array(await photo.arrayBuffer()) : undefined });
          return done(id, "done");
        }, intent);
      }
      httpError(400, "errors.badRequest");
  }
}

/** Post/redirect/get: after a change the browser shows the page anew, so a reload never repeats it. */
function done(id: number, what: "cosigned" | "done" | "materials" | "submitted", earliest?: string) {
  return redirect(`/matters/${id}?${new URLSearchParams({ done: what, ...(earliest ? { earliest } : {}) })}`);
}

async function commandOf(request: Request) {
  const v = (await readForm(request.clone())).get("command");
  return typeof v === "string" ? v.slice(0, 30) : "";
}

export default function MatterPage() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const { matter, community, category } = page;
  const categoryName = t.locale === "en" && category.nameEn ? category.nameEn : category.name;
  const [search] = useSearchParams();
  const doneKey = ({ cosigned: "matters.cosignDone", done: "matters.done", materials: "matters.materialsPublished" } as Record<string, MessageKey>)[search.get("done") ?? ""];
  const earliest = search.get("earliest") && !Number.isNaN(Date.parse(search.get("earliest")!)) ? search.get("earliest")! : null;
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to={`/communities/${community.id}/matters`}>{t("matters.listTitle", { community: community.name })}</Link>
      </p>
      <h1>
        <span className="muted">#{matter.id}</span> {matter.title}
      </h1>
      <ReadAloud />
      <p className="no-print">
        <a href={`/matters/${matter.id}/notice.pdf`}>{t("notice.print")}</a>
      </p>
      <p>
        <span className="tag state">{t(`matters.state.${matter.state}`)}</span>{" "}
        {matter.threshold && (matter.state === "collecting" || matter.state === "under_review")
          ? t("matters.cosignsOf", { count: matter.cosignCount, threshold: matter.threshold })
          : t("matters.cosigns", { count: matter.cosignCount })}
      </p>
      {doneKey ? <Notice>{t(doneKey, { date: earliest ? t.time(earliest) : "" })}</Notice> : null}
      {page.shareUrl && matter.threshold ? <NextSteps matterId={matter.id} cosignCount={matter.cosignCount} threshold={matter.threshold} shareUrl={page.shareUrl} /> : null}
      {search.get("via") === "share" && page.canCosign && !page.cosigned ? <Notice>{t("matters.next.cosignFromLink")}</Notice> : null}
      <dl className="facts">
        <div>
          <dt>{t("matters.field.category")}</dt>
          <dd>{categoryName}</dd>
        </div>
        <div>
          <dt>{t("matters.field.affectedArea")}</dt>
          <dd>{matter.affectedArea}</dd>
        </div>
        <div>
          <dt>{t("matters.proposerLabel")}</dt>
          <dd>{page.proposer}</dd>
        </div>
        {matter.form ? (
          <div>
            <dt>{t("matters.formLabel")}</dt>
            <dd>{t(`matters.form.${matter.form}`)}</dd>
          </div>
        ) : null}
        {matter.scheduledFor ? (
          <div>
            <dt>{t("matters.scheduledFor")}</dt>
            <dd>{t.time(matter.scheduledFor)}</dd>
          </div>
        ) : null}
      </dl>
      <MatterRules rules={page.rules} />
      {search.get("saved") && matter.state === "draft" ? <Notice>{t("matters.draftSaved")}</Notice> : null}
      {matter.publicReason ? <Notice>{t("matters.publicReason", { reason: matter.publicReason })}</Notice> : null}
      {matter.mergedIntoId ? (
        <p>
          <Link to={`/matters/${matter.mergedIntoId}`}>{t("matters.mergedInto", { id: matter.mergedIntoId })}</Link>
        </p>
      ) : null}
      <div className="prose">
        {matter.description.split("\n").map((p, i) => (
          <p key={i}>{p}</p>
        ))}
      </div>
      <h2>{t("matters.outcome")}</h2>
      <p>{matter.desiredOutcome}</p>

      <div className="actions">
        {page.canCosign && !page.cosigned ? (
          <IntentForm intent="cosign">
            <button type="submit">{t("matters.cosign")}</button>
          </IntentForm>
        ) : null}
        {page.cosigned ? (
          <>
            <p className="notice">{t("matters.cosignDone")}</p>
            {matter.state === "collecting" ? (
              <IntentForm intent="uncosign">
                <button type="submit" className="secondary">
                  {t("matters.uncosign")}
                </button>
              </IntentForm>
            ) : null}
          </>
        ) : null}
        {page.canFollow ? (
          <IntentForm intent={page.following ? "unfollow" : "follow"}>
            <button type="submit" className="secondary">
              {page.following ? t("matters.unfollow") : t("matters.follow")}
            </button>
          </IntentForm>
        ) : null}
        {page.canEdit ? (
          <Link className="button secondary" to={`/matters/${matter.id}/edit`}>
            {t("matters.editDraft")}
          </Link>
        ) : null}
      </div>
      {page.following ? <p className="muted">{t("matters.following")}</p> : null}

      {page.commands.length ? (
        <section aria-labelledby="commands-title">
          <h2 id="commands-title">{t("matters.actions")}</h2>
          {routineFirst(page.commands)
            // these have their own pages: a vote needs its question, implementation its outcome
            .filter((c) => c !== "openVote" && c !== "startImplementation" && c !== "reopen")
            .map((c) => (
              <CommandForm key={c} command={c} data={data} />
            ))}
          {page.commands.includes("openVote") ? (
            <p>
              <Link className="button" to={`/matters/${matter.id}/votes/new`}>
                {t("voting.open")}
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}

      {page.selectionLink ? (
        <p>
          <Link className="button" to={`/matters/${matter.id}/selection`}>
            {t(page.selectionLink === "open" ? "selection.linkOpen" : "selection.link")}
          </Link>
        </p>
      ) : null}
      {page.commands.includes("startImplementation") ? (
        <p>
          <Link className="button" to={`/matters/${matter.id}/outcome`}>
            {t("outcomes.record")}
          </Link>
        </p>
      ) : null}
      {page.outcome ? (
        <OutcomeSection
          outcome={page.outcome}
          data={data}
          userId={page.me}
          isCommittee={page.isCommittee}
          state={matter.state}
        />
      ) : null}
      <RoomSessions matterId={matter.id} sessions={page.sessions} canSchedule={page.isCommittee && (matter.state === "scheduled" || matter.state === "deliberating")} />
      {page.votes.length ? (
        <section aria-labelledby="votes-title">
          <h2 id="votes-title">{t("voting.title")}</h2>
          <ul className="card-list">
            {page.votes.map((v) => (
              <li key={v.id}>
                <Link to={`/votes/${v.id}`}>{v.question}</Link> <span className="tag">{t(`voting.state.${v.state}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <CommentsSection matterId={matter.id} summary={page.comments} />
      {matter.state !== "draft" ? (
        <p>
          <Link to={`/matters/${matter.id}/objections`}>{t("oversight.link")}</Link>
        </p>
      ) : null}

      <MaterialsSection materials={page.materials} canPublish={page.canPublishMaterials} data={data} />
      <AttachmentsSection matterId={matter.id} files={page.files} />

      <TimelineSection timeline={page.timeline} />
      {!page.canCosign && !page.cosigned && matter.state === "collecting" && !page.isProposer ? (
        // the next step, one tap away: sign in (and back here), or join this community
        <p>
          {t("matters.signInToCosign")}{" "}
          {page.me ? <Link to={`/communities/${community.id}#join-title`}>{t("matters.joinToCosign")}</Link> : <Link to={`/login?${new URLSearchParams({ next: `/matters/${matter.id}` })}`}>{t("matters.signInLink")}</Link>}
        </p>
      ) : null}
    </>
  );
}
