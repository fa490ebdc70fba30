import { describe, expect, it } from "vitest";
import { meets, PRESETS, registerKindFor, ruleFor, tally, type Ballot, type PresetName } from "./rules";

const yesNo = (yes: number, no: number, abstain = 0): Ballot[] => [
  ...Array.from({ length: yes }, () => ({ choices: ["yes"] })),
  ...Array.from({ length: no }, () => ({ choices: ["no"] })),
  ...Array.from({ length: abstain }, () => ({ choices: ["abstain"] })),
];
const YN = ["yes", "no", "abstain"];

describe("quorum and pass fractions are exact", () => {
  it.each([
    // value, base, more than half?, at least two thirds?
    [59, 118, false, false],
    [60, 118, true, false],
    [78, 118, true, false],
    [79, 118, true, true],
    [2, 3, true, true],
    [1, 2, false, false],
    [0, 0, false, false],
  ])("%i of %i", (value, base, half, twoThirds) => {
    expect(meets(value, base, { num: 1, den: 2, strict: true })).toBe(half);
    expect(meets(value, base, { num: 2, den: 3, strict: false })).toBe(twoThirds);
  });
});

/** Every preset at its edges: [preset, electorate, yes, no, abstain, quorum met, passed] */
const table: [PresetName, number, number, number, number, boolean, boolean][] = [
  // 居民会议: more than half present, more than half of those present
  ["residents_meeting", 118, 41, 22, 0, true, true],
  ["residents_meeting", 118, 30, 29, 0, false, false], // 59 of 118 is exactly half: no quorum
  ["residents_meeting", 118, 30, 20, 10, true, false], // 30 of 60 present is half, not more
  ["residents_meeting", 118, 31, 20, 10, true, true],
  // 村民会议 by households: at least two thirds of households
  ["villagers_meeting_households", 412, 200, 74, 0, false, false], // 274 < 274.67
  ["villagers_meeting_households", 412, 200, 75, 0, true, true], // 275 ≥ 2/3 of 412
  ["villagers_meeting_persons", 1000, 250, 251, 0, true, false], // 501 present, 250 yes
  // 村民代表会议: at least two thirds of the representatives
  ["village_representatives", 30, 11, 9, 0, true, true],
  ["village_representatives", 30, 11, 8, 0, false, false],
  // 一事一议: two thirds of households, more than half of households represented
  ["one_matter_households", 9, 4, 2, 0, true, true],
  ["one_matter_households", 9, 3, 3, 0, true, false], // tie fails
  ["one_matter_households", 9, 3, 2, 1, true, false], // 3 of 6 represented is not more than half
  // panel: abstentions do not count against (base = votes cast)
  ["panel", 15, 5, 4, 6, true, true],
  ["panel", 15, 4, 4, 7, true, false],
  ["panel", 15, 4, 3, 0, false, false],
];

describe("presets", () => {
  it.each(table)("%s: electorate %i, yes %i, no %i, abstain %i → quorum %s, passed %s", (preset, electorate, yes, no, abstain, quorum, passed) => {
    const t = tally({ method: "yes_no", options: YN, electorateSize: electorate, rule: ruleFor(preset), ballots: yesNo(yes, no, abstain) });
    expect(t.quorumMet).toBe(quorum);
    expect(t.passed).toBe(passed);
    expect(t.counts).toEqual({ yes, no, abstain });
  });

  it("every preset names the electorates it fits", () => {
    for (const p of Object.values(PRESETS)) expect(p.electorates.length).toBeGreaterThan(0);
  });
});

describe("explanations say which rule was applied and why", () => {
  it("a passed household vote", () => {
    const t = tally({ method: "yes_no", options: YN, electorateSize: 118, rule: ruleFor("residents_meeting"), ballots: yesNo(41, 22) });
    expect(t.explanation).toEqual([
      { key: "voting.explain.quorumMet", params: { turnout: 63, electorate: 118, rule: "@voting.fraction.more.1_2" } },
      { key: "voting.explain.passed", params: { votes: 41, base: 63, option: "yes", rule: "@voting.fraction.more.1_2", baseWord: "@voting.base.present" } },
    ]);
  });
  it("a yes/no tie is explained as not more than half", () => {
    const t = tally({ method: "yes_no", options: YN, electorateSize: 10, rule: ruleFor("residents_meeting"), ballots: yesNo(4, 4) });
    expect(t.passed).toBe(false);
    expect(t.explanation.map((e) => e.key)).toEqual(["voting.explain.quorumMet", "voting.explain.notPassed", "voting.explain.yesNoTie"]);
  });
  it("no quorum says only that", () => {
    const t = tally({ method: "yes_no", options: YN, electorateSize: 10, rule: ruleFor("residents_meeting"), ballots: yesNo(5, 0) });
    expect(t.explanation.map((e) => e.key)).toEqual(["voting.explain.quorumMissed"]);
  });
});

describe("several options", () => {
  const rule = ruleFor("panel");
  it("the top option wins when it has more than half of the votes", () => {
    const ballots = [...Array(6)].map(() => ({ choices: ["a"] })).concat([...Array(3)].map(() => ({ choices: ["b"] })));
    const t = tally({ method: "single", options: ["a", "b", "c"], electorateSize: 12, rule, ballots });
    expect(t).toMatchObject({ winner: "a", passed: true, counts: { a: 6, b: 3, c: 0 } });
  });
  it("a tie for first place has no winner", () => {
    const ballots = [{ choices: ["a"] }, { choices: ["b"] }, { choices: ["a"] }, { choices: ["b"] }];
    const t = tally({ method: "single", options: ["a", "b"], electorateSize: 6, rule, ballots });
    expect(t).toMatchObject({ winner: null, tie: true, passed: false });
    expect(t.explanation.at(-1)?.key).toBe("voting.explain.tie");
  });
  it("approval counts each approved option once per ballot", () => {
    const ballots = [{ choices: ["a", "b", "a"] }, { choices: ["a"] }, { choices: ["c"] }];
    const t = tally({ method: "approval", options: ["a", "b", "c"], electorateSize: 4, rule, ballots });
    expect(t.counts).toEqual({ a: 2, b: 1, c: 1 });
    expect(t.passed).toBe(true); // a: 2 of 3 ballots
  });
});

/**
 * Issue 19: statutory quorums count against the community register, not the elector list. Each row:
 * [preset, register kind, register count, turnout, quorum met]; the elector list is always 6 accounts,
 * so a count against accounts would meet every quorum here.
 */
const registerEdges: [PresetName, "adults" | "households", number, number, boolean][] = [
  // 居民会议: more than half of the registered adults (or households)
  ["residents_meeting", "adults", 2150, 1075, false],
  ["residents_meeting", "adults", 2150, 1076, true],
  ["residents_meeting", "households", 801, 400, false],
  ["residents_meeting", "households", 801, 401, true],
  // 村民会议 by persons: more than half of the villagers 18+
  ["villagers_meeting_persons", "adults", 999, 499, false],
  ["villagers_meeting_persons", "adults", 999, 500, true],
  // 村民会议 by households: at least two thirds of households
  ["villagers_meeting_households", "households", 300, 199, false],
  ["villagers_meeting_households", "households", 300, 200, true],
  ["villagers_meeting_households", "households", 301, 200, false],
  ["villagers_meeting_households", "households", 301, 201, true],
  // 一事一议: at least two thirds of households
  ["one_matter_households", "households", 412, 274, false],
  ["one_matter_households", "households", 412, 275, true],
];

describe("statutory quorums count against the register", () => {
  it.each(registerEdges)("%s over %s: %i registered, %i voting → quorum %s", (preset, kind, count, turnout, met) => {
    const quorumBase = { count, kind, source: "household_register" as const, asOf: "2026-01-01", entryId: 1 };
    const t = tally({ method: "yes_no", options: YN, electorateSize: 6, rule: ruleFor(preset), ballots: yesNo(turnout, 0), quorumBase });
    expect(t.quorumMet).toBe(met);
    expect(t.electorateSize).toBe(count);
    // the result names the number and where it came from, before the quorum line
    expect(t.explanation[0]).toEqual({
      key: "voting.explain.registerBase",
      params: { count, kind: `@voting.registerKind.${kind}`, source: "@register.source.household_register", asOf: "2026-01-01" },
    });
    expect(t.explanation[1].params).toMatchObject({ electorate: count, turnout });
  });

  it("names the stand-in plainly when the community kept no register", () => {
    const quorumBase = { count: 6, kind: "adults" as const, source: "accounts" as const, asOf: "2026-01-01", entryId: 0 };
    const t = tally({ method: "yes_no", options: YN, electorateSize: 6, rule: ruleFor("residents_meeting"), ballots: yesNo(4, 0), quorumBase });
    expect(t.explanation[0].key).toBe("voting.explain.accountsBase");
  });

  it("only statutory presets take a register base, and by the electorate's unit", () => {
    expect(registerKindFor("residents_meeting", "residents")).toBe("adults");
    expect(registerKindFor("one_matter_households", "households")).toBe("households");
    expect(registerKindFor("panel", "panel")).toBeNull();
    expect(registerKindFor("village_representatives", "panel")).toBeNull();
    expect(registerKindFor("custom", "residents")).toBeNull();
  });
});
