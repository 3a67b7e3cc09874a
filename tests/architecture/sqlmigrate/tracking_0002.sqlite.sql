BEGIN;
--
-- Create model ExportJob
--
CREATE TABLE "tracking_exportjob" ("id" char(32) NOT NULL PRIMARY KEY, "report" varchar(32) NOT NULL, "params" text NOT NULL CHECK ((JSON_VALID("params") OR "params" IS NULL)), "format" varchar(8) NOT NULL, "state" varchar(16) NOT NULL, "rows_done" integer unsigned NOT NULL CHECK ("rows_done" >= 0), "rows_total" integer unsigned NOT NULL CHECK ("rows_total" >= 0), "file" varchar(100) NOT NULL, "filename" varchar(200) NOT NULL, "error" text NOT NULL, "created_at" datetime NOT NULL, "finished_at" datetime NULL, "user_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model OfflineSession
--
CREATE TABLE "tracking_offlinesession" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(200) NOT NULL, "kind" varchar(16) NOT NULL, "starts_at" datetime NOT NULL, "ends_at" datetime NOT NULL, "hours" decimal NOT NULL, "place" varchar(200) NOT NULL, "organiser" varchar(200) NOT NULL, "audience" varchar(16) NOT NULL, "created_at" datetime NOT NULL, "created_by_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "district_id" bigint NULL REFERENCES "accounts_district" ("id") DEFERRABLE INITIALLY DEFERRED, "school_id" bigint NULL REFERENCES "accounts_school" ("id") DEFERRABLE INITIALLY DEFERRED, "training_year_id" bigint NOT NULL REFERENCES "accounts_trainingyear" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model ImportBatch
--
CREATE TABLE "tracking_importbatch" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "filename" varchar(255) NOT NULL, "sha256" varchar(64) NOT NULL, "rows" text NOT NULL CHECK ((JSON_VALID("rows") OR "rows" IS NULL)), "created_at" datetime NOT NULL, "confirmed_at" datetime NULL, "imported_count" integer unsigned NOT NULL CHECK ("imported_count" >= 0), "uploaded_by_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "session_id" bigint NOT NULL REFERENCES "tracking_offlinesession" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model Attendance
--
CREATE TABLE "tracking_attendance" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "hours" decimal NOT NULL, "method" varchar(16) NOT NULL, "recorded_at" datetime NOT NULL, "recorded_by_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "teacher_id" bigint NOT NULL REFERENCES "accounts_teacherprofile" ("id") DEFERRABLE INITIALLY DEFERRED, "batch_id" bigint NULL REFERENCES "tracking_importbatch" ("id") DEFERRABLE INITIALLY DEFERRED, "session_id" bigint NOT NULL REFERENCES "tracking_offlinesession" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model ParentLecture
--
CREATE TABLE "tracking_parentlecture" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "date" date NOT NULL, "topic" varchar(200) NOT NULL, "participants" integer unsigned NULL CHECK ("participants" >= 0), "created_at" datetime NOT NULL, "voided_at" datetime NULL, "void_reason" varchar(200) NOT NULL, "created_by_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "school_id" bigint NOT NULL REFERENCES "accounts_school" ("id") DEFERRABLE INITIALLY DEFERRED, "voided_by_id" bigint NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model TeacherYearTotal
--
CREATE TABLE "tracking_teacheryeartotal" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "hours" decimal NOT NULL, "sessions" integer unsigned NOT NULL CHECK ("sessions" >= 0), "entries" integer unsigned NOT NULL CHECK ("entries" >= 0), "teacher_id" bigint NOT NULL REFERENCES "accounts_teacherprofile" ("id") DEFERRABLE INITIALLY DEFERRED, "training_year_id" bigint NOT NULL REFERENCES "accounts_trainingyear" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model TermBreak
--
CREATE TABLE "tracking_termbreak" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(64) NOT NULL, "start_date" date NOT NULL, "end_date" date NOT NULL, "term_id" bigint NOT NULL REFERENCES "accounts_term" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model AuditEvent
--
CREATE TABLE "tracking_auditevent" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "action" varchar(64) NOT NULL, "object_type" varchar(64) NOT NULL, "object_id" varchar(64) NOT NULL, "summary" varchar(255) NOT NULL, "details" text NOT NULL CHECK ((JSON_VALID("details") OR "details" IS NULL)), "created_at" datetime NOT NULL, "actor_id" bigint NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "district_id" bigint NULL REFERENCES "accounts_district" ("id") DEFERRABLE INITIALLY DEFERRED, "school_id" bigint NULL REFERENCES "accounts_school" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model ClassActivity
--
CREATE TABLE "tracking_classactivity" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "kind" varchar(20) NOT NULL, "date" date NOT NULL, "periods" smallint unsigned NOT NULL CHECK ("periods" >= 0), "topic" varchar(200) NOT NULL, "lesson_plan_title" varchar(200) NOT NULL, "lesson_plan_url" varchar(200) NOT NULL, "created_at" datetime NOT NULL, "client_token" char(32) NULL UNIQUE, "voided_at" datetime NULL, "void_reason" varchar(200) NOT NULL, "created_by_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "school_class_id" bigint NOT NULL REFERENCES "accounts_schoolclass" ("id") DEFERRABLE INITIALLY DEFERRED, "teacher_id" bigint NULL REFERENCES "accounts_teacherprofile" ("id") DEFERRABLE INITIALLY DEFERRED, "voided_by_id" bigint NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model DeliveryChange
--
CREATE TABLE "tracking_deliverychange" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "at" datetime NOT NULL, "action" varchar(8) NOT NULL, "object_type" varchar(32) NOT NULL, "object_id" bigint unsigned NOT NULL CHECK ("object_id" >= 0), "before" text NULL CHECK ((JSON_VALID("before") OR "before" IS NULL)), "after" text NULL CHECK ((JSON_VALID("after") OR "after" IS NULL)), "actor_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "school_id" bigint NOT NULL REFERENCES "accounts_school" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model ExternalClaim
--
CREATE TABLE "tracking_externalclaim" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(200) NOT NULL, "organiser" varchar(200) NOT NULL, "activity_date" date NOT NULL, "hours" decimal NOT NULL, "file" varchar(255) NOT NULL, "content_type" varchar(64) NOT NULL, "status" varchar(16) NOT NULL, "decided_at" datetime NULL, "decision_reason" text NOT NULL, "created_at" datetime NOT NULL, "decided_by_id" bigint NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "ledger_entry_id" bigint NULL UNIQUE REFERENCES "tracking_ledgerentry" ("id") DEFERRABLE INITIALLY DEFERRED, "teacher_id" bigint NOT NULL REFERENCES "accounts_teacherprofile" ("id") DEFERRABLE INITIALLY DEFERRED, "training_year_id" bigint NOT NULL REFERENCES "accounts_trainingyear" ("id") DEFERRABLE INITIALLY DEFERRED);
--
-- Create model FamilyVisitTally
--
CREATE TABLE "tracking_familyvisittally" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "families_visited" integer unsigned NOT NULL CHECK ("families_visited" >= 0), "updated_at" datetime NOT NULL, "school_class_id" bigint NOT NULL REFERENCES "accounts_schoolclass" ("id") DEFERRABLE INITIALLY DEFERRED, "term_id" bigint NOT NULL REFERENCES "accounts_term" ("id") DEFERRABLE INITIALLY DEFERRED, "updated_by_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "unique_visit_tally_per_term" UNIQUE ("school_class_id", "term_id"));
--
-- Create model KeyGradeConfig
--
CREATE TABLE "tracking_keygradeconfig" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "school_type" varchar(16) NOT NULL, "grades" text NOT NULL CHECK ((JSON_VALID("grades") OR "grades" IS NULL)), "academic_year_id" bigint NOT NULL REFERENCES "accounts_academicyear" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "unique_key_grades_per_year_type" UNIQUE ("academic_year_id", "school_type"));
--
-- Create model Notification
--
CREATE TABLE "tracking_notification" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "kind" varchar(32) NOT NULL, "period" varchar(32) NOT NULL, "title" varchar(200) NOT NULL, "message" text NOT NULL, "url" varchar(300) NOT NULL, "created_at" datetime NOT NULL, "read_at" datetime NULL, "emailed_at" datetime NULL, "user_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "notification_once_per_period" UNIQUE ("user_id", "kind", "period"));
--
-- Create constraint offline_session_audience_matches_level on model offlinesession
--
CREATE TABLE "new__tracking_offlinesession" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(200) NOT NULL, "kind" varchar(16) NOT NULL, "starts_at" datetime NOT NULL, "ends_at" datetime NOT NULL, "hours" decimal NOT NULL, "place" varchar(200) NOT NULL, "organiser" varchar(200) NOT NULL, "audience" varchar(16) NOT NULL, "created_at" datetime NOT NULL, "created_by_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "district_id" bigint NULL REFERENCES "accounts_district" ("id") DEFERRABLE INITIALLY DEFERRED, "school_id" bigint NULL REFERENCES "accounts_school" ("id") DEFERRABLE INITIALLY DEFERRED, "training_year_id" bigint NOT NULL REFERENCES "accounts_trainingyear" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "offline_session_audience_matches_level" CHECK ((("audience" = 'city' AND "district_id" IS NULL AND "school_id" IS NULL) OR ("audience" = 'district' AND "district_id" IS NOT NULL AND "school_id" IS NULL) OR ("audience" = 'school' AND "district_id" IS NULL AND "school_id" IS NOT NULL))));
INSERT INTO "new__tracking_offlinesession" ("id", "title", "kind", "starts_at", "ends_at", "hours", "place", "organiser", "audience", "created_at", "created_by_id", "district_id", "school_id", "training_year_id") SELECT "id", "title", "kind", "starts_at", "ends_at", "hours", "place", "organiser", "audience", "created_at", "created_by_id", "district_id", "school_id", "training_year_id" FROM "tracking_offlinesession";
DROP TABLE "tracking_offlinesession";
ALTER TABLE "new__tracking_offlinesession" RENAME TO "tracking_offlinesession";
CREATE INDEX "tracking_exportjob_user_id_994d1277" ON "tracking_exportjob" ("user_id");
CREATE INDEX "tracking_importbatch_uploaded_by_id_eb4d4493" ON "tracking_importbatch" ("uploaded_by_id");
CREATE INDEX "tracking_importbatch_session_id_4de01e58" ON "tracking_importbatch" ("session_id");
CREATE INDEX "tracking_attendance_recorded_by_id_18f7079f" ON "tracking_attendance" ("recorded_by_id");
CREATE INDEX "tracking_attendance_teacher_id_80295c69" ON "tracking_attendance" ("teacher_id");
CREATE INDEX "tracking_attendance_batch_id_77d45700" ON "tracking_attendance" ("batch_id");
CREATE INDEX "tracking_attendance_session_id_5d43669f" ON "tracking_attendance" ("session_id");
CREATE INDEX "tracking_parentlecture_created_by_id_2c4cabcf" ON "tracking_parentlecture" ("created_by_id");
CREATE INDEX "tracking_parentlecture_school_id_a7a79cd6" ON "tracking_parentlecture" ("school_id");
CREATE INDEX "tracking_parentlecture_voided_by_id_458761a5" ON "tracking_parentlecture" ("voided_by_id");
CREATE INDEX "tracking_teacheryeartotal_teacher_id_f23d3e02" ON "tracking_teacheryeartotal" ("teacher_id");
CREATE INDEX "tracking_teacheryeartotal_training_year_id_848e05f7" ON "tracking_teacheryeartotal" ("training_year_id");
CREATE INDEX "tracking_termbreak_term_id_4e0f2962" ON "tracking_termbreak" ("term_id");
CREATE INDEX "tracking_auditevent_action_065d3fd5" ON "tracking_auditevent" ("action");
CREATE INDEX "tracking_auditevent_created_at_07a3c0d6" ON "tracking_auditevent" ("created_at");
CREATE INDEX "tracking_auditevent_actor_id_231e1f3a" ON "tracking_auditevent" ("actor_id");
CREATE INDEX "tracking_auditevent_district_id_3f519a2c" ON "tracking_auditevent" ("district_id");
CREATE INDEX "tracking_auditevent_school_id_7ce5dbcf" ON "tracking_auditevent" ("school_id");
CREATE INDEX "tracking_au_object__718a4f_idx" ON "tracking_auditevent" ("object_type", "object_id");
CREATE INDEX "tracking_classactivity_created_by_id_dd55eb51" ON "tracking_classactivity" ("created_by_id");
CREATE INDEX "tracking_classactivity_school_class_id_0eabc776" ON "tracking_classactivity" ("school_class_id");
CREATE INDEX "tracking_classactivity_teacher_id_80349868" ON "tracking_classactivity" ("teacher_id");
CREATE INDEX "tracking_classactivity_voided_by_id_0cc61b91" ON "tracking_classactivity" ("voided_by_id");
CREATE INDEX "activity_class_kind_date" ON "tracking_classactivity" ("school_class_id", "kind", "date");
CREATE INDEX "tracking_deliverychange_actor_id_6fdaaaa0" ON "tracking_deliverychange" ("actor_id");
CREATE INDEX "tracking_deliverychange_school_id_5026a92e" ON "tracking_deliverychange" ("school_id");
CREATE INDEX "delivery_change_object" ON "tracking_deliverychange" ("object_type", "object_id");
CREATE INDEX "tracking_externalclaim_decided_by_id_5a980e5c" ON "tracking_externalclaim" ("decided_by_id");
CREATE INDEX "tracking_externalclaim_teacher_id_67a356ac" ON "tracking_externalclaim" ("teacher_id");
CREATE INDEX "tracking_externalclaim_training_year_id_347f8452" ON "tracking_externalclaim" ("training_year_id");
CREATE INDEX "tracking_ex_status_680b6f_idx" ON "tracking_externalclaim" ("status", "created_at");
CREATE INDEX "tracking_familyvisittally_school_class_id_1a0e0adf" ON "tracking_familyvisittally" ("school_class_id");
CREATE INDEX "tracking_familyvisittally_term_id_3c5fac82" ON "tracking_familyvisittally" ("term_id");
CREATE INDEX "tracking_familyvisittally_updated_by_id_8fc42a36" ON "tracking_familyvisittally" ("updated_by_id");
CREATE INDEX "tracking_keygradeconfig_academic_year_id_d1f94ef5" ON "tracking_keygradeconfig" ("academic_year_id");
CREATE INDEX "tracking_notification_user_id_efea45c9" ON "tracking_notification" ("user_id");
CREATE INDEX "tracking_no_user_id_511abd_idx" ON "tracking_notification" ("user_id", "read_at");
CREATE INDEX "tracking_offlinesession_created_by_id_5762607c" ON "tracking_offlinesession" ("created_by_id");
CREATE INDEX "tracking_offlinesession_district_id_66109af7" ON "tracking_offlinesession" ("district_id");
CREATE INDEX "tracking_offlinesession_school_id_9f5ae0df" ON "tracking_offlinesession" ("school_id");
CREATE INDEX "tracking_offlinesession_training_year_id_3bac5e7e" ON "tracking_offlinesession" ("training_year_id");
--
-- Create constraint offline_session_ends_after on model offlinesession
--
CREATE TABLE "new__tracking_offlinesession" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(200) NOT NULL, "kind" varchar(16) NOT NULL, "starts_at" datetime NOT NULL, "ends_at" datetime NOT NULL, "hours" decimal NOT NULL, "place" varchar(200) NOT NULL, "organiser" varchar(200) NOT NULL, "audience" varchar(16) NOT NULL, "created_at" datetime NOT NULL, "created_by_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "district_id" bigint NULL REFERENCES "accounts_district" ("id") DEFERRABLE INITIALLY DEFERRED, "school_id" bigint NULL REFERENCES "accounts_school" ("id") DEFERRABLE INITIALLY DEFERRED, "training_year_id" bigint NOT NULL REFERENCES "accounts_trainingyear" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "offline_session_audience_matches_level" CHECK ((("audience" = 'city' AND "district_id" IS NULL AND "school_id" IS NULL) OR ("audience" = 'district' AND "district_id" IS NOT NULL AND "school_id" IS NULL) OR ("audience" = 'school' AND "district_id" IS NULL AND "school_id" IS NOT NULL))), CONSTRAINT "offline_session_ends_after" CHECK ("ends_at" > ("starts_at")));
INSERT INTO "new__tracking_offlinesession" ("id", "title", "kind", "starts_at", "ends_at", "hours", "place", "organiser", "audience", "created_at", "created_by_id", "district_id", "school_id", "training_year_id") SELECT "id", "title", "kind", "starts_at", "ends_at", "hours", "place", "organiser", "audience", "created_at", "created_by_id", "district_id", "school_id", "training_year_id" FROM "tracking_offlinesession";
DROP TABLE "tracking_offlinesession";
ALTER TABLE "new__tracking_offlinesession" RENAME TO "tracking_offlinesession";
CREATE INDEX "tracking_offlinesession_created_by_id_5762607c" ON "tracking_offlinesession" ("created_by_id");
CREATE INDEX "tracking_offlinesession_district_id_66109af7" ON "tracking_offlinesession" ("district_id");
CREATE INDEX "tracking_offlinesession_school_id_9f5ae0df" ON "tracking_offlinesession" ("school_id");
CREATE INDEX "tracking_offlinesession_training_year_id_3bac5e7e" ON "tracking_offlinesession" ("training_year_id");
--
-- Create constraint attendance_once_per_session on model attendance
--
CREATE TABLE "new__tracking_attendance" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "hours" decimal NOT NULL, "method" varchar(16) NOT NULL, "recorded_at" datetime NOT NULL, "recorded_by_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "teacher_id" bigint NOT NULL REFERENCES "accounts_teacherprofile" ("id") DEFERRABLE INITIALLY DEFERRED, "batch_id" bigint NULL REFERENCES "tracking_importbatch" ("id") DEFERRABLE INITIALLY DEFERRED, "session_id" bigint NOT NULL REFERENCES "tracking_offlinesession" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "attendance_once_per_session" UNIQUE ("session_id", "teacher_id"));
INSERT INTO "new__tracking_attendance" ("id", "hours", "method", "recorded_at", "recorded_by_id", "teacher_id", "batch_id", "session_id") SELECT "id", "hours", "method", "recorded_at", "recorded_by_id", "teacher_id", "batch_id", "session_id" FROM "tracking_attendance";
DROP TABLE "tracking_attendance";
ALTER TABLE "new__tracking_attendance" RENAME TO "tracking_attendance";
CREATE INDEX "tracking_attendance_recorded_by_id_18f7079f" ON "tracking_attendance" ("recorded_by_id");
CREATE INDEX "tracking_attendance_teacher_id_80295c69" ON "tracking_attendance" ("teacher_id");
CREATE INDEX "tracking_attendance_batch_id_77d45700" ON "tracking_attendance" ("batch_id");
CREATE INDEX "tracking_attendance_session_id_5d43669f" ON "tracking_attendance" ("session_id");
--
-- Create index parent_lecture_school_date on field(s) school, date of model parentlecture
--
CREATE INDEX "parent_lecture_school_date" ON "tracking_parentlecture" ("school_id", "date");
--
-- Create constraint one_total_per_teacher_year on model teacheryeartotal
--
CREATE TABLE "new__tracking_teacheryeartotal" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "hours" decimal NOT NULL, "sessions" integer unsigned NOT NULL CHECK ("sessions" >= 0), "entries" integer unsigned NOT NULL CHECK ("entries" >= 0), "teacher_id" bigint NOT NULL REFERENCES "accounts_teacherprofile" ("id") DEFERRABLE INITIALLY DEFERRED, "training_year_id" bigint NOT NULL REFERENCES "accounts_trainingyear" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "one_total_per_teacher_year" UNIQUE ("training_year_id", "teacher_id"));
INSERT INTO "new__tracking_teacheryeartotal" ("id", "hours", "sessions", "entries", "teacher_id", "training_year_id") SELECT "id", "hours", "sessions", "entries", "teacher_id", "training_year_id" FROM "tracking_teacheryeartotal";
DROP TABLE "tracking_teacheryeartotal";
ALTER TABLE "new__tracking_teacheryeartotal" RENAME TO "tracking_teacheryeartotal";
CREATE INDEX "tracking_teacheryeartotal_teacher_id_f23d3e02" ON "tracking_teacheryeartotal" ("teacher_id");
CREATE INDEX "tracking_teacheryeartotal_training_year_id_848e05f7" ON "tracking_teacheryeartotal" ("training_year_id");
COMMIT;
