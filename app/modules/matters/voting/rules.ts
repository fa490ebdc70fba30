/**
 * Voting rules, pure: the legal presets, quorum and pass tests in exact integer arithmetic,
 * and the tally with its plain-language explanation. Sources (PRODUCT.md "Voting"):
 *   居民会议  城市居民委员会组织法 §9–10: more than half of residents (or households) present; more than half of those present.
 *   村民会议  村民委员会组织法 §22: more than half of villagers 18+, or at least 2/3 of households; more than half of those present.
 *   村民代表会议 §26: at least 2/3 of the representatives; more than half of those present. The elector
 *             list is the community's representatives roster in term on the opening day (issue 19).
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
export type Electorate = "panel" | "residents" | "households" | "representatives";
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
  village_representatives: { electorates: ["representatives", "panel"], quorum: { num: 2, den: 3, strict: false }, pass: { num: 1, den: 2, strict: true }, passBase: "present" },
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

/** The register number a statutory quorum counts against, as fixed when the vote opened (issue 19). */
export interface QuorumBase {
  count: number;
  kind: "adults" | "households";
  /** accounts: the community kept no register on the opening day; the elector list stood in, and the result says so */
  source: "census" | "household_register" | "other" | "accounts";
  /** the register's day, "YYYY-MM-DD" */
  asOf: string;
  entryId: number;
}

/** The presets whose quorum the law counts over the community's register, not over accounts. */
export const STATUTORY_PRESETS: readonly PresetName[] = ["residents_meeting", "villagers_meeting_persons", "villagers_meeting_households", "one_matter_households"];

/** Which register number a vote's quorum counts against: adults for persons, households for households; none for panels and custom rules. */
export function registerKindFor(preset: string, electorate: Electorate): QuorumBase["kind"] | null {
  if (!STATUTORY_PRESETS.includes(preset as PresetName)) return null;
  if (electorate === "households") return "households";
  if (electorate === "residents") return "adults";
  return null;
}

export interface TallyInput {
  method: Method;
  options: string[];
  /** the elector list's size: the quorum's base unless a register base is given */
  electorateSize: number;
  rule: Rule;
  ballots: Ballot[];
  quorumBase?: QuorumBase | null;
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
  const base0 = input.quorumBase?.count ?? input.electorateSize;
  const quorumMet = meets(turnout, base0, input.rule.quorum);
  const explanation: Tally["explanation"] = [];
  if (input.quorumBase) {
    // the result names the number the quorum counted against and where it came from
    const b = input.quorumBase;
    explanation.push(
      b.source === "accounts"
        ? { key: "voting.explain.accountsBase", params: { count: b.count, kind: `@voting.registerKind.${b.kind}`, asOf: b.asOf } }
        : { key: "voting.explain.registerBase", params: { count: b.count, kind: `@voting.registerKind.${b.kind}`, source: `@register.source.${b.source}`, asOf: b.asOf } },
    );
  }
  explanation.push({
    key: quorumMet ? "voting.explain.quorumMet" : "voting.explain.quorumMissed",
    params: { turnout, electorate: base0, rule: fractionWords(input.rule.quorum) },
  });
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
  return { counts, turnout, electorateSize: base0, quorumMet, base, winner: tie ? null : winner, winnerVotes, tie, passed, explanation };
}
