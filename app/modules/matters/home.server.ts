/**
 * What is waiting for the signed-in person, for the home page: each item one tap from a link.
 * A resident sees, in the communities where they are verified, the matters collecting co-signs
 * they have not signed, the open votes and their own panel invitations. Staff see the
 * communities in their scope and their to-do list there: residents to verify, matters to review,
 * panel invitations unanswered, votes to close, overdue commitments; an organizer, the service
 * records of their teams to confirm. Reads only; every list is bounded.
 */
import { and, asc, eq, inArray, isNull, lt, lte, notInArray, or, sql } from "drizzle-orm";
import {
  areas,
  commitments,
  cosigns,
  matters,
  memberships,
  panelMembers,
  serviceRecords,
  teamOrganizers,
  volunteerActivities,
  votes,
} from "../../../db/schema";
import { beijingDay } from "../shared/beijing-time";
import type { CommandContext } from "../shared/context";

const LIMIT = 20;

export type HomeTask =
  | { kind: "verify"; communityId: number; community: string; count: number; link: string }
  | { kind: "review"; matterId: number; title: string; community: string; link: string }
  | { kind: "invitationsUnanswered"; matterId: number; title: string; count: number; link: string }
  | { kind: "voteToClose"; voteId: number; question: string; due: boolean; link: string }
  | { kind: "overdue"; matterId: number; title: string; due: string; link: string }
  | { kind: "recordsToConfirm"; activityId: number; title: string; count: number; link: string };

/** The path condition "in one of these subtrees" (staff scopes are area paths like "/1/4/"). */
const within = (paths: string[]) => sql`(${sql.join(paths.map((p) => sql`${areas.path} like ${`${p}%`}`), sql` or `)})`;

export async function getHome(ctx: CommandContext) {
  const actor = ctx.actor;
  if (!actor) return null;
  const db = ctx.db;
  const now = ctx.clock.now();
  const verified = actor.memberships.filter((m) => m.status === "verified").map((m) => m.communityId);
  const staffPaths = [...new Set(actor.roles.filter((r) => r.role !== "organizer").map((r) => r.areaPath))];

  const [collecting, openVotes, invitations, staffCommunities, tasks] = await Promise.all([
    verified.length
      ? db
          .select({ id: matters.id, title: matters.title, cosignCount: matters.cosignCount, threshold: matters.threshold, community: areas.name })
          .from(matters)
          .innerJoin(areas, eq(areas.id, matters.communityId))
          .where(
            and(
              inArray(matters.communityId, verified),
              eq(matters.state, "collecting"),
              sql`${matters.proposerId} <> ${actor.id}`,
              sql`not exists (select 1 from ${cosigns} c where c.matter_id = ${matters.id} and c.user_id = ${actor.id})`,
            ),
          )
          .orderBy(asc(matters.id))
          .limit(LIMIT)
      : [],
    verified.length
      ? db
          .select({ id: votes.id, question: votes.question, closesAt: votes.closesAt, matterTitle: matters.title })
          .from(votes)
          .innerJoin(matters, eq(matters.id, votes.matterId))
          .where(and(inArray(matters.communityId, verified), eq(votes.state, "open")))
          .orderBy(asc(votes.id))
          .limit(LIMIT)
      : [],
    db
      .select({ matterId: panelMembers.matterId, title: matters.title, respondBy: panelMembers.respondBy })
      .from(panelMembers)
      .innerJoin(matters, eq(matters.id, panelMembers.matterId))
      .where(and(eq(panelMembers.userId, actor.id), eq(panelMembers.status, "invited")))
      .orderBy(asc(panelMembers.respondBy))
      .limit(LIMIT),
    staffPaths.length
      ? db.select({ id: areas.id, name: areas.name }).from(areas).where(and(eq(areas.kind, "community"), within(staffPaths))).orderBy(asc(areas.path)).limit(50)
      : [],
    staffTasks(ctx, staffPaths, now),
  ]);

  return {
    collecting: collecting.map((m) => ({ ...m, link: `/matters/${m.id}` })),
    votes: openVotes.map((v) => ({ id: v.id, question: v.question, matterTitle: v.matterTitle, closesAt: v.closesAt?.toISOString() ?? null, link: `/votes/${v.id}` })),
    invitations: invitations.map((i) => ({ matterId: i.matterId, title: i.title, respondBy: i.respondBy.toISOString(), link: `/matters/${i.matterId}/selection` })),
    staffCommunities: staffCommunities.map((c) => ({ ...c, link: `/communities/${c.id}` })),
    tasks,
  };
}

async function staffTasks(ctx: CommandContext, staffPaths: string[], now: Date): Promise<HomeTask[]> {
  const db = ctx.db;
  const actor = ctx.actor!;
  const records = db
    .select({ activityId: serviceRecords.activityId, title: volunteerActivities.title, n: sql<number>`count(*)::int` })
    .from(serviceRecords)
    .innerJoin(volunteerActivities, eq(volunteerActivities.id, serviceRecords.activityId))
    .innerJoin(teamOrganizers, and(eq(teamOrganizers.teamId, serviceRecords.teamId), eq(teamOrganizers.userId, actor.id)))
    .where(eq(serviceRecords.status, "proposed"))
    .groupBy(serviceRecords.activityId, volunteerActivities.title)
    .orderBy(asc(serviceRecords.activityId))
    .limit(LIMIT);
  if (!staffPaths.length) return (await records).map((r) => ({ kind: "recordsToConfirm", activityId: r.activityId, title: r.title, count: r.n, link: `/activities/${r.activityId}` }));
  const [pending, review, unanswered, toClose, overdue, recs] = await Promise.all([
    db
      .select({ communityId: areas.id, community: areas.name, n: sql<number>`count(*)::int` })
      .from(memberships)
      .innerJoin(areas, eq(areas.id, memberships.communityId))
      .where(and(eq(memberships.status, "pending"), within(staffPaths), sql`${memberships.userId} <> ${actor.id}`))
      .groupBy(areas.id, areas.name)
      .orderBy(asc(areas.id))
      .limit(LIMIT),
    db
      .select({ id: matters.id, title: matters.title, community: areas.name })
      .from(matters)
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .where(and(eq(matters.state, "under_review"), within(staffPaths)))
      .orderBy(asc(matters.id))
      .limit(LIMIT),
    db
      .select({ matterId: matters.id, title: matters.title, n: sql<number>`count(*)::int` })
      .from(panelMembers)
      .innerJoin(matters, eq(matters.id, panelMembers.matterId))
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .where(and(eq(panelMembers.status, "invited"), within(staffPaths)))
      .groupBy(matters.id, matters.title)
      .orderBy(asc(matters.id))
      .limit(LIMIT),
    db
      .select({ id: votes.id, question: votes.question, closesAt: votes.closesAt })
      .from(votes)
      .innerJoin(matters, eq(matters.id, votes.matterId))
      .innerJoin(areas, eq(areas.id, matters.communityId))
      // closed by hand (no closing time), or past its time and not yet counted
      .where(and(eq(votes.state, "open"), within(staffPaths), or(isNull(votes.closesAt), lte(votes.closesAt, now))))
      .orderBy(asc(votes.id))
      .limit(LIMIT),
    db
      .select({ matterId: commitments.matterId, title: commitments.title, due: commitments.dueDate })
      .from(commitments)
      .innerJoin(matters, eq(matters.id, commitments.matterId))
      .innerJoin(areas, eq(areas.id, matters.communityId))
      .where(and(notInArray(commitments.status, ["done", "cancelled"]), lt(commitments.dueDate, beijingDay(now)), within(staffPaths)))
      .orderBy(asc(commitments.dueDate))
      .limit(LIMIT),
    records,
  ]);
  return [
    ...pending.map((p): HomeTask => ({ kind: "verify", communityId: p.communityId, community: p.community, count: p.n, link: `/communities/${p.communityId}/members` })),
    ...review.map((m): HomeTask => ({ kind: "review", matterId: m.id, title: m.title, community: m.community, link: `/matters/${m.id}` })),
    ...unanswered.map((u): HomeTask => ({ kind: "invitationsUnanswered", matterId: u.matterId, title: u.title, count: u.n, link: `/matters/${u.matterId}/selection` })),
    ...toClose.map((v): HomeTask => ({ kind: "voteToClose", voteId: v.id, question: v.question, due: !!v.closesAt, link: `/votes/${v.id}` })),
    ...overdue.map((c): HomeTask => ({ kind: "overdue", matterId: c.matterId, title: c.title, due: String(c.due), link: `/matters/${c.matterId}` })),
    ...recs.map((r): HomeTask => ({ kind: "recordsToConfirm", activityId: r.activityId, title: r.title, count: r.n, link: `/activities/${r.activityId}` })),
  ];
}
