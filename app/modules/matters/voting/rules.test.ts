import { describe, expect, it } from "vitest";
import { meets, PRESETS, ruleFor, tally, type Ballot, type PresetName } from "./rules";

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
