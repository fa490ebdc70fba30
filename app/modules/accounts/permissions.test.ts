import { describe, expect, it } from "vitest";
import type { Actor, RoleName } from "./actor";
import { can, type Action, type Resource } from "./permissions";

// county 1 → town 2 (communities 4, 5) and town 3 (community 6)
const P = { county: "/1/", townA: "/1/2/", townB: "/1/3/", own: "/1/2/4/", sibling: "/1/2/5/", otherTown: "/1/3/6/" };
const area = (id: number, path: string, kind: "county" | "town" | "community"): Resource => ({ type: "area", id, path, kind });

function actor(kind: "anon" | "user" | "pending" | "resident" | RoleName): Actor | null {
  if (kind === "anon") return null;
  const a: Actor = { id: 10, displayName: "x", roles: [], memberships: [] };
  if (kind === "pending") a.memberships.push({ communityId: 4, communityPath: P.own, status: "pending" });
  if (kind === "resident") a.memberships.push({ communityId: 4, communityPath: P.own, status: "verified" });
  if (kind === "committee" || kind === "organizer" || kind === "supervisor") a.roles.push({ role: kind, areaId: 4, areaPath: P.own });
  if (kind === "town_admin") a.roles.push({ role: kind, areaId: 2, areaPath: P.townA });
  if (kind === "county_admin") a.roles.push({ role: kind, areaId: 1, areaPath: P.county });
  return a;
}

const who = ["anon", "user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"] as const;
type Who = (typeof who)[number];

/** A panel matter choosing its panel, in community `communityId` at `path`. */
const selecting = (id: number, communityId: number, path: string): Resource => ({ type: "matter", id, communityId, communityPath: path, proposerId: 99, state: "selecting" });

/** A session of a deliberating matter's room in community `communityId`; the asker holds no seat unless told. */
const roomSession = (communityId: number, path: string, more: Partial<Extract<Resource, { type: "roomSession" }>> = {}): Resource => ({
  type: "roomSession",
  matter: { id: communityId, communityId, communityPath: path, proposerId: 99, state: "deliberating" },
  moderatorId: 99,
  seat: false,
  muted: false,
  floorUserId: null,
  form: "panel",
  adult: false,
  representative: false,
  ...more,
});

/** A comment by someone else (user 99) on a scheduled matter of community `communityId`. */
const comment = (communityId: number, path: string, status: "visible" | "pending" | "hidden" = "visible"): Resource => ({
  type: "comment",
  id: 1,
  authorId: 99,
  status,
  matter: { type: "matter", id: communityId, communityId, communityPath: path, proposerId: 98, state: "scheduled" },
});

/** Each row: an action on a resource in the actor's own scope and in another one, and who may. */
const matrix: { action: Action; label: string; own: Resource; other: Resource; allowedOwn: Who[]; allowedOther: Who[] }[] = [
  {
    action: "area.manageMembers",
    label: "verify residents of a community",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["committee", "town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "area.manageMembers",
    label: "decide one membership request",
    own: { type: "membership", userId: 99, communityId: 4, communityPath: P.own },
    other: { type: "membership", userId: 99, communityId: 5, communityPath: P.sibling },
    allowedOwn: ["committee", "town_admin", "county_admin"],
    allowedOther: ["town_admin", "county_admin"],
  },
  {
    action: "area.viewLedger",
    label: "read a community's ledger (its supervision committee too)",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["committee", "town_admin", "county_admin", "supervisor"],
    allowedOther: ["county_admin"],
  },
  {
    action: "oversight.object",
    label: "file an objection (质询) on a matter of the community",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "implementing" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "implementing" },
    allowedOwn: ["supervisor"],
    allowedOther: [],
  },
  {
    action: "oversight.answer",
    label: "answer an objection in public",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "implementing" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "implementing" },
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  {
    action: "area.viewDashboard",
    label: "see a community's dashboard and export",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["committee", "town_admin", "county_admin", "supervisor"],
    allowedOther: ["county_admin"],
  },
  {
    action: "area.viewDashboard",
    label: "see a town's roll-up",
    own: area(2, P.townA, "town"),
    other: area(3, P.townB, "town"),
    allowedOwn: ["town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "area.createChild",
    label: "create a community under a town",
    own: area(2, P.townA, "town"),
    other: area(3, P.townB, "town"),
    allowedOwn: ["town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "area.createChild",
    label: "create a town under the county",
    own: area(1, P.county, "county"),
    other: area(1, P.county, "county"),
    allowedOwn: ["county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "area.appointStaff",
    label: "list a community in the appointment form",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "area.appointStaff",
    label: "list a town in the appointment form",
    own: area(2, P.townA, "town"),
    other: area(3, P.townB, "town"),
    allowedOwn: ["town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "role.grant",
    label: "appoint a committee member",
    own: { type: "roleGrant", role: "committee", areaPath: P.own, areaKind: "community" },
    other: { type: "roleGrant", role: "committee", areaPath: P.otherTown, areaKind: "community" },
    allowedOwn: ["town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "role.grant",
    label: "appoint a town admin",
    own: { type: "roleGrant", role: "town_admin", areaPath: P.townA, areaKind: "town" },
    other: { type: "roleGrant", role: "town_admin", areaPath: P.townB, areaKind: "town" },
    allowedOwn: ["county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "area.view",
    label: "read a community's public page",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: [...who],
    allowedOther: [...who],
  },
  {
    action: "area.join",
    label: "ask to join a community",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["user", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
  },
  {
    action: "account.update",
    label: "change an account's password",
    own: { type: "user", id: 10 },
    other: { type: "user", id: 11 },
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: [],
  },
  {
    action: "notification.read",
    label: "read a notification",
    own: { type: "notification", userId: 10 },
    other: { type: "notification", userId: 11 },
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: [],
  },
  {
    action: "matter.view",
    label: "read a matter still collecting co-signs",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "collecting" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "collecting" },
    allowedOwn: ["resident", "committee", "town_admin", "county_admin", "supervisor"],
    allowedOther: ["county_admin"],
  },
  {
    action: "matter.view",
    label: "read an accepted matter (public record)",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "accepted" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "accepted" },
    allowedOwn: [...who],
    allowedOther: [...who],
  },
  {
    action: "matter.view",
    label: "read someone else's draft",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "draft" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "draft" },
    allowedOwn: [],
    allowedOther: [],
  },
  {
    action: "matter.cosign",
    label: "co-sign a matter",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "collecting" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "collecting" },
    allowedOwn: ["resident"],
    allowedOther: [],
  },
  {
    action: "matter.propose",
    label: "propose a matter",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["resident", "committee"],
    allowedOther: [],
  },
  {
    action: "category.create",
    label: "add a local category",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["committee", "town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "ledger.verify",
    label: "verify the audit ledger",
    own: { type: "site" },
    other: { type: "site" },
    allowedOwn: ["town_admin", "county_admin"],
    allowedOther: ["town_admin", "county_admin"],
  },
  {
    action: "notification.manageDeliveries",
    label: "see and retry the dead-letter list of e-mail and SMS deliveries",
    own: { type: "site" },
    other: { type: "site" },
    allowedOwn: ["town_admin", "county_admin"],
    allowedOther: ["town_admin", "county_admin"],
  },
  {
    action: "team.create",
    label: "set up a volunteer team of a community",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["committee", "town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "team.appoint",
    label: "appoint organizers of a team",
    own: { type: "team", id: 1, areaPath: P.own, organizerIds: [] },
    other: { type: "team", id: 2, areaPath: P.otherTown, organizerIds: [] },
    allowedOwn: ["committee", "town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "record.certify",
    label: "confirm or correct a service record of a team they organize (and not of another team)",
    own: { type: "serviceRecord", volunteerUserId: 99, team: { id: 1, areaPath: P.own, organizerIds: [10] } },
    other: { type: "serviceRecord", volunteerUserId: 99, team: { id: 2, areaPath: P.own, organizerIds: [11] } },
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: [],
  },
  {
    action: "volunteer.acceptMove",
    label: "accept or decline a volunteer moving into a community",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["committee", "organizer", "town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "volunteer.importRecord",
    label: "import another installation's signed record for a volunteer of the community",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["committee", "organizer", "town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "team.recordTraining",
    label: "record a training session of a team they organize",
    own: { type: "team", id: 1, areaPath: P.own, organizerIds: [10] },
    other: { type: "team", id: 2, areaPath: P.own, organizerIds: [11] },
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: [],
  },
  {
    action: "team.giveHonour",
    label: "record an honour a team gives (its organizers, or the staff over its area)",
    own: { type: "team", id: 1, areaPath: P.own, organizerIds: [10] },
    other: { type: "team", id: 2, areaPath: P.otherTown, organizerIds: [11] },
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: ["county_admin"],
  },
  {
    action: "volunteerRules.edit",
    label: "set the volunteer rules and working-day calendar of an area",
    own: area(2, P.townA, "town"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["county_admin"],
    allowedOther: ["county_admin"],
  },
  // selection (matters/selection)
  {
    action: "selection.view",
    label: "see a panel matter's selection (public once accepted)",
    own: selecting(1, 4, P.own),
    other: selecting(2, 6, P.otherTown),
    allowedOwn: [...who],
    allowedOther: [...who],
  },
  {
    action: "selection.plan",
    label: "plan a panel: size, quotas, fixed seats, paper registrations",
    own: selecting(1, 4, P.own),
    other: selecting(2, 6, P.otherTown),
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  {
    action: "selection.draw",
    label: "compute the distribution and draw the panel",
    own: selecting(1, 4, P.own),
    other: selecting(2, 6, P.otherTown),
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  {
    action: "selection.register",
    label: "register interest in a panel",
    own: selecting(1, 4, P.own),
    other: selecting(2, 6, P.otherTown),
    allowedOwn: ["resident"],
    allowedOther: [],
  },
  {
    action: "selection.withdraw",
    label: "withdraw one's own registration",
    own: selecting(1, 4, P.own),
    other: selecting(2, 6, P.otherTown),
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
  },
  {
    action: "selection.answerInvitation",
    label: "answer for a panel seat reached offline (no account)",
    own: { type: "panelSeat", matterId: 1, communityPath: P.own, holderId: null },
    other: { type: "panelSeat", matterId: 2, communityPath: P.otherTown, holderId: null },
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  // room (matters/room)
  {
    action: "room.view",
    label: "be in a matter's room (admins above look in)",
    own: roomSession(4, P.own),
    other: roomSession(6, P.otherTown),
    allowedOwn: ["resident", "committee", "town_admin", "county_admin", "supervisor"],
    allowedOther: ["county_admin"],
  },
  {
    action: "room.moderate",
    label: "moderate a room",
    own: roomSession(4, P.own),
    other: roomSession(6, P.otherTown),
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  {
    action: "room.ask",
    label: "ask the moderator a written question",
    own: roomSession(4, P.own),
    other: roomSession(6, P.otherTown),
    allowedOwn: ["resident", "committee"],
    allowedOther: [],
  },
  {
    action: "room.post",
    label: "post a statement without a panel seat",
    own: roomSession(4, P.own),
    other: roomSession(6, P.otherTown),
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  // issue 19: who speaks follows the consultation form
  {
    action: "area.manageRegister",
    label: "keep a community's register, roster and birth years",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["committee", "town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "area.manageRegister",
    label: "keep a register on a town",
    own: area(2, P.townA, "town"),
    other: area(3, P.townB, "town"),
    allowedOwn: [],
    allowedOther: [],
  },
  {
    action: "room.react",
    label: "mark statements in a room (admins above only look in)",
    own: roomSession(4, P.own),
    other: roomSession(6, P.otherTown),
    allowedOwn: ["resident", "committee"],
    allowedOther: [],
  },
  {
    action: "room.post",
    label: "speak at a 居民会议 as a resident recorded 18+",
    own: roomSession(4, P.own, { form: "meeting", adult: true }),
    other: roomSession(6, P.otherTown, { form: "meeting", adult: false }),
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: [],
  },
  {
    action: "room.raiseHand",
    label: "queue to speak at a 居民会议 without an adult residency on record",
    own: roomSession(4, P.own, { form: "meeting", seat: true }),
    other: roomSession(6, P.otherTown, { form: "meeting" }),
    allowedOwn: [],
    allowedOther: [],
  },
  {
    action: "room.raiseHand",
    label: "queue to speak at a 代表会议 as a representative in term",
    own: roomSession(4, P.own, { form: "representatives", representative: true }),
    other: roomSession(6, P.otherTown, { form: "representatives", seat: true, adult: true }),
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: [],
  },
  {
    action: "room.schedule",
    label: "schedule a room session",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "scheduled" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "scheduled" },
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  // attachments (issue 20)
  {
    action: "attachment.addToProposal",
    label: "attach a file to their own proposal while it collects co-signatures (not someone else's)",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 10, state: "collecting" },
    other: { type: "matter", id: 2, communityId: 4, communityPath: P.own, proposerId: 99, state: "collecting" },
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: [],
  },
  {
    action: "attachment.addToProposal",
    label: "attach a file to their own proposal once it is under review",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 10, state: "under_review" },
    other: { type: "matter", id: 2, communityId: 4, communityPath: P.own, proposerId: 10, state: "accepted" },
    allowedOwn: [],
    allowedOther: [],
  },
  {
    action: "attachment.addToRecord",
    label: "attach a file to a matter's materials or outcome",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "implementing" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "implementing" },
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  // matters core (issue 16)
  {
    action: "matter.manage",
    label: "act as the committee on a matter",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "accepted" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "accepted" },
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  {
    action: "matter.run",
    label: "accept a matter under review",
    own: { type: "matterCommand", command: "accept", proposerId: 99, communityPath: P.own },
    other: { type: "matterCommand", command: "accept", proposerId: 99, communityPath: P.otherTown },
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  {
    action: "matter.run",
    label: "annul a matter",
    own: { type: "matterCommand", command: "annul", proposerId: 99, communityPath: P.own },
    other: { type: "matterCommand", command: "annul", proposerId: 99, communityPath: P.otherTown },
    allowedOwn: ["town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "matter.run",
    label: "submit their own draft",
    own: { type: "matterCommand", command: "submit", proposerId: 10, communityPath: P.own },
    other: { type: "matterCommand", command: "submit", proposerId: 99, communityPath: P.own },
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: [],
  },
  {
    action: "matter.viewOpen",
    label: "list matters still collecting or under review",
    own: area(4, P.own, "community"),
    other: area(6, P.otherTown, "community"),
    allowedOwn: ["resident", "committee", "town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  // comments (matters/comments)
  {
    action: "comment.post",
    label: "comment on an open matter",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "scheduled" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "scheduled" },
    allowedOwn: ["resident", "committee", "town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "comment.post",
    label: "comment on a completed matter",
    own: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "completed" },
    other: { type: "matter", id: 2, communityId: 6, communityPath: P.otherTown, proposerId: 99, state: "completed" },
    allowedOwn: [],
    allowedOther: [],
  },
  {
    action: "comment.react",
    label: "agree or disagree with someone's comment",
    own: comment(4, P.own),
    other: comment(6, P.otherTown),
    allowedOwn: ["resident", "committee", "town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "comment.markAnswered",
    label: "mark a comment answered",
    own: comment(4, P.own),
    other: comment(6, P.otherTown),
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  {
    action: "comment.report",
    label: "report a comment on a public matter",
    own: comment(4, P.own),
    other: comment(6, P.otherTown),
    allowedOwn: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
    allowedOther: ["user", "pending", "resident", "committee", "organizer", "town_admin", "county_admin", "supervisor"],
  },
  {
    action: "comment.moderate",
    label: "keep or hide a reported comment",
    own: comment(4, P.own, "pending"),
    other: comment(6, P.otherTown, "pending"),
    allowedOwn: ["committee"],
    allowedOther: [],
  },
  {
    action: "comment.decideAppeal",
    label: "decide an appeal against a hidden comment",
    own: comment(4, P.own, "hidden"),
    other: comment(6, P.otherTown, "hidden"),
    allowedOwn: ["town_admin", "county_admin"],
    allowedOther: ["county_admin"],
  },
  {
    action: "comment.edit",
    label: "edit someone else's comment",
    own: comment(4, P.own),
    other: comment(6, P.otherTown),
    allowedOwn: [],
    allowedOther: [],
  },
];

describe("authorization matrix: roles × actions × own/other scope", () => {
  for (const row of matrix) {
    for (const w of who) {
      for (const scope of ["own", "other"] as const) {
        const allowed = (scope === "own" ? row.allowedOwn : row.allowedOther).includes(w);
        it(`${w} ${allowed ? "may" : "may not"} ${row.label} (${scope})`, () => {
          expect(can(actor(w), row.action, row[scope])).toBe(allowed);
        });
      }
    }
  }

  it("nobody confirms their own service hours, even as the team's organizer; only the volunteer reports an error", () => {
    const own: Resource = { type: "serviceRecord", volunteerUserId: 10, team: { id: 1, areaPath: P.own, organizerIds: [10] } };
    expect(can(actor("organizer"), "record.certify", own)).toBe(false);
    expect(can(actor("organizer"), "record.report", own)).toBe(true);
    expect(can(actor("committee"), "record.report", { ...own, volunteerUserId: 11 })).toBe(false);
  });

  it("a comment's author edits and appeals it, never reacts to or reports it; the proposer marks answers", () => {
    const mine: Resource = { type: "comment", id: 1, authorId: 10, status: "visible", matter: { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 98, state: "scheduled" } };
    const a = actor("resident");
    expect(can(a, "comment.edit", mine)).toBe(true);
    expect(can(a, "comment.appeal", mine)).toBe(true);
    expect(can(a, "comment.react", mine)).toBe(false);
    expect(can(a, "comment.report", mine)).toBe(false);
    expect(can(a, "comment.edit", { ...mine, status: "pending" })).toBe(false);
    const proposer = { ...actor("user")!, id: 98 };
    expect(can(proposer, "comment.markAnswered", mine)).toBe(true);
    expect(can(actor("user"), "comment.appeal", { ...mine, authorId: 11 })).toBe(false);
  });

  it("a committee member may not decide their own membership request", () => {
    const a = actor("committee")!;
    expect(can(a, "area.manageMembers", { type: "membership", userId: a.id, communityId: 4, communityPath: P.own })).toBe(false);
  });

  it("a town admin cannot reach a community whose path merely starts with the same digits", () => {
    const a: Actor = { id: 1, displayName: "x", roles: [{ role: "town_admin", areaId: 2, areaPath: "/1/2/" }], memberships: [] };
    expect(can(a, "area.manageMembers", area(7, "/1/22/7/", "community"))).toBe(false);
  });

  it("a panel seat with an account is answered by its holder alone, not by the committee", () => {
    const seat = (holderId: number): Resource => ({ type: "panelSeat", matterId: 1, communityPath: P.own, holderId });
    expect(can(actor("user"), "selection.answerInvitation", seat(10))).toBe(true);
    expect(can(actor("committee"), "selection.answerInvitation", seat(99))).toBe(false);
    expect(can(actor("county_admin"), "selection.answerInvitation", seat(99))).toBe(false);
    expect(can(null, "selection.answerInvitation", seat(10))).toBe(false);
  });

  it("nobody outside a community sees its selection before the matter is public", () => {
    const collecting: Resource = { type: "matter", id: 1, communityId: 4, communityPath: P.own, proposerId: 99, state: "collecting" };
    expect(can(null, "selection.view", collecting)).toBe(false);
    expect(can(actor("user"), "selection.register", collecting)).toBe(false);
    expect(can(actor("resident"), "selection.view", collecting)).toBe(true);
  });

  it("in the room a panel seat speaks, queues and checks in; a mute silences it but leaves its marks and its lowered hand", () => {
    const user = actor("user");
    const seated = roomSession(4, P.own, { seat: true });
    for (const a of ["room.view", "room.post", "room.raiseHand", "room.lowerHand", "room.react", "room.ask", "room.checkIn", "room.respondToMinutes"] as const) {
      expect(can(user, a, seated)).toBe(true);
    }
    expect(can(user, "room.moderate", seated)).toBe(false);
    const muted = roomSession(4, P.own, { seat: true, muted: true });
    for (const a of ["room.post", "room.raiseHand", "room.ask"] as const) expect(can(user, a, muted)).toBe(false);
    for (const a of ["room.lowerHand", "room.react", "room.view"] as const) expect(can(user, a, muted)).toBe(true);
    expect(can(null, "room.view", seated)).toBe(false);
  });

  it("the session's moderator runs it but only the committee opens it and writes the summary; the speaker may end their own turn", () => {
    const user = actor("user");
    const chaired = roomSession(4, P.own, { moderatorId: 10 });
    for (const a of ["room.moderate", "room.recordStatement", "room.recordAttendance", "room.endTurn", "room.post"] as const) expect(can(user, a, chaired)).toBe(true);
    for (const a of ["room.open", "room.summarise", "room.raiseHand", "room.checkIn"] as const) expect(can(user, a, chaired)).toBe(false);
    expect(can(actor("committee"), "room.open", roomSession(4, P.own))).toBe(true);
    expect(can(actor("committee"), "room.open", roomSession(6, P.otherTown))).toBe(false);
    expect(can(user, "room.endTurn", roomSession(4, P.own, { seat: true, floorUserId: 10 }))).toBe(true);
    expect(can(user, "room.endTurn", roomSession(4, P.own, { seat: true, floorUserId: 11 }))).toBe(false);
  });

  it("nobody is in the room of a matter they may not see", () => {
    const draft = roomSession(4, P.own, { seat: true, moderatorId: 10 });
    if (draft.type === "roomSession") draft.matter.state = "draft";
    expect(can(actor("user"), "room.view", draft)).toBe(false);
    expect(can(actor("committee"), "room.view", draft)).toBe(false);
  });
});
