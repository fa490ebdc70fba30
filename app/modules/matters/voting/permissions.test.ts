import { describe, expect, it } from "vitest";
import type { Actor, RoleName } from "../../accounts/actor";
import { can, type Action, type MatterResource, type Resource } from "../../accounts/permissions";

// voting's part of can(): a community's committee runs its votes; the elector list decides who casts
const OWN = "/1/2/4/";
const OTHER = "/1/3/6/";

function actor(kind: "anon" | "user" | "resident" | RoleName): Actor | null {
  if (kind === "anon") return null;
  const a: Actor = { id: 10, displayName: "x", roles: [], memberships: [] };
  if (kind === "resident") a.memberships.push({ communityId: 4, communityPath: OWN, status: "verified" });
  if (kind === "committee" || kind === "organizer") a.roles.push({ role: kind, areaId: 4, areaPath: OWN });
  if (kind === "town_admin") a.roles.push({ role: kind, areaId: 2, areaPath: "/1/2/" });
  if (kind === "county_admin") a.roles.push({ role: kind, areaId: 1, areaPath: "/1/" });
  return a;
}
const who = ["anon", "user", "resident", "committee", "organizer", "town_admin", "county_admin"] as const;

const matter = (path: string, state: MatterResource["state"] = "voting"): MatterResource => ({
  type: "matter",
  id: 1,
  communityId: path === OWN ? 4 : 6,
  communityPath: path,
  proposerId: 99,
  state,
});
const vote = (path: string, state: "scheduled" | "open" | "closed" | "cancelled" = "open", m = matter(path)): Resource => ({ type: "vote", id: 7, state, matter: m });

const staffRows: { action: Action; own: Resource; other: Resource }[] = [
  { action: "vote.setup", own: matter(OWN, "deliberating"), other: matter(OTHER, "deliberating") },
  { action: "vote.enterPaper", own: vote(OWN), other: vote(OTHER) },
  { action: "vote.close", own: vote(OWN), other: vote(OTHER) },
  { action: "vote.cancel", own: vote(OWN, "scheduled"), other: vote(OTHER, "scheduled") },
];

describe("voting permissions", () => {
  for (const row of staffRows) {
    it(`${row.action}: only the committee of the matter's own community`, () => {
      for (const w of who) {
        expect([w, can(actor(w), row.action, row.own)]).toEqual([w, w === "committee"]);
        expect([w, can(actor(w), row.action, row.other)]).toEqual([w, false]);
      }
    });
  }

  it("vote.cast: the elector list decides, for the poster's own row only, whatever their roles", () => {
    const me = actor("user")!;
    expect(can(me, "vote.cast", { type: "voteElector", voteId: 7, userId: me.id, voterKey: "u:10" })).toBe(true);
    expect(can(me, "vote.cast", { type: "voteElector", voteId: 7, userId: me.id, voterKey: null })).toBe(false);
    expect(can(actor("committee"), "vote.cast", { type: "voteElector", voteId: 7, userId: 10, voterKey: null })).toBe(false);
    expect(can(me, "vote.cast", { type: "voteElector", voteId: 7, userId: 11, voterKey: "u:11" })).toBe(false);
    expect(can(null, "vote.cast", { type: "voteElector", voteId: 7, userId: 10, voterKey: "u:10" })).toBe(false);
  });

  it("vote.view follows who may read the matter; vote.viewResults also needs the vote closed", () => {
    const hidden = matter(OWN, "withdrawn");
    for (const w of who) {
      expect(can(actor(w), "vote.view", vote(OTHER))).toBe(true);
      expect(can(actor(w), "vote.view", matter(OTHER))).toBe(true);
      expect(can(actor(w), "vote.view", vote(OWN, "closed", hidden))).toBe(can(actor(w), "matter.view", hidden));
      expect(can(actor(w), "vote.viewResults", vote(OTHER, "closed"))).toBe(true);
      for (const state of ["scheduled", "open", "cancelled"] as const) expect(can(actor(w), "vote.viewResults", vote(OWN, state))).toBe(false);
    }
    expect(can(null, "vote.view", vote(OWN, "closed", hidden))).toBe(false);
    expect(can(actor("resident"), "vote.viewResults", vote(OWN, "closed", hidden))).toBe(true);
    expect(can(actor("user"), "vote.viewResults", vote(OWN, "closed", hidden))).toBe(false);
  });
});
