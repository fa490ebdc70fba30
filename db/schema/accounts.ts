import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

/** A person's account. Signs in with a mainland phone number or a username (at least one). */
export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    phone: text("phone").unique(),
    username: text("username").unique(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    /** when the person proved they hold `phone` with an SMS code (sign-up or reset); null when never */
    phoneVerifiedAt: timestamp("phone_verified_at", { withTimezone: true }),
    /** 长辈模式 (issue 22): the person's own choice, which wins over the browser's cookie; null: never chosen. */
    elderMode: boolean("elder_mode"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("users_login_present", sql`${t.phone} is not null or ${t.username} is not null`)],
);

/** Server-side sessions: the cookie carries a random token, the table only its sha256. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Every sign-in and reset-code attempt: the throttle counts them, and attacks can be seen afterwards. */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    identifier: text("identifier").notNull(),
    ip: text("ip"),
    success: boolean("success").notNull(),
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("login_attempts_user_idx").on(t.userId, t.createdAt),
    // the sign-in throttle counts recent failures per account and per address
    index("login_attempts_identifier_idx").on(t.identifier, t.createdAt),
    index("login_attempts_ip_idx").on(t.ip, t.createdAt),
  ],
);
