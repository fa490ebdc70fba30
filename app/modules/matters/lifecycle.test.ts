import { describe, expect, it } from "vitest";
import type { Actor } from "../accounts/actor";
import { checkCommand, COMMAND_NAMES, STATES, type MatterCommand, type MatterFacts, type MatterState } from "./lifecycle";

const PATH = "/1/2/4/";
const OTHER = "/1/3/6/";
const now = new Date("2026-11-26T02:00:00Z");
const longAgo = new Date("2026-11-01T00:00:00Z");

const base = (state: MatterState, over: Partial<MatterFacts> = {}): MatterFacts => ({
  state,
  proposerId: 1,
  communityPath: PATH,
  form: state === "accepted" ? "meeting" : "panel",
  cosignCount: 10,
  threshold: 10,
  materialsPublishedAt: longAgo,
  noticeDays: 3,
  ...over,
});

const person = (id: number, roles: Actor["roles"] = [], verified = false): Actor => ({
  id,
  displayName: `p${id}`,
  roles,
  memberships: verified ? [{ communityId: 4, communityPath: PATH, status: "verified" }] : [],
});
const ROLES: Record<string, Actor | null | "system"> = {
  anonymous: null,
  outsider: person(50),
  resident: person(51, [], true),
  proposer: person(1, [], true),
  committee: person(52, [{ role: "committee", areaId: 4, areaPath: PATH }]),
  otherCommittee: person(53, [{ role: "committee", areaId: 6, areaPath: OTHER }]),
  townAdmin: person(54, [{ role: "town_admin", areaId: 2, areaPath: "/1/2/" }]),
  otherTownAdmin: person(55, [{ role: "town_admin", areaId: 3, areaPath: "/1/3/" }]),
  countyAdmin: person(56, [{ role: "county_admin", areaId: 1, areaPath: "/1/" }]),
  system: "system",
};

// The rules as the issue states them, written out independently of lifecycle.ts.
const AFTER_ACCEPTED = ["accepted", "selecting", "scheduled", "deliberating", "voting", "decided", "no_consensus", "implementing", "completed"];
const SPEC: Record<MatterCommand, { from: string[]; who: string[]; to: string }> = {
  submit: { from: ["draft"], who: ["proposer"], to: "collecting" },
  withdraw: { from: ["draft", "collecting"], who: ["proposer"], to: "withdrawn" },
  reachThreshold: { from: ["collecting"], who: ["system"], to: "under_review" },
  accept: { from: ["under_review"], who: ["committee"], to: "accepted" },
  reject: { from: ["under_review"], who: ["committee"], to: "rejected" },
  merge: { from: ["under_review"], who: ["committee"], to: "merged" },
  openSelection: { from: ["accepted"], who: ["committee"], to: "selecting" },
  schedule: { from: ["accepted", "selecting", "no_consensus"], who: ["committee"], to: "scheduled" },
  openDeliberation: { from: ["scheduled"], who: ["committee"], to: "deliberating" },
  openVote: { from: ["scheduled", "deliberating"], who: ["committee", "system"], to: "voting" },
  decide: { from: ["voting"], who: ["system"], to: "decided" },
  failVote: { from: ["voting"], who: ["system"], to: "no_consensus" },
  startImplementation: { from: ["decided"], who: ["committee"], to: "implementing" },
  complete: { from: ["implementing"], who: ["system"], to: "completed" },
  annul: { from: AFTER_ACCEPTED, who: ["townAdmin", "countyAdmin"], to: "annulled" },
  reopen: { from: ["completed"], who: ["committee"], to: "scheduled" },
};

describe("the matter lifecycle, every state × command × role", () => {
  for (const command of COMMAND_NAMES) {
    for (const state of STATES) {
      for (const [role, actor] of Object.entries(ROLES)) {
        const spec = SPEC[command];
        const expected = !spec.who.includes(role)
          ? role === "anonymous"
            ? "unauthenticated"
            : "forbidden"
          : !spec.from.includes(state)
            ? "invalid_state"
            : spec.to;
        it(`${command} in ${state} by ${role} → ${expected}`, () => {
          // openSelection needs a panel matter; scheduling from acceptance needs a non-panel one
          const facts = base(state, command === "openSelection" ? { form: "panel" } : {});
          const r = checkCommand(command, facts, actor, now, { reason: "依据《村民委员会组织法》" });
          expect(r.ok ? r.to : r.code).toBe(expected);
        });
      }
    }
  }
});

describe("guards", () => {
  const committee = ROLES.committee as Actor;
  it("a committee member's own proposal skips co-signing and goes straight to review", () => {
    const r = checkCommand("submit", base("draft", { proposerId: committee.id }), committee, now);
    expect(r).toEqual({ ok: true, to: "under_review" });
  });
  it("review starts only at the threshold", () => {
    expect(checkCommand("reachThreshold", base("collecting", { cosignCount: 9 }), "system", now)).toMatchObject({ ok: false, messageKey: "matters.errors.belowThreshold" });
    expect(checkCommand("reachThreshold", base("collecting", { cosignCount: 10 }), "system", now)).toMatchObject({ ok: true });
  });
  it("deliberation does not open before the notice period after publication", () => {
    expect(checkCommand("openDeliberation", base("scheduled", { materialsPublishedAt: null }), committee, now)).toMatchObject({ messageKey: "matters.errors.noMaterials" });
    const twoDays = new Date(now.getTime() - 2 * 86_400_000);
    expect(checkCommand("openDeliberation", base("scheduled", { materialsPublishedAt: twoDays }), committee, now)).toMatchObject({ messageKey: "matters.errors.noticePeriod" });
    const threeDays = new Date(now.getTime() - 3 * 86_400_000);
    expect(checkCommand("openDeliberation", base("scheduled", { materialsPublishedAt: threeDays }), committee, now)).toEqual({ ok: true, to: "deliberating" });
  });
  it("a panel matter chooses its panel before it is scheduled; other forms schedule at once", () => {
    expect(checkCommand("schedule", base("accepted", { form: "panel" }), committee, now)).toMatchObject({ messageKey: "matters.errors.panelFirst" });
    expect(checkCommand("openSelection", base("accepted", { form: "meeting" }), committee, now)).toMatchObject({ messageKey: "matters.errors.notPanel" });
    expect(checkCommand("schedule", base("accepted", { form: "household_vote" }), committee, now)).toEqual({ ok: true, to: "scheduled" });
  });
  it("rejection and annulment need a public reason", () => {
    expect(checkCommand("reject", base("under_review"), committee, now, { reason: "  " })).toMatchObject({ code: "validation" });
    expect(checkCommand("annul", base("decided"), ROLES.townAdmin as Actor, now, {})).toMatchObject({ code: "validation" });
  });
});
