/**
 * What can() is asked about: the resources (each carrying what its rules need, such as an area's
 * path for scope) and the actions. The rules themselves are in permissions.ts.
 */
import type { RoleName } from "./actor";
import type { ConsultationForm, MatterCommand, MatterState } from "../matters/states";
/** Things a permission can be asked about. Areas carry their path ("/1/4/9/") so scope is a prefix test. */
export type Resource =
  | { type: "site" }
  | { type: "area"; id: number; path: string; kind: "county" | "town" | "community" }
  | { type: "membership"; userId: number; communityId: number; communityPath: string }
  | { type: "roleGrant"; role: RoleName; areaPath: string; areaKind: "county" | "town" | "community" }
  | { type: "user"; id: number }
  /** A person a reset code may be issued for: their membership of the community, and whether they hold any role anywhere. */
  | { type: "account"; userId: number; communityId: number; communityPath: string; verified: boolean; staff: boolean }
  | { type: "notification"; userId: number }
  | { type: "matter"; id: number; communityId: number; communityPath: string; proposerId: number; state: MatterState }
  /** A volunteer team (志愿服务组织) with the ids of its appointed organizers. */
  | { type: "team"; id: number; areaPath: string; organizerIds: number[] }
  /** A service record: whose it is and the team that recorded it. */
  | { type: "serviceRecord"; volunteerUserId: number; team: { id: number; areaPath: string; organizerIds: number[] } }
  /** selection: a seat on a matter's panel, with the account that holds it (null: reached offline). */
  | { type: "panelSeat"; matterId: number; communityPath: string; holderId: number | null }
  // voting: a vote on a matter (with the matter, for who may read it and whose committee runs it),
  // and the row of a vote's fixed elector list a user votes as (null: not on the list)
  | { type: "vote"; id: number; state: "scheduled" | "open" | "closed" | "cancelled"; matter: MatterResource }
  | { type: "voteElector"; voteId: number; userId: number; voterKey: string | null }
  /**
   * room: a session of a matter's room, with the asker's own place in it as the database holds it
   * (an accepted panel seat, a mute in this session) and who holds the floor.
   */
  | {
      type: "roomSession";
      matter: { id: number; communityId: number; communityPath: string; proposerId: number; state: MatterState };
      moderatorId: number;
      /** an accepted panel seat on the matter */
      seat: boolean;
      muted: boolean;
      floorUserId: number | null;
      // lawful and open (issue 19): who speaks follows the matter's consultation form
      form: ConsultationForm | null;
      /** a verified resident of the community whose recorded birth year makes them 18+ today */
      adult: boolean;
      /** on the community's representatives roster, within a term, today */
      representative: boolean;
    }
  /** comments (matters/comments): one comment, with its author, its standing and the matter it is on. */
  | { type: "comment"; id: number; authorId: number; status: "visible" | "pending" | "hidden"; matter: MatterResource }
  // matters core (issue 16)
  /** One lifecycle command on a matter: the transition table (matters/states.ts) names who may run it. */
  | { type: "matterCommand"; command: MatterCommand; proposerId: number; communityPath: string };

/** A matter as permissions see it. */
export type MatterResource = Extract<Resource, { type: "matter" }>;

export type Action =
  | "area.view"
  | "area.join"
  | "area.createChild"
  | "area.manageMembers"
  | "area.viewLedger"
  | "area.viewDashboard"
  | "role.grant"
  // communities (issue 16): the admin appointment form lists the areas an admin holds over
  | "area.appointStaff"
  // lawful and open (issue 19): the register, the representatives roster, residents' birth years
  | "area.manageRegister"
  | "ledger.verify"
  | "admin.enter"
  | "account.update"
  | "account.issueReset"
  | "notification.read"
  // notifications (issue 17): the dead-letter list of e-mail and SMS deliveries
  | "notification.manageDeliveries"
  | "matter.propose"
  | "matter.view"
  | "matter.edit"
  | "matter.cosign"
  | "matter.follow"
  | "matter.publishMaterials"
  // attachments (issue 20): files on a proposal (its proposer, early on) and on materials and outcomes (the committee)
  | "attachment.addToProposal"
  | "attachment.addToRecord"
  | "category.create"
  | "team.create"
  | "team.appoint"
  | "team.organize"
  | "record.certify"
  | "record.report"
  | "volunteer.export"
  // volunteers (issue 21): rounding, stars, margin and the working-day calendar of an area
  | "volunteerRules.edit"
  // volunteers (issue 21): records that travel, training and honours
  | "volunteer.acceptMove"
  | "volunteer.importRecord"
  | "team.recordTraining"
  | "team.giveHonour"
  // selection (matters/selection)
  | "selection.view"
  | "selection.plan"
  | "selection.register"
  | "selection.withdraw"
  | "selection.draw"
  | "selection.answerInvitation"
  // voting
  | "vote.view"
  | "vote.setup"
  | "vote.cast"
  | "vote.enterPaper"
  | "vote.close"
  | "vote.cancel"
  | "vote.viewResults"
  // room (matters/room)
  | "room.view"
  | "room.moderate"
  | "room.open"
  | "room.schedule"
  | "room.post"
  | "room.recordStatement"
  | "room.react"
  | "room.raiseHand"
  | "room.lowerHand"
  | "room.endTurn"
  | "room.ask"
  | "room.recordAttendance"
  | "room.checkIn"
  | "room.summarise"
  | "oversight.object"
  | "oversight.answer"
  | "room.respondToMinutes"
  // comments (matters/comments)
  | "comment.post"
  | "comment.edit"
  | "comment.react"
  | "comment.markAnswered"
  | "comment.report"
  | "comment.moderate"
  | "comment.appeal"
  | "comment.decideAppeal"
  // matters core (issue 16)
  | "matter.manage"
  | "matter.run"
  | "matter.viewOpen";
