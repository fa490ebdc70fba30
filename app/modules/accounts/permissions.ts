import { COMMENT_STATES, COSIGN_STATES, MATERIALS_STATES, PUBLIC_STATES, TRANSITIONS, type Who } from "../matters/states";
import type { Actor, RoleName } from "./actor";
import type { Action, Resource } from "./resources";

/** The resources and actions can() is asked about live in resources.ts. */
export type { Action, MatterResource, Resource } from "./resources";

/** A verified resident of that community. */
export function isVerifiedResident(actor: Actor | null, communityId: number) {
  return !!actor && actor.memberships.some((m) => m.communityId === communityId && m.status === "verified");
}

/** True when the actor holds one of `roles` on `path` or on an area above it. */
export function holdsOver(actor: Actor, roles: RoleName[], path: string) {
  return actor.roles.some((r) => roles.includes(r.role) && path.startsWith(r.areaPath));
}

const ADMIN: RoleName[] = ["town_admin", "county_admin"];
const STAFF: RoleName[] = ["committee", "town_admin", "county_admin"];
/** Those who read every record of a community: its staff and its supervision committee (监督委员会, issue 19). */
const READERS: RoleName[] = [...STAFF, "supervisor"];

/**
 * Who speaks in a room, by the matter's consultation form (issue 19): a panel's accepted seats; at a
 * 居民会议 / 村民会议 (and a household vote) every verified adult resident; at a 代表会议 the roster.
 */
export function speaksInRoom(r: Extract<Resource, { type: "roomSession" }>) {
  if (r.form === "representatives") return r.representative;
  if (r.form === "meeting" || r.form === "household_vote") return r.adult;
  return r.seat;
}

/** Takes part in a room (marks, asks): moderates, speaks, or is a verified resident of the community. */
function takesPart(actor: Actor | null, r: Extract<Resource, { type: "roomSession" }>) {
  return can(actor, "room.moderate", r) || speaksInRoom(r) || isVerifiedResident(actor, r.matter.communityId);
}

// matters core (issue 16)
/** The roles a person holds toward one matter (never "system": the system is not a person). */
export function matterRoles(actor: Actor | null, m: { proposerId: number; communityPath: string }): Set<Who> {
  const roles = new Set<Who>();
  if (!actor) return roles;
  if (actor.id === m.proposerId) roles.add("proposer");
  if (holdsOver(actor, ["committee"], m.communityPath)) roles.add("committee");
  if (holdsOver(actor, ADMIN, m.communityPath)) roles.add("town_admin");
  return roles;
}

/**
 * The one answer to "may they?". Pure: it reads only its arguments, so loaders, actions and
 * socket handlers can all ask it and tests can drive it from a table.
 */
export function can(actor: Actor | null, action: Action, resource: Resource): boolean {
  switch (action) {
    case "area.view":
      return resource.type === "area";
    case "area.join":
      return (
        !!actor &&
        resource.type === "area" &&
        resource.kind === "community" &&
        !actor.memberships.some((m) => m.communityId === resource.id && m.status !== "declined")
      );
    case "area.createChild":
      if (!actor || resource.type !== "area") return false;
      // towns are created by the county; communities by the county or their town
      if (resource.kind === "county") return holdsOver(actor, ["county_admin"], resource.path);
      if (resource.kind === "town") return holdsOver(actor, ADMIN, resource.path);
      return false;
    case "area.manageMembers":
      if (!actor) return false;
      if (resource.type === "area") return resource.kind === "community" && holdsOver(actor, STAFF, resource.path);
      if (resource.type === "membership") return resource.userId !== actor.id && holdsOver(actor, STAFF, resource.communityPath);
      return false;
    case "area.viewLedger":
      return !!actor && resource.type === "area" && holdsOver(actor, READERS, resource.path);
    case "area.viewDashboard":
      // a community's committee and supervision committee, and the town and county admins above it;
      // a town's or county's roll-up only to admins there (a community role does not hold over its town's path)
      return !!actor && resource.type === "area" && holdsOver(actor, READERS, resource.path);
    // communities (issue 16): where an admin may appoint staff at all (which role is "role.grant")
    case "area.manageRegister":
      // a community's committee and the admins above it keep its register and roster
      return !!actor && resource.type === "area" && resource.kind === "community" && holdsOver(actor, STAFF, resource.path);
    case "area.appointStaff":
      return !!actor && resource.type === "area" && holdsOver(actor, ADMIN, resource.path);
    case "role.grant":
      if (!actor || resource.type !== "roleGrant") return false;
      if (holdsOver(actor, ["county_admin"], resource.areaPath)) return true;
      // a town admin staffs the communities of their town, and nothing more
      return (
        holdsOver(actor, ["town_admin"], resource.areaPath) &&
        resource.areaKind === "community" &&
        (resource.role === "committee" || resource.role === "organizer" || resource.role === "supervisor")
      );
    case "ledger.verify":
    case "admin.enter":
    case "notification.manageDeliveries":
      return !!actor && actor.roles.some((r) => ADMIN.includes(r.role));
    case "account.update":
      return !!actor && resource.type === "user" && resource.id === actor.id;
    case "account.issueReset":
      // a committee member of the community, in person, for a verified resident of it: never for
      // themselves, never for anyone holding a role (a reset code must not be a way into a staff account)
      if (!actor) return false;
      if (resource.type === "area") return resource.kind === "community" && holdsOver(actor, ["committee"], resource.path);
      return (
        resource.type === "account" &&
        resource.userId !== actor.id &&
        resource.verified &&
        !resource.staff &&
        holdsOver(actor, ["committee"], resource.communityPath)
      );
    case "notification.read":
      return !!actor && resource.type === "notification" && resource.userId === actor.id;
    case "matter.propose":
      // verified residents, and the committee, of that community
      return (
        !!actor &&
        resource.type === "area" &&
        resource.kind === "community" &&
        (isVerifiedResident(actor, resource.id) || holdsOver(actor, ["committee"], resource.path))
      );
    case "matter.view": {
      if (resource.type !== "matter") return false;
      if (resource.state === "draft") return !!actor && actor.id === resource.proposerId;
      if (PUBLIC_STATES.includes(resource.state)) return true;
      // collecting, under review, withdrawn: the community, its staff and its supervision committee
      return (
        !!actor &&
        (actor.id === resource.proposerId || isVerifiedResident(actor, resource.communityId) || holdsOver(actor, READERS, resource.communityPath))
      );
    }
    case "matter.edit":
      return !!actor && resource.type === "matter" && resource.state === "draft" && actor.id === resource.proposerId;
    case "matter.cosign":
      return (
        !!actor &&
        resource.type === "matter" &&
        COSIGN_STATES.includes(resource.state) &&
        actor.id !== resource.proposerId &&
        isVerifiedResident(actor, resource.communityId)
      );
    case "matter.follow":
      return !!actor && resource.type === "matter" && resource.state !== "draft" && can(actor, "matter.view", resource);
    case "matter.publishMaterials":
      return (
        !!actor &&
        resource.type === "matter" &&
        MATERIALS_STATES.includes(resource.state) &&
        holdsOver(actor, ["committee"], resource.communityPath)
      );
    // attachments (issue 20)
    case "attachment.addToProposal":
      // the proposer, on their own matter while it is a draft or still collecting co-signatures
      return !!actor && resource.type === "matter" && (resource.state === "draft" || resource.state === "collecting") && actor.id === resource.proposerId;
    case "attachment.addToRecord":
      // the committee of the matter's community, on its materials and its outcome
      return !!actor && resource.type === "matter" && resource.state !== "draft" && holdsOver(actor, ["committee"], resource.communityPath);
    // matters core (issue 16)
    case "matter.manage":
      // the committee of the matter's community: reviews, schedules, records outcomes
      return !!actor && resource.type === "matter" && holdsOver(actor, ["committee"], resource.communityPath);
    case "matter.run": {
      // a lifecycle command by a person: one of the roles the transition table names for it
      if (!actor || resource.type !== "matterCommand") return false;
      const roles = matterRoles(actor, resource);
      return TRANSITIONS[resource.command].who.some((w) => roles.has(w));
    }
    case "matter.viewOpen":
      // matters still collecting or under review are listed to the community and its staff
      return (
        !!actor &&
        resource.type === "area" &&
        resource.kind === "community" &&
        (isVerifiedResident(actor, resource.id) || holdsOver(actor, STAFF, resource.path))
      );
    case "team.create":
      // a community's committee (or the town/county above it) sets up teams of that community or town
      return !!actor && resource.type === "area" && resource.kind !== "county" && holdsOver(actor, STAFF, resource.path);
    case "team.appoint":
      return !!actor && resource.type === "team" && holdsOver(actor, STAFF, resource.areaPath);
    case "team.organize":
      return !!actor && resource.type === "team" && resource.organizerIds.includes(actor.id);
    case "record.certify":
      // whoever organises records and certifies (谁组织谁记录): the team's organizers, never for themselves
      return !!actor && resource.type === "serviceRecord" && resource.volunteerUserId !== actor.id && resource.team.organizerIds.includes(actor.id);
    case "record.report":
      return !!actor && resource.type === "serviceRecord" && resource.volunteerUserId === actor.id;
    case "volunteer.export":
      return !!actor && resource.type === "area" && holdsOver(actor, STAFF, resource.path);
    case "volunteer.acceptMove":
    case "volunteer.importRecord":
      // the community's organizers and committee (and the admins above): who takes a volunteer in
      // and who may attach another installation's signed record to one of its volunteers
      return !!actor && resource.type === "area" && resource.kind === "community" && holdsOver(actor, ["organizer", ...STAFF], resource.path);
    case "team.recordTraining":
      return !!actor && resource.type === "team" && resource.organizerIds.includes(actor.id);
    case "team.giveHonour":
      return !!actor && resource.type === "team" && (resource.organizerIds.includes(actor.id) || holdsOver(actor, STAFF, resource.areaPath));
    case "volunteerRules.edit":
      // the county's civil affairs bureau sets the rules for the county and, where needed, below it
      return !!actor && resource.type === "area" && holdsOver(actor, ["county_admin"], resource.path);
    case "category.create":
      // the county keeps the catalogue; a town or a community committee adds local categories
      if (!actor || resource.type !== "area") return false;
      if (resource.kind === "community") return holdsOver(actor, ["committee", "town_admin", "county_admin"], resource.path);
      return holdsOver(actor, resource.kind === "county" ? ["county_admin"] : ["town_admin", "county_admin"], resource.path);
    // selection (matters/selection): the community's committee runs a panel matter's selection;
    // verified residents come forward; who holds a seat answers for it
    case "selection.view":
      // whoever may read the matter (the query adds: only a matter consulted by a panel)
      return resource.type === "matter" && can(actor, "matter.view", resource);
    case "selection.plan":
    case "selection.draw":
      return !!actor && resource.type === "matter" && can(actor, "matter.view", resource) && holdsOver(actor, ["committee"], resource.communityPath);
    case "selection.register":
      return !!actor && resource.type === "matter" && can(actor, "matter.view", resource) && isVerifiedResident(actor, resource.communityId);
    case "selection.withdraw":
      // one's own registration, even after the membership lapsed
      return !!actor && resource.type === "matter" && can(actor, "matter.view", resource);
    case "selection.answerInvitation":
      // the invitee; the committee for those it reached offline (fixed seats, paper registrations)
      if (!actor || resource.type !== "panelSeat") return false;
      return resource.holderId === actor.id || (resource.holderId === null && holdsOver(actor, ["committee"], resource.communityPath));
    // voting: the matter's community committee runs its votes; the vote's elector list, fixed when
    // it opens, not the user's roles, decides who casts; whoever may read the matter sees its votes
    // and, once closed, their results (state rules such as "not open yet" are the command's)
    case "vote.view":
      if (resource.type === "vote") return can(actor, "matter.view", resource.matter);
      return resource.type === "matter" && can(actor, "matter.view", resource);
    case "vote.setup":
      return !!actor && resource.type === "matter" && holdsOver(actor, ["committee"], resource.communityPath);
    case "vote.enterPaper":
    case "vote.close":
    case "vote.cancel":
      return !!actor && resource.type === "vote" && holdsOver(actor, ["committee"], resource.matter.communityPath);
    case "vote.cast":
      return !!actor && resource.type === "voteElector" && resource.userId === actor.id && resource.voterKey !== null;
    case "vote.viewResults":
      return resource.type === "vote" && resource.state === "closed" && can(actor, "vote.view", resource);
    // room (matters/room): the session's moderator or the community's committee runs it; who speaks,
    // queues and marks follows the form (speaksInRoom); verified residents of the community observe and ask
    case "room.view":
      if (!actor || resource.type !== "roomSession" || !can(actor, "matter.view", { type: "matter", ...resource.matter })) return false;
      // town and county admins above the community look in (they do not speak)
      return (
        can(actor, "room.moderate", resource) ||
        speaksInRoom(resource) ||
        isVerifiedResident(actor, resource.matter.communityId) ||
        holdsOver(actor, [...ADMIN, "supervisor"], resource.matter.communityPath)
      );
    case "room.moderate":
      return !!actor && resource.type === "roomSession" && (resource.moderatorId === actor.id || holdsOver(actor, ["committee"], resource.matter.communityPath));
    case "room.open":
    case "room.summarise":
      return !!actor && resource.type === "roomSession" && holdsOver(actor, ["committee"], resource.matter.communityPath);
    case "room.schedule":
      // on the matter: its community's committee, for a matter they may see
      return !!actor && resource.type === "matter" && can(actor, "matter.view", resource) && holdsOver(actor, ["committee"], resource.communityPath);
    case "room.post":
      return !!actor && resource.type === "roomSession" && (speaksInRoom(resource) || can(actor, "room.moderate", resource)) && !resource.muted;
    case "room.recordStatement":
    case "room.recordAttendance":
      // words or presence of someone in the hall, written down by the moderator
      return can(actor, "room.moderate", resource);
    case "room.react":
      // those who only look in from above (admins) neither mark nor ask
      return can(actor, "room.view", resource) && resource.type === "roomSession" && takesPart(actor, resource);
    case "room.ask":
      return can(actor, "room.view", resource) && resource.type === "roomSession" && takesPart(actor, resource) && !resource.muted;
    case "room.raiseHand":
      return !!actor && resource.type === "roomSession" && speaksInRoom(resource) && !resource.muted;
    case "room.lowerHand":
    case "room.checkIn":
    case "room.respondToMinutes":
      return !!actor && resource.type === "roomSession" && speaksInRoom(resource);
    // comments (matters/comments): verified residents of the community and its staff talk while the
    // matter is open; the proposer and the committee mark answers; the committee moderates, the town
    // hears one appeal; whoever may read the matter reads and reports (never their own words)
    case "comment.post":
      return (
        !!actor &&
        resource.type === "matter" &&
        COMMENT_STATES.includes(resource.state) &&
        can(actor, "matter.view", resource) &&
        (isVerifiedResident(actor, resource.communityId) || holdsOver(actor, STAFF, resource.communityPath))
      );
    case "comment.edit":
      return !!actor && resource.type === "comment" && resource.authorId === actor.id && resource.status === "visible" && COMMENT_STATES.includes(resource.matter.state);
    case "comment.react":
      return !!actor && resource.type === "comment" && resource.authorId !== actor.id && resource.status === "visible" && can(actor, "comment.post", resource.matter);
    case "comment.markAnswered":
      return (
        !!actor &&
        resource.type === "comment" &&
        resource.status === "visible" &&
        can(actor, "matter.view", resource.matter) &&
        (actor.id === resource.matter.proposerId || holdsOver(actor, ["committee"], resource.matter.communityPath))
      );
    case "comment.report":
      return !!actor && resource.type === "comment" && resource.authorId !== actor.id && can(actor, "matter.view", resource.matter);
    case "comment.moderate":
      if (!actor) return false;
      if (resource.type === "comment") return holdsOver(actor, ["committee"], resource.matter.communityPath) && can(actor, "matter.view", resource.matter);
      return resource.type === "area" && resource.kind === "community" && holdsOver(actor, ["committee"], resource.path);
    case "comment.appeal":
      return !!actor && resource.type === "comment" && resource.authorId === actor.id;
    case "comment.decideAppeal":
      if (!actor) return false;
      if (resource.type === "comment") return holdsOver(actor, ADMIN, resource.matter.communityPath);
      return resource.type === "area" && holdsOver(actor, ADMIN, resource.path);
    // oversight (issue 19): the community's supervision committee objects (质询) on a matter, a vote
    // or a commitment of a matter it may read; the community's committee answers in public
    case "oversight.object":
      return !!actor && resource.type === "matter" && resource.state !== "draft" && holdsOver(actor, ["supervisor"], resource.communityPath);
    case "oversight.answer":
      return !!actor && resource.type === "matter" && resource.state !== "draft" && holdsOver(actor, ["committee"], resource.communityPath);
    case "room.endTurn":
      return !!actor && resource.type === "roomSession" && (can(actor, "room.moderate", resource) || resource.floorUserId === actor.id);
  }
}
