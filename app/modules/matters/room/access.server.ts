/**
 * Who is in the room, and as what. The session, its matter and community, and the asker's panel
 * seat and mute come in one query (the room asks this on every event); what they may do is then
 * `can()`'s answer on the `roomSession` resource. Internal to the room sub-domain, except
 * `requireRoom` and `roleOf`, which the socket layer uses to re-check seats.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { areas, communityRepresentatives, matters, memberships, panelMembers, roomMutes, roomSessions } from "../../../../db/schema";
import type { Actor } from "../../accounts/actor";
import { can, speaksInRoom, type Action, type Resource } from "../../accounts/permissions";
import { isAdult } from "../../shared/age";
import { beijingDay } from "../../shared/beijing-time";
import type { ConsultationForm } from "../states";
import { DomainError } from "../../shared/errors";
// the room subscribes to what other sub-domains announce in it (a vote opened)
import "./announce.server";

type SessionRow = typeof roomSessions.$inferSelect;
type MatterState = (typeof matters.$inferSelect)["state"];

export interface SessionFacts {
  s: SessionRow;
  matter: { id: number; title: string; communityId: number; proposerId: number; state: MatterState; form: ConsultationForm | null };
  path: string;
}

/** The asker's standing in the room as the database holds it today. */
export interface Seat {
  panel: boolean;
  muted: boolean;
  adult: boolean;
  representative: boolean;
}

/** The asker's place in the room, as the page and the socket layer show it (each flag is a can() answer). */
export interface Access {
  moderator: boolean;
  committee: boolean;
  /** may speak: a panel seat, an adult resident at a meeting, a representative at a 代表会议 (speaksInRoom) */
  panel: boolean;
  observer: boolean;
  muted: boolean;
}
export type RoomRole = "moderator" | "panel" | "observer";

export function roleOf(a: Access): RoomRole | null {
  return a.moderator ? "moderator" : a.panel ? "panel" : a.observer ? "observer" : null;
}

/** The `roomSession` resource can() decides on, from the stored facts and the asker's seat. */
export function roomResource(f: SessionFacts, seat: Seat): Resource & { type: "roomSession" } {
  const m = f.matter;
  return {
    type: "roomSession",
    matter: { id: m.id, communityId: m.communityId, communityPath: f.path, proposerId: m.proposerId, state: m.state },
    moderatorId: f.s.moderatorId,
    seat: seat.panel,
    muted: seat.muted,
    floorUserId: f.s.floorUserId,
    form: m.form,
    adult: seat.adult,
    representative: seat.representative,
  };
}

/**
 * The session, its matter and community, and in the same query the asker's panel seat and mute.
 * The seat is isPanelMember's rule: an accepted panel_members row with this user id; the birth year
 * is the verified membership's; the roster counts a term running on the Beijing day `day`.
 */
async function sessionFacts(db: Db, sessionId: number, userId: number, day: string, lock = false) {
  const q = db
    .select({
      s: roomSessions,
      matter: { id: matters.id, title: matters.title, communityId: matters.communityId, proposerId: matters.proposerId, state: matters.state, form: matters.form },
      path: areas.path,
      birthYear: sql<number | null>`(select b.birth_year from ${memberships} b where b.community_id = ${matters.communityId} and b.user_id = ${userId} and b.status = 'verified')`,
      representative: sql<boolean>`exists(select 1 from ${communityRepresentatives} r where r.community_id = ${matters.communityId} and r.user_id = ${userId} and r.term_start <= ${day}::date and (r.term_end is null or r.term_end >= ${day}::date))`.mapWith(Boolean),
      panel: sql<boolean>`exists(select 1 from ${panelMembers} p where p.matter_id = ${matters.id} and p.user_id = ${userId} and p.status = 'accepted')`.mapWith(Boolean),
      muted: sql<boolean>`exists(select 1 from ${roomMutes} x where x.session_id = ${roomSessions.id} and x.user_id = ${userId})`.mapWith(Boolean),
    })
    .from(roomSessions)
    .innerJoin(matters, eq(matters.id, roomSessions.matterId))
    .innerJoin(areas, eq(areas.id, matters.communityId))
    .where(eq(roomSessions.id, sessionId));
  const [row] = lock ? await q.for("update", { of: roomSessions }) : await q;
  return row ?? null;
}

/** The room in which an actor acts: its facts, their place, and a `may` bound to the current facts. */
export interface InRoom {
  f: SessionFacts;
  access: Access;
  actor: Actor;
  /** can(actor, action, this session), on the facts as they are now (the floor moves within a transaction). */
  may: (action: Action) => boolean;
}

/**
 * The session and the actor's place in it. Someone who may not even see the matter gets a 404;
 * someone who may see it but is not in the room (another community's resident) a 403.
 */
export async function requireRoom(db: Db, actor: Actor | null, sessionId: number, now: Date, lock = false): Promise<InRoom> {
  const row = await sessionFacts(db, sessionId, actor?.id ?? -1, beijingDay(now), lock);
  if (!row) throw new DomainError("not_found", "errors.notFound");
  const f: SessionFacts = { s: row.s, matter: row.matter, path: row.path };
  const seat: Seat = { panel: row.panel, muted: row.muted, adult: row.birthYear != null && isAdult(Number(row.birthYear), now), representative: row.representative };
  if (!can(actor, "matter.view", { type: "matter", ...roomResource(f, seat).matter })) throw new DomainError("not_found", "errors.notFound");
  if (!actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  const may = (action: Action) => can(actor, action, roomResource(f, seat));
  if (!may("room.view")) throw new DomainError("forbidden", "room.errors.notInRoom");
  const access: Access = {
    moderator: may("room.moderate"),
    committee: may("room.open"),
    panel: speaksInRoom(roomResource(f, seat)),
    // everyone else let in (a verified resident, an admin above the community) looks on
    observer: true,
    muted: seat.muted,
  };
  return { f, access, actor, may };
}

export type DenyKey =
  | "errors.forbidden"
  | "room.errors.panelOnly"
  | "room.errors.residentsOnly"
  | "room.errors.representativesOnly"
  | "room.errors.moderatorOnly"
  | "room.errors.muted";

/** Refuses unless can() allows; `key` names what the asker lacks. */
export function need(ok: boolean, key: DenyKey = "errors.forbidden") {
  if (!ok) throw new DomainError("forbidden", key);
}

/**
 * Why a panel action was refused, in the order the room has always told it: no seat (nor the
 * moderator's chair, where that counts) first, then the mute.
 */
export function seatOrMute(r: InRoom, moderatorCounts: boolean): DenyKey {
  const placed = r.access.panel || (moderatorCounts && r.access.moderator);
  return placed ? "room.errors.muted" : notSpeakerKey(r.f.matter.form);
}

/** What a refused speaker lacks, in the words of the matter's form. */
export function notSpeakerKey(form: ConsultationForm | null): DenyKey {
  if (form === "meeting" || form === "household_vote") return "room.errors.residentsOnly";
  if (form === "representatives") return "room.errors.representativesOnly";
  return "room.errors.panelOnly";
}
