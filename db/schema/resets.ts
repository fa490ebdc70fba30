import { index, integer, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { areas } from "./communities";

/**
 * One-time password reset codes a committee member issues in person to a resident of their
 * community. Only the code's sha256 is kept; a code is live until used, superseded by a newer
 * one, or 24 hours old.
 */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    issuedBy: integer("issued_by")
      .notNull()
      .references(() => users.id),
    communityId: integer("community_id")
      .notNull()
      .references(() => areas.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("password_resets_user_idx").on(t.userId, t.createdAt)],
);

/**
 * Six-digit codes sent by SMS to a phone (purpose "reset": a forgotten password; "signup": a number
 * being signed up). Only the hash is kept. A code is good for 10 minutes and 5 tries; a newer code for the same phone and purpose
 * supersedes it. `ip` and `created_at` bound how many codes a number and an address may ask for.
 */
export const phoneCodes = pgTable(
  "phone_codes",
  {
    id: serial("id").primaryKey(),
    purpose: text("purpose").notNull(),
    phone: text("phone").notNull(),
    /** the account the number belongs to, if any (a code for an unknown number is recorded, never sent) */
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    /** what a "signup" code stands for until it is used: the name and the password's hash, nothing created yet */
    payload: jsonb("payload"),
    ip: text("ip"),
    tries: integer("tries").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("phone_codes_phone_idx").on(t.phone, t.purpose, t.createdAt), index("phone_codes_ip_idx").on(t.ip, t.createdAt)],
);
