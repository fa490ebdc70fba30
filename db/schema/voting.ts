import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { matters } from "./matters";

export const voteMethod = pgEnum("vote_method", ["yes_no", "single", "approval"]);
export const voteElectorate = pgEnum("vote_electorate", ["panel", "residents", "households", "representatives"]);
/** scheduled: set up with a later opening time, nothing fixed yet; cancelled: a scheduled vote called off before it opened. */
export const voteState = pgEnum("vote_state", ["open", "closed", "scheduled", "cancelled"]);
export const ballotChannel = pgEnum("ballot_channel", ["online", "paper"]);

/** A vote on a matter: question, method, electorate, the rule (preset or custom), open or secret. */
export const votes = pgTable(
  "votes",
  {
    id: serial("id").primaryKey(),
    matterId: integer("matter_id")
      .notNull()
      .references(() => matters.id),
    question: text("question").notNull(),
    method: voteMethod("method").notNull(),
    /** [{ id, label }]; yes/no votes use the fixed ids yes, no, abstain */
    options: jsonb("options").notNull().$type<{ id: string; label: string }[]>(),
    maxChoices: integer("max_choices").notNull().default(1),
    electorate: voteElectorate("electorate").notNull(),
    preset: text("preset").notNull(),
    quorumNum: integer("quorum_num").notNull(),
    quorumDen: integer("quorum_den").notNull(),
    quorumStrict: boolean("quorum_strict").notNull(),
    passNum: integer("pass_num").notNull(),
    passDen: integer("pass_den").notNull(),
    passStrict: boolean("pass_strict").notNull(),
    passBase: text("pass_base").notNull(),
    secret: boolean("secret").notNull(),
    state: voteState("state").notNull().default("open"),
    /** eligible voters, fixed when the vote opens */
    electorateSize: integer("electorate_size").notNull(),
    /**
     * The number a statutory quorum counts against, fixed at opening from the community register in
     * effect that day (issue 19); null for panel, representatives and custom rules (the elector list).
     */
    quorumBase: jsonb("quorum_base").$type<{ count: number; kind: "adults" | "households"; source: "census" | "household_register" | "other" | "accounts"; asOf: string; entryId: number }>(),
    closesAt: timestamp("closes_at", { withTimezone: true }),
    /** the opening time of a scheduled vote (the scheduler opens it then); null for one opened at once */
    opensAt: timestamp("opens_at", { withTimezone: true }),
    /** when it opened; for a scheduled vote, the planned opening until then */
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    result: jsonb("result"),
    /** sha256 over the published ballot list, written at close (the ledger seals it) */
    ballotsDigest: text("ballots_digest"),
    createdBy: integer("created_by").references(() => users.id),
  },
  (t) => [index("votes_matter_idx").on(t.matterId), index("votes_closing_idx").on(t.state, t.closesAt), index("votes_opening_idx").on(t.state, t.opensAt)],
);

/** Who may vote: one row per eligible person or household, fixed at opening. */
export const voteElectors = pgTable(
  "vote_electors",
  {
    voteId: integer("vote_id")
      .notNull()
      .references(() => votes.id),
    voterKey: text("voter_key").notNull(),
    /** the person, or for a household the people who may cast its one vote */
    userIds: jsonb("user_ids").notNull().$type<number[]>(),
    label: text("label").notNull(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.voterKey] }), index("vote_electors_users_idx").using("gin", t.userIds)],
);

/**
 * Who has voted, and how. The primary key is "one ballot per voter per vote"; the channel keeps
 * online and paper apart. For a secret vote, while it is open, the row also holds the keyed hash
 * of the voter's receipt (only that receipt changes this voter's ballot) and the ballot sealed
 * under the server's key; both are erased when the vote closes and the ballots are published
 * (see docs/decisions/2026-12-03-secret-ballot-unlinkability.md). No receipt and no choice in clear.
 */
export const voteParticipation = pgTable(
  "vote_participation",
  {
    voteId: integer("vote_id")
      .notNull()
      .references(() => votes.id),
    voterKey: text("voter_key").notNull(),
    channel: ballotChannel("channel").notNull(),
    enteredBy: integer("entered_by").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** secret votes, online, while open: HMAC (BALLOT_KEY) of the receipt */
    receiptMac: text("receipt_mac"),
    /** secret votes while open: the ballot sealed with AES-256-GCM (BALLOT_KEY); null once published */
    sealed: text("sealed"),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.voterKey] }), uniqueIndex("vote_participation_receipt_idx").on(t.voteId, t.receiptMac).where(sql`receipt_mac is not null`)],
);

/**
 * The ballots. Open: written as cast, with the voter key, published with the choice. Secret:
 * written only when the vote closes, all in one transaction, in the order of the receipt hash,
 * keyed by that hash, with no voter, no channel and no time, so no column, transaction id,
 * physical order or timestamp joins a name to a choice.
 */
export const ballots = pgTable(
  "ballots",
  {
    voteId: integer("vote_id")
      .notNull()
      .references(() => votes.id),
    receiptHash: text("receipt_hash").notNull(),
    voterKey: text("voter_key"),
    choices: jsonb("choices").notNull().$type<string[]>(),
    /** online or paper; null on a secret ballot (a lone paper ballot would name its voter) */
    channel: ballotChannel("channel"),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.receiptHash] }), index("ballots_voter_idx").on(t.voteId, t.voterKey)],
);

/**
 * Printed paper ballots (issue 22): each sheet carries a number the paper-ballot entry checks, so a
 * sheet is entered once. Only whether it was entered is kept (no time, no elector, no choice).
 */
export const paperBallotNumbers = pgTable(
  "paper_ballot_numbers",
  {
    voteId: integer("vote_id")
      .notNull()
      .references(() => votes.id),
    number: text("number").notNull(),
    printedBy: integer("printed_by").references(() => users.id),
    printedAt: timestamp("printed_at", { withTimezone: true }).notNull(),
    entered: boolean("entered").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.number] })],
);
