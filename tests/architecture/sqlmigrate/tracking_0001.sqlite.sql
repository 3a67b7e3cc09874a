BEGIN;
--
-- Create model LedgerEntry
--
CREATE TABLE "tracking_ledgerentry" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "hours" decimal NOT NULL, "counts_as_session" bool NOT NULL, "source" varchar(16) NOT NULL, "source_ref" varchar(64) NOT NULL, "title" varchar(255) NOT NULL, "activity_date" date NOT NULL, "recorded_at" datetime NOT NULL, "note" text NOT NULL, "recorded_by_id" bigint NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, "school_id" bigint NOT NULL REFERENCES "accounts_school" ("id") DEFERRABLE INITIALLY DEFERRED, "teacher_id" bigint NOT NULL REFERENCES "accounts_teacherprofile" ("id") DEFERRABLE INITIALLY DEFERRED, "training_year_id" bigint NOT NULL REFERENCES "accounts_trainingyear" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "ledger_entry_credited_once" UNIQUE ("teacher_id", "training_year_id", "source", "source_ref"), CONSTRAINT "ledger_only_corrections_negative" CHECK (("source" = 'correction' OR "hours" >= '0')));
--
-- Create model TrainingTarget
--
CREATE TABLE "tracking_trainingtarget" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "category" varchar(16) NOT NULL, "hours" decimal NULL, "sessions" smallint unsigned NULL CHECK ("sessions" >= 0), "training_year_id" bigint NOT NULL REFERENCES "accounts_trainingyear" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "unique_target_per_year_category" UNIQUE ("training_year_id", "category"));
CREATE INDEX "tracking_ledgerentry_recorded_by_id_44fb9309" ON "tracking_ledgerentry" ("recorded_by_id");
CREATE INDEX "tracking_ledgerentry_school_id_eb30c180" ON "tracking_ledgerentry" ("school_id");
CREATE INDEX "tracking_ledgerentry_teacher_id_056bd476" ON "tracking_ledgerentry" ("teacher_id");
CREATE INDEX "tracking_ledgerentry_training_year_id_661b018b" ON "tracking_ledgerentry" ("training_year_id");
CREATE INDEX "tracking_le_trainin_b1bfc9_idx" ON "tracking_ledgerentry" ("training_year_id", "teacher_id");
CREATE INDEX "tracking_le_trainin_07c4b4_idx" ON "tracking_ledgerentry" ("training_year_id", "school_id");
CREATE INDEX "tracking_trainingtarget_training_year_id_ab422c7c" ON "tracking_trainingtarget" ("training_year_id");
COMMIT;
