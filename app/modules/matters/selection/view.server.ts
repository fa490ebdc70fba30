/**
 * What people see of a selection: the page (names for the committee and the panel, pseudonyms for
 * the public; the secret never before the draw), the published record of the draw, and who may
 * watch the page live. Only a matter consulted by a panel has a selection: any other is 404.
 */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { panelMembers, panelPlans, panelRegistrations, users } from "../../../../db/schema";
import { can } from "../../accounts/permissions";
import type { CommandContext } from "../../shared/context";
import { DomainError } from "../../shared/errors";
import { getMatterFacts, matterResource } from "../transition.server";
import { activeRegistrations, authorize, buildPool, fixedSeatsOf, type PlanRow, type SolverReport } from "./common.server";
import { verifyDraw, type PublishedDraw } from "./draw";
import { drawPanel, type Distribution } from "./engine";
import { chanceByValue, explainChance, type ChanceExplanation, type ValueRow } from "./explain";

/** For the socket layer: may this actor watch the matter's selection page (whoever may read the matter). */
export async function canWatchSelection(db: Db, actor: CommandContext["actor"], matterId: number) {
  const facts = await getMatterFacts(db, matterId);
  return !!facts && facts.m.form === "panel" && can(actor, "selection.view", matterResource(facts.m, facts.path));
}

/** The published record of a draw (before it: without secret, entropy, seed and panel). */
export async function getPublishedDraw(ctx: CommandContext, matterId: number): Promise<PublishedDraw | null> {
  await authorize(ctx, matterId, "selection.view");
  return publishedDraw(ctx.db, matterId);
}

async function publishedDraw(db: Db, matterId: number): Promise<PublishedDraw | null> {
  const [plan] = await db.select().from(panelPlans).where(eq(panelPlans.matterId, matterId));
  if (!plan || (plan.status !== "computed" && plan.status !== "drawn") || !plan.distribution) return null;
  // any change to the pool reopens the plan before the draw, and nobody may join or leave the
  // pool after it, so the active registrations are exactly the published pool
  const pool = buildPool(plan, await activeRegistrations(db, matterId));
  const fixed = await fixedSeatsOf(db, matterId);
  const drawn = plan.status === "drawn" && plan.secretRevealed;
  return {
    version: "yishi-draw/1",
    matterId,
    algorithm: (plan.solverReport as SolverReport | null)?.algorithm ?? "",
    seats: plan.panelSize - fixed.length,
    onePerHousehold: plan.onePerHousehold,
    quotas: plan.quotas,
    pool,
    poolDigest: plan.poolDigest!,
    distribution: plan.distribution as PublishedDraw["distribution"],
    distributionDigest: plan.distributionDigest!,
    commitment: plan.commitment!,
    entropy: drawn ? plan.entropy : null,
    secret: drawn ? plan.secret : null,
    seed: drawn ? plan.seed : null,
    panel: drawn ? drawPanel(plan.distribution as Distribution, plan.seed!) : null,
  };
}

/** Used by the command line: the stored record, checked. */
export async function verifyStoredDraw(db: Db, matterId: number) {
  const p = await publishedDraw(db, matterId);
  return p ? { published: p, result: verifyDraw(p) } : null;
}

export interface SelectionPage {
  matter: { id: number; title: string; state: string };
  plan: Omit<PlanRow, "secret" | "distribution"> | null;
  /** registration has closed (by the deadline or by the committee) */
  deadlinePassed: boolean;
  viewer: {
    committee: boolean;
    verified: boolean;
    registration: { pseudonym: string; answers: Record<string, string> } | null;
    /** once the distribution is published: the registrant's own chance and, in plain words, why */
    chance: ChanceExplanation | null;
  };
  /** once published: the chance by answer, for the public chart and its table */
  chart: { even: number; rows: ValueRow[] } | null;
  poolSize: number;
  paperCount: number;
  /** counts per quota value among registrants (committee and public alike: no names) */
  counts: Record<string, Record<string, number>>;
  fixedSeats: { id: number; name: string; reason: string; note: string | null; hasAccount: boolean }[];
  report: SolverReport | null;
  members: { id: number; label: string; source: string; status: string; respondBy: string; mine: boolean; answerable: boolean; probability: number | null }[];
  /** committee only: every registrant's probability, by pseudonym, with their name */
  probabilities: { pseudonym: string; name: string; probability: number; excluded: string | null }[] | null;
  accepted: number;
  full: boolean;
  verification: ReturnType<typeof verifyDraw> | null;
}

/**
 * Everything the selection page shows. Names are for the committee and the panel; the public
 * sees pseudonyms. The secret never leaves before the draw.
 */
export async function getSelectionPage(ctx: CommandContext, matterId: number): Promise<SelectionPage> {
  const facts = await authorize(ctx, matterId, "selection.view");
  if (facts.m.form !== "panel") throw new DomainError("not_found", "errors.notFound");
  const actor = ctx.actor;
  const committee = can(actor, "selection.plan", facts.resource);
  const verified = can(actor, "selection.register", facts.resource);
  const [planRow] = await ctx.db.select().from(panelPlans).where(eq(panelPlans.matterId, matterId));
  const regs = await ctx.db
    .select({ r: panelRegistrations, account: users.displayName })
    .from(panelRegistrations)
    .leftJoin(users, eq(users.id, panelRegistrations.userId))
    .where(eq(panelRegistrations.matterId, matterId))
    .then((rows) => rows.map((x) => ({ r: x.r, name: x.account ?? x.r.paperRef ?? "" })));
  const active = regs.filter((x) => !x.r.withdrawnAt);
  const mine = actor ? active.find((x) => x.r.userId === actor.id) : undefined;
  const counts: SelectionPage["counts"] = {};
  for (const a of planRow?.attributes ?? []) {
    counts[a.key] = Object.fromEntries(a.values.map((v) => [v, 0]));
    for (const x of active) if (x.r.answers[a.key] in counts[a.key]) counts[a.key][x.r.answers[a.key]]++;
  }
  const fixed = await fixedSeatsOf(ctx.db, matterId);
  const memberRows = await ctx.db
    .select({ m: panelMembers, name: users.displayName })
    .from(panelMembers)
    .leftJoin(users, eq(users.id, panelMembers.userId))
    .where(eq(panelMembers.matterId, matterId))
    .orderBy(asc(panelMembers.id));
  const onPanel = Boolean(actor && memberRows.some((x) => x.m.userId === actor.id && (x.m.status === "accepted" || x.m.status === "invited")));
  const seeNames = committee || onPanel;
  const regById = new Map(regs.map((x) => [x.r.id, x.r]));
  const seatById = new Map(fixed.map((s) => [s.id, s]));
  const report = (planRow?.solverReport as SolverReport | null) ?? null;
  const members = memberRows.map((x) => {
    const reg = x.m.registrationId ? regById.get(x.m.registrationId) : undefined;
    const seat = x.m.fixedSeatId ? seatById.get(x.m.fixedSeatId) : undefined;
    const label = seat ? seat.name : seeNames ? (x.name ?? reg?.paperRef ?? "") : (reg?.pseudonym ?? "");
    return {
      id: x.m.id,
      label: seat || seeNames ? label : (reg?.pseudonym ?? ""),
      source: x.m.source,
      status: x.m.status,
      respondBy: x.m.respondBy.toISOString(),
      mine: Boolean(actor && x.m.userId === actor.id),
      answerable: x.m.status === "invited" && can(actor, "selection.answerInvitation", { type: "panelSeat", matterId, communityPath: facts.path, holderId: x.m.userId }),
      probability: reg && report?.selection ? (report.selection[reg.pseudonym] ?? null) : null,
    };
  });
  const accepted = members.filter((m) => m.status === "accepted").length;
  const published = planRow ? await publishedDraw(ctx.db, matterId) : null;
  const selection = report?.selection;
  const chance =
    published && selection && mine
      ? explainChance({
          person: published.pool.find((p) => p.id === mine.r.pseudonym) ?? { id: mine.r.pseudonym, household: null, attributes: mine.r.answers },
          pool: published.pool,
          quotas: published.quotas,
          seats: published.seats,
          probability: selection[mine.r.pseudonym] ?? 0,
          excluded: report?.excluded,
        })
      : null;
  const chart = published && selection ? chanceByValue({ pool: published.pool, quotas: published.quotas, seats: published.seats, selection, excluded: report?.excluded }) : null;
  const publicReport = report && !committee ? { ...report, selection: undefined, excluded: report.excluded?.map((e) => ({ id: e.id, reason: e.reason })) } : report;
  let plan: SelectionPage["plan"] = null;
  if (planRow) {
    const { secret: _s, distribution: _d, ...rest } = planRow;
    void _s;
    void _d;
    plan = { ...rest, entropy: planRow.secretRevealed ? planRow.entropy : null, seed: planRow.secretRevealed ? planRow.seed : null };
  }
  return {
    matter: { id: facts.m.id, title: facts.m.title, state: facts.m.state },
    plan,
    deadlinePassed: planRow ? ctx.clock.now() >= planRow.registrationDeadline : false,
    viewer: { committee, verified, registration: mine ? { pseudonym: mine.r.pseudonym, answers: mine.r.answers } : null, chance },
    chart,
    poolSize: active.length,
    paperCount: active.filter((x) => x.r.userId === null).length,
    counts,
    // the committee's own note may hold an address or a number: it stays with the committee
    fixedSeats: fixed.map((s) => ({ id: s.id, name: s.name, reason: s.reason, note: committee ? s.note : null, hasAccount: s.userId !== null })),
    report: publicReport,
    members,
    probabilities:
      committee && report?.selection
        ? active
            .map((x) => ({
              pseudonym: x.r.pseudonym,
              name: x.name,
              probability: report.selection![x.r.pseudonym] ?? 0,
              excluded: report.excluded?.find((e) => e.id === x.r.pseudonym)?.reason ?? null,
            }))
            .sort((a, b) => a.probability - b.probability || (a.pseudonym < b.pseudonym ? -1 : 1))
        : null,
    accepted,
    full: planRow ? accepted >= planRow.panelSize && planRow.status === "drawn" : false,
    verification: published ? verifyDraw(published) : null,
  };
}
