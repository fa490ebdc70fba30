/**
 * Voting rules, pure: the legal presets, quorum and pass tests in exact integer arithmetic,
 * and the tally with its plain-language explanation. Sources (PRODUCT.md "Voting"):
 *   居民会议  城市居民委员会组织法 §9–10: more than half of residents (or households) present; more than half of those present.
 *   村民会议  村民委员会组织法 §22: more than half of villagers 18+, or at least 2/3 of households; more than half of those present.
 *   村民代表会议 §26: at least 2/3 of the representatives; more than half of those present.
 *   一事一议  管理办法: at least 2/3 of households represented; more than half of the households represented.
 *   panel     configurable; default more than half present and more than half of votes cast.
 */

/** n/d of a base, "more than" (strict) or "at least". */
export interface Fraction {
  num: number;
  den: number;
  strict: boolean;
}
export type PassBase = "present" | "cast";
export type Electorate = "panel" | "residents" | "households";
export type Method = "yes_no" | "single" | "approval";

export interface Rule {
  preset: PresetName | "custom";
  quorum: Fraction;
  pass: Fraction;
  /** present: everyone who voted, abstentions included; cast: only votes for or against. */
  passBase: PassBase;
}

export const PRESETS = {
  residents_meeting: { electorates: ["residents", "households"], quorum: { num: 1, den: 2, strict: true }, pass: { num: 1, den: 2, strict: true }, passBase: "present" },
  villagers_meeting_persons: { electorates: ["residents"], quorum: { num: 1, den: 2, strict: true }, pass: { num: 1, den: 2, strict: true }, passBase: "present" },
  villagers_meeting_households: { electorates: ["households"], quorum: { num: 2, den: 3, strict: false }, pass: { num: 1, den: 2, strict: true }, passBase: "present" },
  village_representatives: { electorates: ["panel"], quorum: { num: 2, den: 3, strict: false }, pass: { num: 1, den: 2, strict: true }, passBase: "present" },
  one_matter_households: { electorates: ["households"], quorum: { num: 2, den: 3, strict: false }, pass: { num: 1, den: 2, strict: true }, passBase: "present" },
  panel: { electorates: ["panel"], quorum: { num: 1, den: 2, strict: true }, pass: { num: 1, den: 2, strict: true }, passBase: "cast" },
} as const satisfies Record<string, { electorates: readonly Electorate[]; quorum: Fraction; pass: Fraction; passBase: PassBase }>;
export type PresetName = keyof typeof PRESETS;

export function ruleFor(preset: PresetName): Rule {
  const p = PRESETS[preset];
  return { preset, quorum: { ...p.quorum }, pass: { ...p.pass }, passBase: p.passBase };
}

/** value meets n/d of base: value/base > n/d (strict) or ≥ n/d, in integers (no rounding surprises). */
export function meets(value: number, base: number, f: Fraction) {
  if (base <= 0) return false;
  return f.strict ? value * f.den > f.num * base : value * f.den >= f.num * base;
}

export interface Ballot {
  /** option ids chosen; for yes_no one of "yes" | "no" | "abstain" */
  choices: string[];
}

export interface TallyInput {
  method: Method;
  options: string[];
  electorateSize: number;
  rule: Rule;
  ballots: Ballot[];
}

export interface Tally {
  counts: Record<string, number>;
  turnout: number;
  electorateSize: number;
  quorumMet: boolean;
  /** votes the pass test is measured against */
  base: number;
  winner: string | null;
  winnerVotes: number;
  tie: boolean;
  passed: boolean;
  /** catalogue keys with params, in reading order */
  explanation: { key: string; params: Record<string, string | number> }[];
}

function fractionWords(f: Fraction) {
  return `@voting.fraction.${f.strict ? "more" : "atLeast"}.${f.num}_${f.den}`;
}

/**
 * Counts ballots and applies the rule. Yes/no: passes when "yes" meets the pass fraction of the
 * base; a tie is not "more than half" and fails. Several options: the option with the most votes
 * wins if it meets the pass fraction; a tie for first place means no winner.
 */
export function tally(input: TallyInput): Tally {
  const counts: Record<string, number> = Object.fromEntries(input.options.map((o) => [o, 0]));
  for (const b of input.ballots) for (const c of new Set(b.choices)) if (c in counts) counts[c]++;
  const turnout = input.ballots.length;
  const quorumMet = meets(turnout, input.electorateSize, input.rule.quorum);
  const explanation: Tally["explanation"] = [
    {
      key: quorumMet ? "voting.explain.quorumMet" : "voting.explain.quorumMissed",
      params: { turnout, electorate: input.electorateSize, rule: fractionWords(input.rule.quorum) },
    },
  ];
  const cast = input.method === "yes_no" ? counts.yes + counts.no : turnout;
  const base = input.rule.passBase === "cast" ? cast : turnout;
  let winner: string | null = null;
  let winnerVotes = 0;
  let tie = false;
  if (input.method === "yes_no") {
    winner = "yes";
    winnerVotes = counts.yes;
    tie = counts.yes === counts.no;
  } else {
    const sorted = input.options.map((o) => [o, counts[o]] as const).sort((a, b) => b[1] - a[1]);
    if (sorted.length) {
      [winner, winnerVotes] = sorted[0];
      tie = sorted.length > 1 && sorted[1][1] === winnerVotes;
      if (tie) winner = null;
    }
  }
  const passed = quorumMet && !!winner && !(input.method === "yes_no" && tie) && meets(winnerVotes, base, input.rule.pass);
  if (quorumMet) {
    if (input.method !== "yes_no" && tie) {
      explanation.push({ key: "voting.explain.tie", params: { votes: winnerVotes } });
    } else {
      explanation.push({
        key: passed ? "voting.explain.passed" : "voting.explain.notPassed",
        params: {
          votes: winnerVotes,
          base,
          option: winner ?? "",
          rule: fractionWords(input.rule.pass),
          baseWord: input.rule.passBase === "cast" ? "@voting.base.cast" : "@voting.base.present",
        },
      });
      if (input.method === "yes_no" && tie) explanation.push({ key: "voting.explain.yesNoTie", params: { votes: winnerVotes } });
    }
  }
  // a tie leaves no winner (for yes/no: neither side)
  return { counts, turnout, electorateSize: input.electorateSize, quorumMet, base, winner: tie ? null : winner, winnerVotes, tie, passed, explanation };
}
