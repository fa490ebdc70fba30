import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, serial, text, timestamp, unique, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { bytea } from "./bytea";
import { areas } from "./communities";

export const sex = pgEnum("sex", ["male", "female"]);
export const signupStatus = pgEnum("signup_status", ["signed_up", "waitlisted", "cancelled"]);
export const attendanceMethod = pgEnum("attendance_method", ["code", "manual", "group", "ecard", "auto"]);
/**
 * The way a service record was made, as the national systems name them: the time code, entry by an
 * organizer one at a time or for a group, self-declaration confirmed by the team, an e-card scan,
 * or automatic closing of an open check-in.
 */
export const recordMethod = pgEnum("record_method", ["code", "manual", "group", "declared", "ecard", "auto"]);
export const activityStatus = pgEnum("activity_status", ["published", "cancelled"]);
export const serviceRecordStatus = pgEnum("service_record_status", ["proposed", "confirmed", "declined"]);
export const errorReportStatus = pgEnum("error_report_status", ["open", "corrected", "answered"]);

/**
 * A registered volunteer (志愿者注册登记). The ID number is never stored in clear: `idCipher`
 * is AES-256-GCM under VOLUNTEER_ID_KEY, `idHmac` finds duplicates, `idMasked` is what pages show.
 */
export const volunteers = pgTable(
  "volunteers",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id)
      .unique(),
    volunteerNumber: text("volunteer_number").unique(),
    realName: text("real_name").notNull(),
    sex: sex("sex").notNull(),
    birthDate: date("birth_date").notNull(),
    idCipher: text("id_cipher").notNull(),
    idHmac: text("id_hmac").notNull().unique(),
    idMasked: text("id_masked").notNull(),
    communityId: integer("community_id")
      .notNull()
      .references(() => areas.id),
    contact: text("contact").notNull(),
    skills: jsonb("skills").$type<string[]>().notNull(),
    serviceTypes: jsonb("service_types").$type<string[]>().notNull(),
    availability: text("availability").notNull().default(""),
    /** A Party member reporting to the community where they live (双报到). */
    partyMember: boolean("party_member").notNull().default(false),
    consentAt: timestamp("consent_at", { withTimezone: true }).notNull(),
    honourOptIn: boolean("honour_opt_in").notNull().default(false),
    /** Printed e-cards carry this number; revoking them moves it on (issue 21). */
    ecardGeneration: integer("ecard_generation").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("volunteers_community_idx").on(t.communityId)],
);

/**
 * Per-area volunteer rules; a community takes the nearest setting on its path (its own, its
 * town's, its county's), each field separately; unset fields fall back to the defaults in code.
 */
export const volunteerSettings = pgTable("volunteer_settings", {
  areaId: integer("area_id")
    .primaryKey()
    .references(() => areas.id),
  /** Service hours are rounded to this many minutes (default 30). */
  stepMinutes: integer("step_minutes"),
  /** Cumulative confirmed hours for one to five stars (default 100/300/600/1000/1500). */
  starHours: jsonb("star_hours").$type<number[]>(),
  /** Public holidays ("YYYY-MM-DD") that are not working days, and weekend days that are (调休). */
  holidays: jsonb("holidays").$type<string[]>(),
  extraWorkdays: jsonb("extra_workdays").$type<string[]>(),
  /** Minutes a record may exceed its activity's span (default 30). */
  capMarginMinutes: integer("cap_margin_minutes"),
  updatedBy: integer("updated_by").references(() => users.id),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
});

/** A volunteer service organisation (志愿服务组织) of a community or a town. */
export const volunteerTeams = pgTable(
  "volunteer_teams",
  {
    id: serial("id").primaryKey(),
    areaId: integer("area_id")
      .notNull()
      .references(() => areas.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("volunteer_teams_area_name").on(t.areaId, t.name)],
);

/** Organizers a committee member appointed to a team; they run its activities and certify its records. */
export const teamOrganizers = pgTable(
  "team_organizers",
  {
    teamId: integer("team_id")
      .notNull()
      .references(() => volunteerTeams.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    appointedBy: integer("appointed_by").references(() => users.id),
    appointedAt: timestamp("appointed_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_organizers_user_idx").on(t.userId)],
);

/** An activity a team publishes. `codeSecret` keys its rotating check-in code; it never leaves the server. */
export const volunteerActivities = pgTable(
  "volunteer_activities",
  {
    id: serial("id").primaryKey(),
    teamId: integer("team_id")
      .notNull()
      .references(() => volunteerTeams.id),
    title: text("title").notNull(),
    content: text("content").notNull(),
    place: text("place").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    capacity: integer("capacity").notNull(),
    skillsWanted: text("skills_wanted").notNull().default(""),
    personInCharge: text("person_in_charge").notNull(),
    status: activityStatus("status").notNull().default("published"),
    codeSecret: text("code_secret").notNull(),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("volunteer_activities_team_idx").on(t.teamId, t.startsAt),
    index("volunteer_activities_starts_idx").on(t.startsAt),
    check("volunteer_activities_span", sql`${t.endsAt} > ${t.startsAt}`),
    check("volunteer_activities_capacity", sql`${t.capacity} between 1 and 10000`),
  ],
);

/** Sign-ups: signed up within capacity, else waitlisted in order (position); cancelled ones stay. */
export const activitySignups = pgTable(
  "activity_signups",
  {
    id: serial("id").primaryKey(),
    activityId: integer("activity_id")
      .notNull()
      .references(() => volunteerActivities.id),
    volunteerId: integer("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    status: signupStatus("status").notNull(),
    waitlistPosition: integer("waitlist_position"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
  },
  (t) => [unique("activity_signups_once").on(t.activityId, t.volunteerId), index("activity_signups_status_idx").on(t.activityId, t.status, t.waitlistPosition)],
);

/** Check-in and check-out of one volunteer at one activity, by code or marked by an organizer. */
export const attendance = pgTable(
  "attendance",
  {
    id: serial("id").primaryKey(),
    activityId: integer("activity_id")
      .notNull()
      .references(() => volunteerActivities.id),
    volunteerId: integer("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    checkInAt: timestamp("check_in_at", { withTimezone: true }).notNull(),
    checkInMethod: attendanceMethod("check_in_method").notNull(),
    checkOutAt: timestamp("check_out_at", { withTimezone: true }),
    checkOutMethod: attendanceMethod("check_out_method"),
    markedBy: integer("marked_by").references(() => users.id),
    /** Recorded by the organizer without a sign-up (a walk-in). */
    walkIn: boolean("walk_in").notNull().default(false),
  },
  (t) => [unique("attendance_once").on(t.activityId, t.volunteerId)],
);

/**
 * A service record (志愿服务记录): proposed from attendance, confirmed by an organizer of the
 * team that ran the activity (谁组织谁记录). Hours are kept in minutes.
 */
export const serviceRecords = pgTable(
  "service_records",
  {
    id: serial("id").primaryKey(),
    activityId: integer("activity_id")
      .notNull()
      .references(() => volunteerActivities.id),
    volunteerId: integer("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    teamId: integer("team_id")
      .notNull()
      .references(() => volunteerTeams.id),
    serviceDate: date("service_date").notNull(),
    minutes: integer("minutes").notNull(),
    status: serviceRecordStatus("status").notNull().default("proposed"),
    method: recordMethod("method").notNull().default("manual"),
    /** The volunteer's own account of a self-declared record (自主申报). */
    note: text("note"),
    /** Why the team declined a self-declared record. */
    declineReason: text("decline_reason"),
    declinedBy: integer("declined_by").references(() => users.id),
    declinedAt: timestamp("declined_at", { withTimezone: true }),
    late: boolean("late").notNull().default(false),
    /** Calendar days after the 10-working-day deadline that the record was confirmed (0: on time). */
    lateDays: integer("late_days").notNull().default(0),
    evaluation: text("evaluation"),
    organiser: text("organiser").notNull(),
    personInCharge: text("person_in_charge").notNull(),
    confirmedBy: integer("confirmed_by").references(() => users.id),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("service_records_once").on(t.activityId, t.volunteerId),
    index("service_records_volunteer_idx").on(t.volunteerId, t.status),
    index("service_records_team_idx").on(t.teamId, t.status),
    check("service_records_minutes", sql`${t.minutes} between 0 and 1440`),
  ],
);

/** A volunteer's report that a record is wrong, and the organizer's answer. */
export const recordErrorReports = pgTable(
  "record_error_reports",
  {
    id: serial("id").primaryKey(),
    recordId: integer("record_id")
      .notNull()
      .references(() => serviceRecords.id),
    reporterId: integer("reporter_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason").notNull(),
    status: errorReportStatus("status").notNull().default("open"),
    answer: text("answer"),
    answeredBy: integer("answered_by").references(() => users.id),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("record_error_reports_record_idx").on(t.recordId)],
);

/** Every correction of a record keeps the old value, the new value and the reason. */
export const recordCorrections = pgTable(
  "record_corrections",
  {
    id: serial("id").primaryKey(),
    recordId: integer("record_id")
      .notNull()
      .references(() => serviceRecords.id),
    field: text("field").notNull(),
    oldValue: text("old_value"),
    newValue: text("new_value"),
    reason: text("reason").notNull(),
    reportId: integer("report_id").references(() => recordErrorReports.id),
    correctedBy: integer("corrected_by")
      .notNull()
      .references(() => users.id),
    correctedAt: timestamp("corrected_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("record_corrections_record_idx").on(t.recordId)],
);

/**
 * A certificate (志愿服务证明). `number` carries a keyed check part; `seal` is an HMAC over the
 * number and the certified content, so a forged number or an altered row fails verification.
 */
export const certificates = pgTable(
  "certificates",
  {
    id: serial("id").primaryKey(),
    number: text("number").notNull(),
    volunteerId: integer("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    periodFrom: date("period_from"),
    periodTo: date("period_to"),
    minutes: integer("minutes").notNull(),
    recordCount: integer("record_count").notNull(),
    summary: text("summary").notNull(),
    issuers: jsonb("issuers").$type<string[]>().notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
    seal: text("seal").notNull(),
  },
  (t) => [uniqueIndex("certificates_number").on(t.number), index("certificates_volunteer_idx").on(t.volunteerId)],
);

export const moveStatus = pgEnum("volunteer_move_status", ["pending", "accepted", "declined", "withdrawn"]);

/**
 * A volunteer's request to move to another community (issue 21). The new community's organizer or
 * committee accepts (the volunteer's community changes; records stay with the volunteer) or
 * declines with a reason. At most one pending request per volunteer.
 */
export const volunteerMoves = pgTable(
  "volunteer_moves",
  {
    id: serial("id").primaryKey(),
    volunteerId: integer("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    fromCommunityId: integer("from_community_id")
      .notNull()
      .references(() => areas.id),
    toCommunityId: integer("to_community_id")
      .notNull()
      .references(() => areas.id),
    reason: text("reason").notNull().default(""),
    status: moveStatus("status").notNull().default("pending"),
    declineReason: text("decline_reason"),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("volunteer_moves_to_idx").on(t.toCommunityId, t.status),
    uniqueIndex("volunteer_moves_one_pending").on(t.volunteerId).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * A signed record another installation issued, imported for a local volunteer after its Ed25519
 * signature was verified (docs/volunteer-record-format.md). `document` keeps the exact bytes as
 * text so it can be verified again; its hours are shown apart from local ones and never counted in
 * local totals or stars.
 */
export const importedRecords = pgTable(
  "imported_volunteer_records",
  {
    id: serial("id").primaryKey(),
    volunteerId: integer("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    issuerOrigin: text("issuer_origin").notNull(),
    keyId: text("key_id").notNull(),
    publicKey: text("public_key").notNull(),
    documentSha256: text("document_sha256").notNull(),
    document: text("document").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
    confirmedMinutes: integer("confirmed_minutes").notNull(),
    recordCount: integer("record_count").notNull(),
    importedBy: integer("imported_by")
      .notNull()
      .references(() => users.id),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("imported_volunteer_records_once").on(t.volunteerId, t.documentSha256), index("imported_volunteer_records_volunteer_idx").on(t.volunteerId)],
);

/** A training session a team held (志愿服务培训, recorded by the 办法 beside service). */
export const volunteerTrainings = pgTable(
  "volunteer_trainings",
  {
    id: serial("id").primaryKey(),
    teamId: integer("team_id")
      .notNull()
      .references(() => volunteerTeams.id),
    title: text("title").notNull(),
    heldOn: date("held_on").notNull(),
    minutes: integer("minutes").notNull(),
    recordedBy: integer("recorded_by")
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("volunteer_trainings_team_idx").on(t.teamId, t.heldOn), check("volunteer_trainings_minutes", sql`${t.minutes} between 1 and 1440`)],
);

/** Who attended a training session. */
export const trainingAttendees = pgTable(
  "volunteer_training_attendees",
  {
    trainingId: integer("training_id")
      .notNull()
      .references(() => volunteerTrainings.id),
    volunteerId: integer("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
  },
  (t) => [primaryKey({ columns: [t.trainingId, t.volunteerId] }), index("volunteer_training_attendees_volunteer_idx").on(t.volunteerId)],
);

/** An honour (表彰) a team gave a volunteer. */
export const volunteerHonours = pgTable(
  "volunteer_honours",
  {
    id: serial("id").primaryKey(),
    teamId: integer("team_id")
      .notNull()
      .references(() => volunteerTeams.id),
    volunteerId: integer("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    title: text("title").notNull(),
    citation: text("citation").notNull().default(""),
    givenOn: date("given_on").notNull(),
    givenBy: integer("given_by")
      .notNull()
      .references(() => users.id),
    givenAt: timestamp("given_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("volunteer_honours_volunteer_idx").on(t.volunteerId)],
);

/** An optional photo a volunteer sends with a self-declaration (JPEG, PNG or WebP, checked by its bytes, at most 2 MB); a new declaration of the same record replaces it. */
export const declarationPhotos = pgTable(
  "declaration_photos",
  {
    recordId: integer("record_id")
      .primaryKey()
      .references(() => serviceRecords.id),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    data: bytea("data").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [check("declaration_photos_size", sql`${t.bytes} between 1 and 2097152`)],
);
