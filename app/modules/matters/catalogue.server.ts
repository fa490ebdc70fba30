/** The guiding catalogue (协商指导性目录): the categories a community's matters are filed under. */
import { asc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../db/client";
import { sqlState } from "../../../db/client";
import { areas, categories } from "../../../db/schema";
import { can } from "../accounts/permissions";
import { appendLedger } from "../ledger/ledger.server";
import { inTransaction, type CommandContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import type { CategorySchema } from "./schemas";

/** Categories a community may use: the county's, its town's and its own (path ancestors). */
export async function listCategories(db: Db, areaPath: string) {
  return db
    .select({ id: categories.id, name: categories.name, nameEn: categories.nameEn, areaId: categories.areaId, areaName: areas.name, areaPath: areas.path })
    .from(categories)
    .innerJoin(areas, eq(areas.id, categories.areaId))
    .where(sql`${areaPath} like ${areas.path} || '%'`)
    .orderBy(asc(areas.path), asc(categories.id));
}

/** The county keeps the catalogue; towns and community committees add local categories. */
export async function createCategory(ctx: CommandContext, areaId: number, input: z.output<typeof CategorySchema>) {
  const [area] = await ctx.db.select().from(areas).where(eq(areas.id, areaId));
  if (!area) throw new DomainError("not_found", "errors.areaNotFound");
  if (!ctx.actor) throw new DomainError("unauthenticated", "errors.unauthenticated");
  if (!can(ctx.actor, "category.create", { type: "area", id: area.id, path: area.path, kind: area.kind })) throw new DomainError("forbidden", "errors.forbidden");
  const actorId = ctx.actor.id;
  const now = ctx.clock.now();
  try {
    return await inTransaction(ctx, async (tx) => {
      const [c] = await tx
        .insert(categories)
        .values({ areaId, name: input.name, nameEn: input.nameEn ?? null, createdBy: actorId, createdAt: now })
        .returning();
      await appendLedger(tx, { stream: `area:${areaId}`, actorId, action: "category.created", entityType: "category", entityId: c.id, summary: { after: { name: input.name } }, at: now });
      return c;
    });
  } catch (e) {
    if (sqlState(e).code === "23505") throw new DomainError("conflict", "categories.errors.exists", {}, "name");
    throw e;
  }
}

/** A matter is filed under a category its community may use. */
export async function requireCategory(db: Db, communityPath: string, categoryId: number) {
  const ok = (await listCategories(db, communityPath)).some((c) => c.id === categoryId);
  if (!ok) throw new DomainError("validation", "matters.errors.categoryUnknown", {}, "categoryId");
}
