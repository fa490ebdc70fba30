import { sql } from "drizzle-orm";
import {
  boolean,
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { areas, publicNames } from "./communities";

/**
 * The matter's states, spelled here because db/ imports nothing from app/; the one list the app
 * reads is app/modules/matters/states.ts, and states.test.ts fails if the two ever differ.
 */
export const matterState = pgEnum("matter_state", [
  "draft",
  "collecting",
  "under_review",
  "accepted",
  "rejected",
  "merged",
  "withdrawn",
  "selecting",
  "scheduled",
  "deliberating",
  "voting",
  "decided",
  "no_consensus",
  "implementing",
  "completed",
  "annulled",
]);
export const consultationForm = pgEnum("consultation_form", ["panel", "meeting", "household_vote", "representatives"]);

/** The guiding catalogue (协商指导性目录): county categories are inherited below; a community may add its own. */
export const categories = pgTable(
  "categories",
  {
    id: serial("id").primaryKey(),
    areaId: integer("area_id")
      .notNull()
      .references(() => areas.id),
    name: text("name").notNull(),
    nameEn: text("name_en"),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("categories_area_name").on(t.areaId, t.name)],
);

/** One matter (议题): one object, one state machine, one public page, one timeline. */
export const matters = pgTable(
  "matters",
  {
    id: serial("id").primaryKey(),
    communityId: integer("community_id")
      .notNull()
      .references(() => areas.id),
    proposerId: integer("proposer_id")
      .notNull()
      .references(() => users.id),
    state: matterState("state").notNull().default("draft"),
    title: text("title").notNull(),
    description: text("description").notNull(),
    categoryId: integer("category_id")
      .notNull()
      .references(() => categories.id),
    affectedArea: text("affected_area").notNull(),
    desiredOutcome: text("desired_outcome").notNull(),
    /** Co-signs needed, fixed when co-signing opens. */
    threshold: integer("threshold"),
    cosignCount: integer("cosign_count").notNull().default(0),
    form: consultationForm("form"),
    targetDate: date("target_date"),
    publicReason: text("public_reason"),
    mergedIntoId: integer("merged_into_id"),
    scheduledFor: timestamp("scheduled_for", { withTimezone: true }),
    materialsPublishedAt: timestamp("materials_published_at", { withTimezone: true }),
    /** 事先告知 days, fixed at the first publication of materials (issue 19); null before: the community's setting applies. */
    fixedNoticeDays: integer("notice_days"),
    /** The community's name-masking rule, fixed when the matter is submitted (published to the community). */
    fixedPublicNames: publicNames("public_names"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("matters_community_state_idx").on(t.communityId, t.state, t.id),
    // the public list: newest first within a community, whatever the state filter
    index("matters_community_id_idx").on(t.communityId, t.id),
    index("matters_proposer_idx").on(t.proposerId),
    check("matters_cosign_count_nonneg", sql`${t.cosignCount} >= 0`),
  ],
);

/** One co-sign per resident per matter, enforced by the key. */
export const cosigns = pgTable(
  "cosigns",
  {
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.matterId, t.userId] }), index("cosigns_user_idx").on(t.userId)],
);

export const follows = pgTable(
  "matter_follows",
  {
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    /** muted: the follower still sees the matter's notices in the app, but no e-mail or SMS about it */
    muted: boolean("muted").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.matterId, t.userId] }), index("matter_follows_user_idx").on(t.userId)],
);

/** The public timeline: every transition and public act, with who, when and why. */
export const matterEvents = pgTable(
  "matter_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    kind: text("kind").notNull(),
    fromState: matterState("from_state"),
    toState: matterState("to_state"),
    actorId: integer("actor_id").references(() => users.id),
    reason: text("reason"),
    params: jsonb("params").notNull().$type<Record<string, string | number | null>>().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("matter_events_matter_idx").on(t.matterId, t.id)],
);

/** Advance-notice materials (事先告知) the committee publishes before deliberation. */
export const matterMaterials = pgTable(
  "matter_materials",
  {
    id: serial("id").primaryKey(),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    url: text("url"),
    createdBy: integer("created_by").references(() => users.id),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("matter_materials_matter_idx").on(t.matterId)],
);
