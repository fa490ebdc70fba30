import { date, index, integer, pgEnum, pgTable, serial, text, timestamp, unique } from "drizzle-orm/pg-core";
import { users } from "./accounts";

export const areaKind = pgEnum("area_kind", ["county", "town", "community"]);
export const communityType = pgEnum("community_type", ["urban", "rural"]);
export const membershipStatus = pgEnum("membership_status", ["pending", "verified", "declined"]);
export const publicNames = pgEnum("public_names", ["real", "masked"]);
export const registerSource = pgEnum("register_source", ["census", "household_register", "other"]);
export const roleName = pgEnum("role_name", ["committee", "organizer", "town_admin", "county_admin", "supervisor"]);

/**
 * County → town → community in one tree. `path` is the chain of ids ("/1/4/9/"), so
 * "is this inside that subtree" is a prefix test with no recursive query.
 */
export const areas = pgTable(
  "areas",
  {
    id: serial("id").primaryKey(),
    parentId: integer("parent_id"),
    kind: areaKind("kind").notNull(),
    communityType: communityType("community_type"),
    name: text("name").notNull(),
    path: text("path").notNull().default(""),
    residents: integer("residents").notNull().default(0),
    households: integer("households").notNull().default(0),
    /** Co-signs a matter needs: a number, or (when set) a share of households in basis points. */
    cosignThreshold: integer("cosign_threshold").notNull().default(10),
    cosignShareBp: integer("cosign_share_bp"),
    /** Days between publishing materials and the earliest deliberation (事先告知). */
    noticeDays: integer("notice_days").notNull().default(3),
    /** Days the committee has to answer a supervision committee's objection in public (issue 19). */
    objectionAnswerDays: integer("objection_answer_days").notNull().default(10),
    /** How proposers' names appear in public: as written, or masked ("王**"). */
    publicNames: publicNames("public_names").notNull().default("masked"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("areas_parent_idx").on(t.parentId), index("areas_path_idx").on(t.path)],
);

/** A user's request to be a resident of a community, and the committee's answer. */
export const memberships = pgTable(
  "memberships",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    communityId: integer("community_id")
      .notNull()
      .references(() => areas.id),
    status: membershipStatus("status").notNull().default("pending"),
    address: text("address").notNull(),
    /** Year of birth, from the verified address form (or the volunteer ID): whether the resident is 18+ is checked on it. */
    birthYear: integer("birth_year"),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    declineReason: text("decline_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("memberships_user_community").on(t.userId, t.communityId), index("memberships_community_idx").on(t.communityId, t.status)],
);

/** Staff roles, each scoped to an area and everything below it. */
export const roleGrants = pgTable(
  "role_grants",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleName("role").notNull(),
    areaId: integer("area_id")
      .notNull()
      .references(() => areas.id),
    grantedBy: integer("granted_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("role_grants_unique").on(t.userId, t.role, t.areaId)],
);

/**
 * The roster of a community's representatives (居民代表 / 村民代表), each with a term: who speaks and
 * votes in a 代表会议. A representative is on it on a Beijing day between the term's first and last day.
 */
export const communityRepresentatives = pgTable(
  "community_representatives",
  {
    id: serial("id").primaryKey(),
    communityId: integer("community_id")
      .notNull()
      .references(() => areas.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    termStart: date("term_start").notNull(),
    termEnd: date("term_end"),
    addedBy: integer("added_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("community_representatives_idx").on(t.communityId, t.userId)],
);

/**
 * The community register (issue 19): registered residents, adults (18+) and households as numbers,
 * each entry with the day it speaks for and its source (census, household register). Entries are
 * never changed: a new count is a new row, and the ledger keeps who recorded it. Statutory quorums
 * count against the entry in effect on a vote's opening day (the latest `asOf` not after it).
 */
export const communityRegister = pgTable(
  "community_register",
  {
    id: serial("id").primaryKey(),
    communityId: integer("community_id")
      .notNull()
      .references(() => areas.id),
    residents: integer("residents").notNull(),
    adults: integer("adults").notNull(),
    households: integer("households").notNull(),
    asOf: date("as_of").notNull(),
    source: registerSource("source").notNull(),
    note: text("note"),
    recordedBy: integer("recorded_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("community_register_idx").on(t.communityId, t.asOf, t.id)],
);
