import { index, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { areas } from "./communities";

/**
 * A venue code (场地码) the committee issues for a sign-up morning: residents who enter it sign up
 * past the per-address sign-up ceiling (everyone on the community centre's one Wi-Fi), for a few
 * hours and up to `maxUses` sign-ups. It is shown on a screen in the room, so it is kept as is.
 */
export const venueCodes = pgTable(
  "venue_codes",
  {
    id: serial("id").primaryKey(),
    communityId: integer("community_id")
      .notNull()
      .references(() => areas.id),
    code: text("code").notNull(),
    issuedBy: integer("issued_by")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    maxUses: integer("max_uses").notNull(),
    uses: integer("uses").notNull().default(0),
  },
  (t) => [uniqueIndex("venue_codes_code_idx").on(t.code), index("venue_codes_community_idx").on(t.communityId, t.createdAt)],
);
