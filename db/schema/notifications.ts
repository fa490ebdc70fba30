import { index, integer, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./accounts";

/** In-app notifications. `kind` names a message in the catalogue; `params` fill it. */
export const notifications = pgTable(
  "notifications",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    params: jsonb("params").notNull().$type<Record<string, string | number>>(),
    link: text("link"),
    /** the matter a notice is about, if any: per-matter mute and burst collapsing go by it */
    matterId: integer("matter_id"),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt), index("notifications_matter_idx").on(t.matterId, t.createdAt)],
);

/**
 * How a person wants to hear outside the app: per channel a level ("every", "important",
 * "digest", "none"), the e-mail address to write to (SMS goes to the account's phone), and the
 * language of those messages. No row: e-mail and SMS are off for them.
 */
export const notificationSettings = pgTable("notification_settings", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  email: text("email"),
  emailLevel: text("email_level").notNull().default("none"),
  smsLevel: text("sms_level").notNull().default("none"),
  locale: text("locale").notNull().default("zh-CN"),
  /** kinds the person marked urgent: their SMS goes out during quiet hours too */
  smsUrgentKinds: jsonb("sms_urgent_kinds").notNull().default([]).$type<string[]>(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The outbox: one row per notification and channel, written in the transaction that wrote the
 * notification. `key` (notification id and channel) is the idempotency key: a message is sent at
 * most once per key. status: pending → sending → sent, or dead after its last try (an admin can
 * put it back to pending); skipped when the channel is not configured on this server.
 */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: serial("id").primaryKey(),
    notificationId: integer("notification_id")
      .notNull()
      .references(() => notifications.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(),
    key: text("key").notNull().unique(),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** held until then (SMS quiet hours): the relay leaves it until this time */
    notBefore: timestamp("not_before", { withTimezone: true }),
    /** when the relay handed it to the job queue (null: not yet) */
    queuedAt: timestamp("queued_at", { withTimezone: true }),
    /** when a worker claimed it; a claim older than the lease may be taken again */
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    deadAt: timestamp("dead_at", { withTimezone: true }),
    /**
     * Rows sent together as one message: `burst:…` for updates to one matter within an hour
     * (sent when the hour is up), `digest:…` for a day's digest-level notices.
     */
    bundleKey: text("bundle_key"),
  },
  (t) => [
    index("notification_deliveries_relay_idx").on(t.status, t.queuedAt),
    index("notification_deliveries_dead_idx").on(t.status, t.deadAt),
    index("notification_deliveries_bundle_idx").on(t.bundleKey),
    index("notification_deliveries_notification_idx").on(t.notificationId),
  ],
);
