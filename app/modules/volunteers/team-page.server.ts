/**
 * A team's public page. Its own file because it reads both the teams (volunteers.server.ts) and
 * their activities (activities.server.ts), which itself reads the teams: keeping it in either
 * one made the two import each other.
 */
import { can } from "../accounts/permissions";
import type { CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { listActivities } from "./activities.server";
import { getTeamFacts, teamResource } from "./volunteers.server";

/** A team's public page: organizers, activities, and what the person asking may do there. */
export async function getTeamPage(ctx: CommandContext, teamId: number) {
  const team = await getTeamFacts(ctx.db, teamId);
  if (!team) throw new DomainError("not_found", "errors.notFound");
  return {
    team: { id: team.id, name: team.name, description: team.description, areaId: team.areaId, areaName: team.areaName, organizers: team.organizers },
    activities: await listActivities(ctx, { teamId, upcoming: false }),
    canAppoint: can(ctx.actor, "team.appoint", teamResource(team)),
    canOrganize: can(ctx.actor, "team.organize", teamResource(team)),
    canRecordTraining: can(ctx.actor, "team.recordTraining", teamResource(team)) || can(ctx.actor, "team.giveHonour", teamResource(team)),
  };
}
