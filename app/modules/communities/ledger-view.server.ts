/**
 * A community's own ledger stream, read in the app (issue 19): its committee, the admins above it and
 * its supervision committee (`area.viewLedger`) see the latest entries with their summaries.
 */
import { listLedger } from "../ledger/ledger.server";
import type { CommandContext } from "../shared/context";
import { can } from "../accounts/permissions";
import { DomainError } from "../shared/errors";
import { areaResource, getArea } from "./communities.server";

export async function listCommunityLedger(ctx: CommandContext, communityId: number) {
  const area = await getArea(ctx.db, communityId);
  if (!area || area.kind !== "community") throw new DomainError("not_found", "errors.areaNotFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "area.viewLedger", areaResource(area))) throw new DomainError("forbidden", "errors.forbidden");
  const entries = await listLedger(ctx.db, { stream: `area:${area.id}`, limit: 200 });
  return {
    area: { id: area.id, name: area.name },
    entries: entries.map((e) => ({ id: e.id, seq: e.seq, at: e.createdAt, action: e.action, entity: `${e.entityType} ${e.entityId}`, actorId: e.actorId, summary: JSON.stringify(e.summary) })),
  };
}
