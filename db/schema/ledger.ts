import { bigserial, index, integer, jsonb, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";

/**
 * The audit ledger (电子台账). Entries are hash-chained per stream (one stream per area or
 * per account), so appends in different communities never wait on each other. A trigger
 * (migration 0001) refuses UPDATE, DELETE and TRUNCATE.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    stream: text("stream").notNull(),
    seq: integer("seq").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
    actorId: integer("actor_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    summary: jsonb("summary").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
  },
  (t) => [unique("ledger_stream_seq").on(t.stream, t.seq), index("ledger_entity_idx").on(t.entityType, t.entityId)],
);
