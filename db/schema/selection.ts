import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { matters } from "./matters";

/** One attribute the committee asks registrants (e.g. building, age band) and its allowed values. */
export interface PlanAttribute {
  key: string;
  label: string;
  values: string[];
}
/** Seats on the lottery part of the panel a value must get: at least min, at most max. */
export interface PlanQuota {
  category: string;
  value: string;
  min: number;
  max: number;
}

export const panelPlanStatus = pgEnum("panel_plan_status", ["draft", "open", "computed", "drawn"]);
export const fixedSeatReason = pgEnum("fixed_seat_reason", ["proposer", "affected", "owners_committee", "property_company", "deputy", "expert", "other"]);
export const panelMemberSource = pgEnum("panel_member_source", ["fixed", "lottery", "reserve"]);
export const panelMemberStatus = pgEnum("panel_member_status", ["invited", "accepted", "declined", "expired"]);

/** One computation of the distribution, run on the job queue (app/modules/matters/selection/compute.server.ts). */
export interface SolveRun {
  status: "queued" | "running" | "done" | "cancelled" | "failed";
  /** the committee member who asked for it, and the time budget they gave */
  requestedBy: number;
  budgetSeconds: number;
  requestedAt: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  /** the last progress the solver reported */
  progress?: { iteration: number; min: number; dualBound: number; ms: number; leximinRound?: number | null } | null;
  /** a committee member asked to stop it */
  cancelRequested?: boolean;
  /** a message key, when it failed */
  error?: string | null;
}

/**
 * The panel plan of a matter in `selecting`: size, strata and quotas, household rule, deadline;
 * then the computed distribution, the commitment to the committee's secret, and the draw.
 */
export const panelPlans = pgTable("panel_plans", {
  matterId: integer("matter_id")
    .primaryKey()
    .references(() => matters.id),
  panelSize: integer("panel_size").notNull(),
  onePerHousehold: boolean("one_per_household").notNull().default(true),
  registrationDeadline: timestamp("registration_deadline", { withTimezone: true }).notNull(),
  attributes: jsonb("attributes").$type<PlanAttribute[]>().notNull(),
  quotas: jsonb("quotas").$type<PlanQuota[]>().notNull(),
  status: panelPlanStatus("status").notNull().default("draft"),
  /** The pool as published before the draw (pseudonymous ids, attributes, household tags). */
  poolDigest: text("pool_digest"),
  /** The distribution over panels (canonical JSON) and its digest, published before the draw. */
  distribution: jsonb("distribution"),
  distributionDigest: text("distribution_digest"),
  solverReport: jsonb("solver_report"),
  /** The latest solve asked for (queued, running with its live progress, done, cancelled or failed); it runs as a job. */
  solveRun: jsonb("solve_run").$type<SolveRun>(),
  /** SHA-256 of the committee's secret, published before the draw; the secret after it. */
  commitment: text("commitment"),
  secret: text("secret"),
  secretRevealed: boolean("secret_revealed").notNull().default(false),
  entropy: text("entropy"),
  seed: text("seed"),
  drawnAt: timestamp("drawn_at", { withTimezone: true }),
  responseDays: integer("response_days").notNull().default(3),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Named invitees who sit on the panel without the lottery, with the reason. */
export const panelFixedSeats = pgTable(
  "panel_fixed_seats",
  {
    id: serial("id").primaryKey(),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    userId: integer("user_id").references(() => users.id),
    name: text("name").notNull(),
    reason: fixedSeatReason("reason").notNull(),
    note: text("note"),
  },
  (t) => [index("panel_fixed_seats_matter_idx").on(t.matterId)],
);

/** Registrations of interest (报名): the answers to the plan's attributes and the household. */
export const panelRegistrations = pgTable(
  "panel_registrations",
  {
    id: serial("id").primaryKey(),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    /** null for a registration collected on paper and uploaded by the committee */
    userId: integer("user_id").references(() => users.id),
    /** the committee's own reference for a paper registration (its row on the paper list) */
    paperRef: text("paper_ref"),
    /** Pseudonymous id shown in the published pool, e.g. "P-7f3a9c". */
    pseudonym: text("pseudonym").notNull(),
    household: text("household").notNull(),
    answers: jsonb("answers").$type<Record<string, string>>().notNull(),
    registeredAt: timestamp("registered_at", { withTimezone: true }).notNull(),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("panel_registrations_once").on(t.matterId, t.userId),
    uniqueIndex("panel_registrations_pseudonym").on(t.matterId, t.pseudonym),
    uniqueIndex("panel_registrations_paper").on(t.matterId, t.paperRef),
    check("panel_registrations_who", sql`${t.userId} is not null or ${t.paperRef} is not null`),
  ],
);

/**
 * The panel: fixed seats and drawn members, each invited and answering by a deadline. A seat
 * left by a decline or silence is refilled from the reserve order (source "reserve").
 * Room and voting ask `accepted` members with a user id.
 */
export const panelMembers = pgTable(
  "panel_members",
  {
    id: serial("id").primaryKey(),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    userId: integer("user_id").references(() => users.id),
    fixedSeatId: integer("fixed_seat_id").references(() => panelFixedSeats.id),
    registrationId: integer("registration_id").references(() => panelRegistrations.id),
    source: panelMemberSource("source").notNull(),
    status: panelMemberStatus("status").notNull().default("invited"),
    respondBy: timestamp("respond_by", { withTimezone: true }).notNull(),
    invitedAt: timestamp("invited_at", { withTimezone: true }).notNull(),
    respondedAt: timestamp("responded_at", { withTimezone: true }),
    replacesId: integer("replaces_id"),
  },
  (t) => [index("panel_members_matter_idx").on(t.matterId, t.status), index("panel_members_user_idx").on(t.userId)],
);
