/**
 * MAXIMIN by column generation (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 596, 2021).
 *
 * Master LP over the panels found so far: maximise z subject to, for each group g of
 * interchangeable people, Σ_P λ_P · x_g(P)/|g| ≥ z, Σ λ_P = 1, λ ≥ 0. Its duals y (≥ 0, Σ y = 1)
 * price a new panel: the MIP max Σ_g y_g · x_g/|g| over quota-satisfying panels. A panel worth
 * more than z enters the master; when none is, z is optimal. Every pricing value is an upper
 * bound on the achievable minimum (for any distribution, min_i π_i ≤ Σ_i w_i π_i ≤ max_P w(P)),
 * so the smallest one seen is the dual bound reported when time runs out.
 *
 * Group-level panels are expanded into person-level panels by systematic sampling with one shared
 * offset u ∈ [0, 1): every member of g gets exactly x_g/|g| and every expanded panel has the same
 * group counts, so it meets the same quotas.
 */
import type { Highs, Model } from "highs";
import { feasibilityWith } from "./feasibility";
import { buildPanelMip, freshHighs, getHighs, roundCounts, solverMessage, STATUS } from "./highs";
import { compile, quotaMembership, sharedHouseholds, validateInput, type CompiledModel } from "./model";
import { canonicalize, selectionOf } from "./sampling";
import { ALGORITHM, LEXIMIN_ALGORITHM, SelectionInfeasibleError, SelectionInputError, type Distribution, type Exclusion, type SolveInput } from "./types";

export interface Progress {
  iteration: number;
  /** The minimum so far (after the MAXIMIN round: its optimum). */
  min: number;
  dualBound: number;
  ms: number;
  /** Set while LEXIMIN raises the probabilities above the minimum (1, 2, …). */
  leximinRound?: number;
}

export interface SolveOptions {
  timeLimitMs: number;
  onProgress?: (p: Progress) => void;
  /**
   * After the minimum is optimal, keep raising the next-lowest probabilities in turn (LEXIMIN)
   * while the budget lasts. The minimum never drops; `leximin` in the result says how far it got.
   */
  leximin?: boolean;
  /** Internal: skip the no-household relaxation (it is itself that solve). */
  noRelaxation?: boolean;
  /** Internal: household-blind rounds first (default: when the household model has more than DIRECT_GROUPS groups). */
  tieRounds?: boolean;
  /** Internal: the households the relaxation's panels must be laid out around (see expandAround). */
  homes?: Homes;
  /** Internal: set when some panel could not be laid out around `homes`, with the households at fault. */
  report?: { clash: boolean; homes: Set<string> };
  /** Internal: a distribution whose panels (made household-safe) are the first columns. */
  seed?: Distribution;
  /** Internal: an upper bound on the minimum from a relaxation, valid when the same people are excluded. */
  known?: { bound: number; excluded: string[] };
  /** Internal: model only these households (see compile); the others are kept apart by the layout. */
  tied?: Set<string>;
  /** Internal: the caller has checked feasibility already. */
  feasible?: boolean;
}

/** A new panel must be worth more than z + PRICING_EPS to enter. */
const PRICING_EPS = 1e-9;
/** LEXIMIN fixes a group at its level less this, so round-off cannot make a later round infeasible. */
const FIX_SLACK = 1e-9;
/** Stop once the dual bound is this close to z (far below the 1e-4 the product asks). */
const GAP_STOP = 1e-8;
export const OPTIMAL_GAP = 1e-4;
/** Rounds of "lay out, model the households that clash, solve again" before the full household model. */
const MAX_TIE_ROUNDS = 6;
/** A household model with at most this many groups is solved directly (small pools: no rounds needed). */
const DIRECT_GROUPS = 400;
/** Seed panels taken from an earlier round (most probable first): enough to start, few enough for a quick first LP. */
const MAX_SEED_PANELS = 1500;

/** Runs in the calling thread (the worker calls this; tests may too). */
export async function solveMaximinHere(input: SolveInput, opts: SolveOptions): Promise<Distribution> {
  validateInput(input);
  const h = await getHighs();
  try {
    return solveWith(h, input, opts);
  } catch (e) {
    if (e instanceof SelectionInputError) throw e;
    await freshHighs();
    throw new SelectionInputError("solver_failed", `The solver failed: ${solverMessage(e)}`);
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export function solveWith(h: Highs, input: SolveInput, opts: SolveOptions): Distribution {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const remainingSeconds = () => Math.max(0.05, (opts.timeLimitMs - elapsed()) / 1000);
  const outOfTime = () => elapsed() >= opts.timeLimitMs;

  const feas = opts.feasible ? ({ feasible: true } as const) : feasibilityWith(h, input, Math.max(1, opts.timeLimitMs / 1000));
  if (!feas.feasible) throw new SelectionInfeasibleError(feas.reason, feas.conflicts, feas.relaxation);

  const phases = { feasibilityMs: Math.round(elapsed()), coverMs: 0, masterMs: 0, pricingMs: 0, expandMs: 0 };
  const cm = compile(input, opts.tied ? { tied: opts.tied } : {});
  const G = cm.groups.length;
  const size = cm.groups.map((g) => g.members.length);
  // Under the household rule, first solve the pool as if there were none (people merge by profile:
  // a few seconds). Its dual bound is an upper bound here too (every panel here is a panel there).
  // When each of its panels can be laid out so that no two people of a household ever sit together
  // and everyone still gets exactly their probability (expandAround), its distribution is feasible
  // here and meets that bound: it is the answer, for MAXIMIN and for LEXIMIN alike. Otherwise the
  // households whose layout clashed are modelled and it is solved again (up to MAX_TIE_ROUNDS); then
  // the full household-type model, its first columns the last round's panels made household-safe.
  let relaxed: Distribution | null = opts.seed ?? null;
  /** Pricing problems solved in the rounds before this model (progress and the result count them all). */
  let iterationsBefore = 0;
  /** The lowest valid upper bound so far, with the people it is over (those not excluded). */
  let known: { bound: number; excluded: string[] } | null = opts.known ?? null;
  if (cm.households.length > 0 && !opts.noRelaxation && (opts.tieRounds ?? G > DIRECT_GROUPS)) {
    const tied = new Set<string>();
    for (let round = 0; round < MAX_TIE_ROUNDS && !outOfTime(); round++) {
      const offset = iterationsBefore;
      const report = { clash: false, homes: new Set<string>() };
      // the rounds settle the minimum (MAXIMIN) first: LEXIMIN rounds over a layout that then
      // clashes would spend the budget for nothing; LEXIMIN follows once a layout holds
      const roundOpts = (leximin: boolean, r: typeof report, seed: Distribution | null, at: number): SolveOptions => ({
        timeLimitMs: Math.max(1000, (opts.timeLimitMs - elapsed()) * (leximin ? 1 : 0.6)),
        noRelaxation: true,
        feasible: true,
        leximin,
        tied: new Set(tied),
        homes: homesOf(input, tied),
        report: r,
        ...(opts.onProgress ? { onProgress: (p: Progress) => opts.onProgress!({ ...p, iteration: p.iteration + at }) } : {}),
        ...(seed ? { seed } : {}),
        ...(known ? { known } : {}),
      });
      let sub = solveWith(h, input, roundOpts(false, report, relaxed, offset));
      relaxed = sub;
      iterationsBefore += sub.iterations;
      // every panel of this household-blind model is one there; its dual bound holds here too
      if (!known || sub.dualBound < known.bound) known = { bound: sub.dualBound, excluded: sub.excluded.map((e) => e.id).sort() };
      if (sub.stopped) break;
      if (!report.clash && opts.leximin && !outOfTime()) {
        const lexReport = { clash: false, homes: new Set<string>() };
        const lex = solveWith(h, input, roundOpts(true, lexReport, sub, iterationsBefore));
        iterationsBefore += lex.iterations;
        // kept only when it lays out too and its minimum is the proven one (never lower)
        sub = !lexReport.clash && !lex.stopped && lex.min >= sub.min - 1e-9 ? lex : { ...sub, leximin: { rounds: 0, complete: false } };
      }
      if (!report.clash) {
        return { ...sub, iterations: iterationsBefore, ms: Math.round(elapsed()), ...(sub.phases ? { phases: { ...sub.phases, feasibilityMs: phases.feasibilityMs } } : {}) };
      }
      const before = tied.size;
      for (const home of report.homes) tied.add(home);
      if (tied.size === before) break;
    }
  }
  const pricing = buildPanelMip(h, cm).model;
  let master: Model | null = null;
  try {
    const panels: number[][] = [];
    const keys = new Set<string>();
    const addPanel = (counts: number[]) => {
      const key = counts.join(",");
      if (keys.has(key)) return false;
      keys.add(key);
      panels.push(counts);
      return true;
    };
    const runPricing = (costs: number[]) => {
      pricing.changeColsCost({ kind: "range", from: 0, to: G - 1 }, costs);
      pricing.zeroAllClocks();
      // the first panel is found whatever the budget: a distribution needs one
      pricing.options.set({ time_limit: panels.length ? remainingSeconds() : Math.max(remainingSeconds(), 30) });
      const t0 = performance.now();
      // every feasible panel the MIP meets on the way is a candidate column too
      const found: number[][] = [];
      const r = pricing.run({
        [h.constants.callbackType.mipSolution]: (e) => {
          if (e.data.mip_solution && found.length < 50) found.push(roundCounts(e.data.mip_solution, G));
        },
      });
      phases.pricingMs += performance.now() - t0;
      const bound = Number(pricing.info.get("mip_dual_bound"));
      if (r.modelStatus !== STATUS.optimal) return { status: r.modelStatus, counts: null as number[] | null, bound, found };
      return { status: r.modelStatus, counts: roundCounts(pricing.getSolution().colValue, G), bound, found };
    };
    const isPanel = (counts: number[]) => counts.reduce((a, b) => a + b, 0) === input.k && cm.quotas.every((q, i) => {
      const n = cm.quotaGroups[i].reduce((s, g) => s + counts[g], 0);
      return n >= q.min && n <= q.max;
    }) && cm.households.every((hh) => hh.groups.reduce((s, g) => s + counts[g], 0) <= hh.capacity) && counts.every((x, g) => x >= 0 && x <= cm.groups[g].cap);
    pricing.changeObjectiveSense(h.constants.objectiveSense.maximize);

    // 1. Initial columns: the relaxation's panels made household-safe, then panels that reach
    // groups no panel has reached yet, until none can.
    const covered = new Array<boolean>(G).fill(false);
    if (relaxed) {
      for (const counts of householdSafe(cm, relaxed)) {
        if (!isPanel(counts) || !addPanel(counts)) continue;
        counts.forEach((x, g) => {
          if (x > 0) covered[g] = true;
        });
      }
    }
    const excludedGroup = new Array<boolean>(G).fill(false);
    let stopped = false;
    let salt = 1;
    // any panel reaching new groups will do here: no need to prove it the best one
    pricing.options.set({ mip_rel_gap: 0.5 });
    for (;;) {
      const open = covered.map((c, g) => !c && !excludedGroup[g]);
      if (!open.some(Boolean)) break;
      if (outOfTime() && panels.length > 0) {
        stopped = true;
        break;
      }
      // deterministic mild perturbation spreads the panels across equally good choices
      const costs = open.map((o, g) => (o ? (1 + ((Math.imul(g + 1, 2654435761) ^ Math.imul(salt, 40503)) >>> 0) % 1000 / 1e4) / size[g] : 0));
      salt++;
      let r = runPricing(costs);
      const gainOf = (counts: number[]) => counts.reduce((s, x, g) => s + (open[g] ? x : 0), 0);
      if (r.counts && gainOf(r.counts) === 0) {
        // before calling anyone unreachable, prove it: the same search without the gap allowance
        pricing.options.set({ mip_rel_gap: 0 });
        r = runPricing(costs);
        pricing.options.set({ mip_rel_gap: 0.5 });
      }
      if (!r.counts) {
        stopped = true;
        break;
      }
      const gain = gainOf(r.counts);
      if (gain === 0) {
        open.forEach((o, g) => {
          if (o) excludedGroup[g] = true;
        });
        break;
      }
      for (const counts of [r.counts, ...r.found]) {
        if (!isPanel(counts)) continue;
        addPanel(counts);
        counts.forEach((x, g) => {
          if (x > 0) covered[g] = true;
        });
      }
    }
    pricing.options.set({ mip_rel_gap: 0 });
    phases.coverMs = Math.round(elapsed()) - phases.feasibilityMs;
    phases.pricingMs = 0;
    const eligible = Array.from({ length: G }, (_, g) => g).filter((g) => !excludedGroup[g]);
    let bound = 1;
    if (known) {
      // a relaxation bounds the minimum over its own eligible people: only valid here if they are the same
      const here = cm.groups.flatMap((g, gi) => (excludedGroup[gi] ? g.members : [])).sort();
      const there = known.excluded;
      if (here.length === there.length && here.every((id, i) => id === there[i])) bound = Math.min(bound, known.bound);
    }
    if (eligible.length > 0 && eligible.length < G) {
      pricing.changeColsBounds(
        { kind: "set", indices: Array.from({ length: G }, (_, g) => g).filter((g) => excludedGroup[g]) },
        new Array(G - eligible.length).fill(0),
        new Array(G - eligible.length).fill(0),
      );
    }

    // 2. Master LP: column 0 is z, then one column per panel; row r < eligible.length covers eligible[r], the last row is Σλ = 1.
    master = h.createModel();
    master.options.set({ output_flag: false, simplex_strategy: 4 });
    master.addVar(0, h.infinity);
    master.changeColCost(0, 1);
    master.changeObjectiveSense(h.constants.objectiveSense.maximize);
    const rowOf = new Map(eligible.map((g, r) => [g, r]));
    for (let r = 0; r < eligible.length; r++) master.addRow(0, h.infinity, { indices: [0], values: [-1] });
    const convexity = eligible.length;
    master.addRow(1, 1, { indices: [], values: [] });
    let columns = 0;
    const addColumn = (counts: number[]) => {
      const indices: number[] = [];
      const values: number[] = [];
      counts.forEach((x, g) => {
        const r = rowOf.get(g);
        if (x > 0 && r !== undefined) {
          indices.push(r);
          values.push(x / size[g]);
        }
      });
      indices.push(convexity);
      values.push(1);
      master!.addCol(0, 0, h.infinity, { indices, values });
      columns++;
    };
    panels.forEach(addColumn);

    let z = 0;
    let lambda: number[] = [];
    let iterations = 0;
    /** The MAXIMIN round proved its optimum. */
    let converged = false;
    // LEXIMIN: after the minimum is settled, groups held at it are fixed and the next lowest raised, round by round
    const fixed = new Array<boolean>(eligible.length).fill(false);
    let round = 0;
    let leximinComplete = false;
    let maximinZ = 0;
    rounds: for (;;) {
      let roundConverged = false;
      let duals: Float64Array | null = null;
      for (;;) {
        master.zeroAllClocks();
        master.options.set({ time_limit: lambda.length ? remainingSeconds() : 3600 });
        const t0 = performance.now();
        const mr = master.run();
        phases.masterMs += performance.now() - t0;
        if (mr.modelStatus !== STATUS.optimal) {
          if (lambda.length && mr.modelStatus === STATUS.timeLimit) {
            if (round === 0) stopped = true;
            break rounds;
          }
          throw new Error(`master LP ended with status ${mr.modelStatus}`);
        }
        const sol = master.getSolution();
        z = sol.colValue[0];
        lambda = Array.from(sol.colValue.subarray(1, 1 + columns));
        duals = sol.rowDual;
        // a relaxation's bound already met: nothing can do better (LEXIMIN goes on pricing, for its duals)
        if (eligible.length === 0 || (!opts.leximin && round === 0 && bound - z <= GAP_STOP)) {
          roundConverged = true;
          break;
        }
        if (outOfTime()) {
          if (round === 0) stopped = true;
          break rounds;
        }
        // y ≥ 0 prices each group's seats; a panel worth more than the convexity row's dual (= z in round 0) improves the LP
        const y = eligible.map((_g, r) => Math.max(0, -sol.rowDual[r]));
        const ySum = y.reduce((a, b) => a + b, 0);
        if (!(ySum > 0)) throw new Error("master LP returned no usable duals");
        const norm = round === 0 ? ySum : 1;
        const threshold = round === 0 ? z : sol.rowDual[convexity];
        const costs = new Array<number>(G).fill(0);
        eligible.forEach((g, r) => (costs[g] = y[r] / norm / size[g]));
        const pr = runPricing(costs);
        iterations++;
        if (!pr.counts) {
          if (round === 0) {
            if (Number.isFinite(pr.bound)) bound = Math.min(bound, pr.bound);
            stopped = true;
          }
          break rounds;
        }
        const value = pr.counts.reduce((s, x, g) => s + costs[g] * x, 0);
        if (round === 0) {
          const valueBound = Number.isFinite(pr.bound) ? Math.max(value, pr.bound) : value;
          bound = Math.min(bound, valueBound);
        }
        opts.onProgress?.({ iteration: iterationsBefore + iterations, min: round === 0 ? z : maximinZ, dualBound: bound, ms: Math.round(elapsed()), ...(round > 0 ? { leximinRound: round } : {}) });
        if (value <= threshold + PRICING_EPS || (round === 0 && bound - z <= GAP_STOP)) {
          roundConverged = true;
          break;
        }
        if (!addPanel(pr.counts)) {
          // the best panel is already in the master: its value cannot exceed the threshold but for rounding
          roundConverged = true;
          break;
        }
        addColumn(pr.counts);
        // other improving panels met during the search enter too: fewer rounds of master and pricing
        for (const counts of pr.found) {
          const v = counts.reduce((s, x, g) => s + costs[g] * x, 0);
          if (v > threshold + PRICING_EPS && isPanel(counts) && addPanel(counts)) addColumn(counts);
        }
      }
      if (round === 0) {
        converged = roundConverged;
        maximinZ = z;
      }
      if (!opts.leximin || !roundConverged || !duals || eligible.length === 0) break;
      // Complementary slackness: a group whose row has a positive dual sits at exactly z in every
      // optimal distribution. Fix those at z (less a hair for round-off) and raise the rest.
      const open = eligible.map((_g, r) => r).filter((r) => !fixed[r]);
      const d = duals;
      let tight = open.filter((r) => -d[r] > 1e-7);
      if (tight.length === 0) tight = [open.reduce((a, b) => (-d[b] > -d[a] ? b : a))];
      for (const r of tight) {
        fixed[r] = true;
        master.changeCoefficient(r, 0, 0);
        master.changeRowBounds(r, Math.max(0, z - FIX_SLACK), h.infinity);
      }
      if (fixed.every(Boolean)) {
        leximinComplete = true;
        break;
      }
      round++;
      if (outOfTime()) break;
    }

    // 3. Expand the group panels into person panels and publish them in canonical form.
    const expandStarted = performance.now();
    const personPanels: string[][] = [];
    const personProbs: number[] = [];
    panels.forEach((counts, i) => {
      const l = lambda[i] ?? 0;
      if (l <= 1e-13) return;
      let parts: { panel: string[]; weight: number }[] | null = null;
      if (opts.homes) {
        const laid = expandAround(cm, counts, opts.homes);
        if (laid.clashes.length && opts.report) {
          opts.report.clash = true;
          for (const home of laid.clashes) opts.report.homes.add(home);
        }
        parts = laid.parts;
      }
      parts ??= expand(cm, counts);
      for (const { panel, weight } of parts) {
        personPanels.push(panel);
        personProbs.push(l * weight);
      }
    });
    const canon = canonicalize(personPanels, personProbs);
    const selection = selectionOf(input.people, canon.panels, canon.probabilities);
    const excludedIds = new Set(cm.groups.flatMap((g, gi) => (excludedGroup[gi] ? g.members : [])));
    const eligibleProbs = input.people.filter((p) => !excludedIds.has(p.id)).map((p) => selection[p.id]);
    const min = eligibleProbs.length ? Math.min(...eligibleProbs) : 0;
    const max = eligibleProbs.length ? Math.max(...eligibleProbs) : 0;
    const mean = eligibleProbs.length ? eligibleProbs.reduce((a, b) => a + b, 0) / eligibleProbs.length : 0;
    phases.expandMs = performance.now() - expandStarted;
    const excluded = explainExclusions(h, cm, excludedGroup);
    const dist: Distribution = {
      algorithm: opts.leximin ? LEXIMIN_ALGORITHM : ALGORITHM,
      panels: canon.panels,
      probabilities: canon.probabilities,
      selection,
      min,
      mean,
      max,
      dualBound: bound,
      optimal: bound - min <= OPTIMAL_GAP,
      excluded,
      iterations: iterationsBefore + iterations,
      ms: Math.round(elapsed()),
      groups: G,
      ...(opts.leximin ? { leximin: { rounds: round, complete: leximinComplete } } : {}),
      phases: { feasibilityMs: phases.feasibilityMs, coverMs: phases.coverMs, masterMs: Math.round(phases.masterMs), pricingMs: Math.round(phases.pricingMs), expandMs: Math.round(phases.expandMs) },
    };
    if (stopped && !converged) dist.stopped = "time_limit";
    return dist;
  } finally {
    pricing.dispose();
    master?.dispose();
  }
}

/**
 * Systematic sampling with a shared offset u ∈ [0, 1).
 *
 * A group g of people without household ties: member j of g (members in sorted order) sits when
 * some integer t has j·x/|g| ≤ u + t < (j+1)·x/|g|; the seated set only changes where u crosses a
 * multiple of 1/d_g (d_g = |g| / gcd(x, |g|)).
 *
 * A household type H with c homes (sorted) and counts x_t per profile t (Σ x_t ≤ c): r = ⌊u·c⌋ and
 * v = u·c − r are independent and uniform; home j seats someone of profile t when (j + r) mod c
 * falls in t's block [a_t, a_t + x_t) of consecutive integers (a_t = Σ of the earlier x), and that
 * someone is member ⌊v·m⌋ of the home's m members of profile t. Each block holds exactly x_t homes,
 * no home is in two blocks, and each person of group (H, t) sits with probability x_t / (c·m) =
 * x_t / |(H, t)|. The seated set changes only at u = (i + a/m)/c.
 *
 * The union of these grids cuts [0, 1) into intervals, each one person panel weighted by its length.
 */
export function expand(cm: CompiledModel, counts: number[]): { panel: string[]; weight: number }[] {
  const fixed: string[] = [];
  const partial: { members: string[]; x: number; c: number }[] = [];
  const inHousehold = new Set<number>(cm.households.flatMap((hh) => hh.groups));
  counts.forEach((x, g) => {
    if (x === 0 || inHousehold.has(g)) return;
    const members = cm.groups[g].members;
    if (x === members.length) fixed.push(...members);
    else partial.push({ members, x, c: members.length });
  });
  const points = new Map<string, number>();
  const addPoint = (num: number, den: number) => {
    const d = gcd(num, den);
    points.set(`${num / d}/${den / d}`, num / den);
  };
  points.set("0/1", 0);
  for (const { x, c } of partial) {
    const d = c / gcd(x, c);
    for (let a = 1; a < d; a++) addPoint(a, d);
  }
  const homes: { hh: CompiledModel["households"][number]; x: number[] }[] = [];
  for (const hh of cm.households) {
    const x = hh.groups.map((g) => counts[g]);
    if (x.every((v) => v === 0)) continue;
    homes.push({ hh, x });
    const c = hh.capacity;
    const mults = new Set<number>();
    hh.groups.forEach((_g, t) => {
      if (x[t] > 0) for (const home of hh.homes) mults.add(home.members[t].length);
    });
    for (let i = 0; i < c; i++) {
      if (i > 0) addPoint(i, c);
      for (const m of mults) for (let a = 1; a < m; a++) addPoint(i * m + a, c * m);
    }
  }
  if (partial.length === 0 && homes.length === 0) return [{ panel: fixed, weight: 1 }];
  const cuts = [...points.values()].sort((a, b) => a - b);
  cuts.push(1);
  const out: { panel: string[]; weight: number }[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const u = (cuts[i] + cuts[i + 1]) / 2;
    const panel = [...fixed];
    for (const { members, x, c } of partial) {
      for (let j = 0; j < c; j++) {
        if (Math.floor(((j + 1) * x) / c - u) - Math.floor((j * x) / c - u) === 1) panel.push(members[j]);
      }
    }
    for (const { hh, x } of homes) {
      const c = hh.capacity;
      const r = Math.floor(u * c);
      const v = u * c - r;
      hh.homes.forEach((home, j) => {
        const pos = (j + r) % c;
        let start = 0;
        for (let t = 0; t < x.length; t++) {
          if (pos >= start && pos < start + x[t]) {
            const ms = home.members[t];
            panel.push(ms[Math.floor(v * ms.length)]);
            break;
          }
          start += x[t];
        }
      });
    }
    out.push({ panel, weight: cuts[i + 1] - cuts[i] });
  }
  return out;
}

/** Person id → household key, for the people of households with two or more registrants. */
export type Homes = Map<string, string>;

export function homesOf(input: SolveInput, except: Set<string> = new Set()): Homes {
  const shared = sharedHouseholds(input.people);
  return new Map(input.people.filter((p) => p.household !== null && shared.has(p.household) && !except.has(p.household)).map((p) => [p.id, p.household!]));
}

/**
 * `expand` for a model without household ties (groups = profiles), with each group's members put in
 * an order that keeps housemates apart: with systematic sampling, the member in slot j of a group
 * sits exactly when u lies on the arc [j·x/|g|, (j+1)·x/|g|) (mod 1), so every member still gets
 * exactly x/|g| and every panel the same counts, whatever the order. Groups are placed from the
 * highest rate down; each member with housemates takes the first free slot whose arc meets none of
 * their housemates' arcs. A member who finds none takes the first free slot and their household is
 * returned in `clashes`: those panels are only fit to seed a model that ties that household.
 */
export function expandAround(cm: CompiledModel, counts: number[], homes: Homes): { parts: { panel: string[]; weight: number }[]; clashes: string[] } {
  const clashes = new Set<string>();
  const arcs = new Map<string, [number, number][]>();
  const homeMembers = new Map<string, string[]>();
  for (const [id, home] of homes) {
    const list = homeMembers.get(home) ?? [];
    list.push(id);
    homeMembers.set(home, list);
  }
  const arcOf = (j: number, x: number, c: number): [number, number][] => {
    if (x === c) return [[0, 1]];
    const a = (j * x) / c;
    const b = ((j + 1) * x) / c;
    const fa = a - Math.floor(a);
    const fb = b - Math.floor(a);
    return fb <= 1 ? [[fa, fb]] : [[fa, 1], [0, fb - 1]];
  };
  const EPS = 1e-12;
  const meets = (p: [number, number][], q: [number, number][]) => p.some(([a, b]) => q.some(([c, d]) => a < d - EPS && c < b - EPS));
  const order = cm.groups.map((g) => g.members);
  const inHousehold = new Set<number>(cm.households.flatMap((hh) => hh.groups));
  const active = counts.map((_x, g) => g).filter((g) => counts[g] > 0 && !inHousehold.has(g));
  active.sort((a, b) => counts[b] / cm.groups[b].members.length - counts[a] / cm.groups[a].members.length || a - b);
  for (const g of active) {
    const members = cm.groups[g].members;
    const c = members.length;
    const x = counts[g];
    const slots = new Array<string | null>(c).fill(null);
    const start = Math.imul(g + 1, 2654435761) >>> 0;
    const tied = members.filter((id) => homes.has(id));
    const placedHere = new Set<string>();
    for (const id of tied) {
      const mates = homeMembers.get(homes.get(id)!)!.filter((m) => m !== id && arcs.has(m));
      let placed = false;
      for (let step = 0; step < c && !placed; step++) {
        const j = (start + step) % c;
        if (slots[j] !== null) continue;
        const arc = arcOf(j, x, c);
        if (mates.some((m) => meets(arc, arcs.get(m)!))) continue;
        slots[j] = id;
        arcs.set(id, arc);
        placedHere.add(id);
        placed = true;
      }
      if (!placed) {
        // no safe slot: named as a clash, and placed anyway (the first free slot) so the layout stays
        // exact for everyone else; the caller models this household next time
        clashes.add(homes.get(id)!);
        const j = slots.indexOf(null);
        slots[j] = id;
        arcs.set(id, arcOf(j, x, c));
        placedHere.add(id);
      }
    }
    let next = 0;
    for (const id of members) {
      if (placedHere.has(id)) continue;
      while (slots[next] !== null) next++;
      slots[next] = id;
    }
    order[g] = slots as string[];
  }
  const reordered: CompiledModel = { ...cm, groups: cm.groups.map((gr, g) => ({ ...gr, members: order[g] })) };
  const parts = expand(reordered, counts);
  // the arcs promise it; the panels prove it
  for (const { panel } of parts) {
    const seen = new Set<string>();
    for (const id of panel) {
      const home = homes.get(id);
      if (home === undefined) continue;
      if (seen.has(home)) clashes.add(home);
      seen.add(home);
    }
  }
  return { parts, clashes: [...clashes].sort() };
}

/**
 * The relaxation's person panels, each made to respect one-per-household by swapping every extra
 * member of a household for someone of the same profile from a household not on the panel (same
 * quota counts, so the quotas still hold), as group counts of this model. A panel that cannot be
 * repaired is left out.
 */
function householdSafe(cm: CompiledModel, relaxed: Distribution): number[][] {
  const { people, quotas } = cm.input;
  const shared = sharedHouseholds(people);
  const profile = new Map<string, string>();
  const homeOf = new Map<string, string>();
  const byProfile = new Map<string, string[]>();
  for (const p of [...people].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const key = quotaMembership(quotas, p).join(",");
    profile.set(p.id, key);
    homeOf.set(p.id, p.household !== null && shared.has(p.household) ? p.household : `\u0000${p.id}`);
    const list = byProfile.get(key) ?? [];
    list.push(p.id);
    byProfile.set(key, list);
  }
  const order = relaxed.panels.map((_p, i) => i).sort((a, b) => relaxed.probabilities[b] - relaxed.probabilities[a] || a - b);
  const out: number[][] = [];
  order.slice(0, MAX_SEED_PANELS).forEach((pi, n) => {
    const seated = new Set(relaxed.panels[pi]);
    const homes = new Set<string>();
    const extra: string[] = [];
    for (const id of relaxed.panels[pi]) {
      const home = homeOf.get(id)!;
      if (homes.has(home)) extra.push(id);
      else homes.add(home);
    }
    for (const id of extra) {
      const candidates = byProfile.get(profile.get(id)!)!;
      const start = Math.imul(n + 1, 2654435761) >>> 0;
      let swap: string | undefined;
      for (let j = 0; j < candidates.length && !swap; j++) {
        const c = candidates[(start + j) % candidates.length];
        if (!seated.has(c) && !homes.has(homeOf.get(c)!)) swap = c;
      }
      if (!swap) return;
      seated.delete(id);
      seated.add(swap);
      homes.add(homeOf.get(swap)!);
    }
    const counts = new Array<number>(cm.groups.length).fill(0);
    for (const id of seated) counts[cm.groupOf.get(id)!]++;
    out.push(counts);
  });
  return out;
}

function explainExclusions(h: Highs, cm: CompiledModel, excludedGroup: boolean[]): Exclusion[] {
  const out: Exclusion[] = [];
  excludedGroup.forEach((ex, g) => {
    if (!ex) return;
    const group = cm.groups[g];
    const zero = group.quotas.map((q) => cm.quotas[q]).find((q) => q.max === 0);
    let reason: Exclusion["reason"] = "quota_combination";
    if (zero) reason = "quota_max_zero";
    else if (cm.input.onePerHousehold && cm.households.some((hh) => hh.groups.includes(g))) {
      const { model } = buildPanelMip(h, cm, { household: false });
      try {
        model.changeColBounds(g, 1, group.cap);
        model.options.set({ time_limit: 5 });
        if (model.run().modelStatus === STATUS.optimal) reason = "household_conflict";
      } finally {
        model.dispose();
      }
    }
    for (const id of group.members) out.push(zero ? { id, reason, quota: zero } : { id, reason });
  });
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
