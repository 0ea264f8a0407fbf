import { MigrationInterface, QueryRunner } from 'typeorm';

export class Dispositions1796189919900 implements MigrationInterface {
  name = 'Dispositions1796189919900';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "call_attempt" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "member_id" uuid NOT NULL, "patient_id" uuid, "contact_id" uuid, "cycle_id" uuid, "assignment_id" uuid, "agent_id" uuid NOT NULL, "recorded_by" uuid NOT NULL, "call_start_id" uuid, "phone" text, "started_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "code" text NOT NULL, "attempt_number" integer, "appointment_at" TIMESTAMP WITH TIME ZONE, "callback_at" TIMESTAMP WITH TIME ZONE, "reason" text, "remarks" text, "survivor_id" uuid, "patient_local_hour" smallint NOT NULL, "member_state" text NOT NULL, "member_before" jsonb NOT NULL, "outcome" jsonb NOT NULL, "supersedes_id" uuid, "idempotency_key" text NOT NULL, "request_hash" text NOT NULL, "source" text NOT NULL, CONSTRAINT "call_attempt_supersedes_key" UNIQUE ("supersedes_id"), CONSTRAINT "call_attempt_idempotency_key" UNIQUE ("practice_id", "idempotency_key"), CONSTRAINT "call_attempt_key_not_blank" CHECK (length(btrim("idempotency_key")) > 0), CONSTRAINT "call_attempt_callback_has_time" CHECK ("code" <> \'CBACK\' OR "callback_at" IS NOT NULL), CONSTRAINT "call_attempt_booking_has_date" CHECK ("code" NOT IN (\'DONE\', \'RECONFIRMED\') OR "appointment_at" IS NOT NULL), CONSTRAINT "call_attempt_times" CHECK ("started_at" IS NULL OR "started_at" <= "ended_at"), CONSTRAINT "call_attempt_local_hour" CHECK ("patient_local_hour" BETWEEN 0 AND 23), CONSTRAINT "call_attempt_number_positive" CHECK ("attempt_number" IS NULL OR "attempt_number" >= 1), CONSTRAINT "call_attempt_source_check" CHECK ("source" IN (\'workspace\', \'api\', \'cli\', \'sheet\')), CONSTRAINT "call_attempt_code_check" CHECK ("code" IN (\'DONE\', \'NOANS\', \'LVM\', \'WNUM\', \'CBACK\', \'LOST\', \'DCONN\', \'UNAVLBL\', \'HUNGUP\', \'DNC\', \'RECONFIRMED\', \'DUPLICATE\')), CONSTRAINT "PK_2c3819d02712e4109c7aa723cdb" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "call_attempt_member_number_key" ON "call_attempt" ("member_id", "attempt_number") WHERE "attempt_number" IS NOT NULL AND "supersedes_id" IS NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "call_attempt_campaign_ended_idx" ON "call_attempt" ("campaign_id", "ended_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "call_attempt_practice_ended_idx" ON "call_attempt" ("practice_id", "ended_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "call_attempt_patient_idx" ON "call_attempt" ("patient_id", "ended_at") WHERE "patient_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "call_attempt_member_idx" ON "call_attempt" ("member_id", "ended_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "bad_number" ("practice_id" uuid NOT NULL, "e164" text NOT NULL, "code" text NOT NULL, "attempt_id" uuid, "marked_by" uuid, "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "bad_number_code_check" CHECK ("code" IN (\'WNUM\', \'DCONN\')), CONSTRAINT "PK_35d940590096f0073d77eb864dd" PRIMARY KEY ("practice_id", "e164"))',
    );
    await queryRunner.query(
      'CREATE TABLE "escalation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "patient_id" uuid, "member_id" uuid, "campaign_id" uuid, "attempt_id" uuid, "agent_id" uuid, "category" text NOT NULL, "reason" text NOT NULL, "excerpt" text, "status" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "resolution" text, CONSTRAINT "escalation_resolved" CHECK (("status" = \'resolved\') = ("resolved_at" IS NOT NULL)), CONSTRAINT "escalation_status_check" CHECK ("status" IN (\'open\', \'resolved\')), CONSTRAINT "escalation_category_check" CHECK ("category" IN (\'legal\', \'complaint\', \'social\', \'financial\', \'executive\', \'threat\', \'do_not_contact\', \'repeated_contact\', \'callback_ticket\')), CONSTRAINT "PK_2c9a4d9277ed8620a8a72813864" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "escalation_member_category_key" ON "escalation" ("member_id", "category") WHERE "category" = \'repeated_contact\'',
    );
    await queryRunner.query(
      'CREATE INDEX "escalation_practice_status_idx" ON "escalation" ("practice_id", "status", "created_at") ',
    );
    await queryRunner.query('ALTER TABLE "practice" ADD "red_flags" jsonb NOT NULL DEFAULT \'{}\'');
    await queryRunner.query(
      'ALTER TABLE "call_attempt" ADD CONSTRAINT "FK_9cf5938b4b0ad158902334e4bf1" FOREIGN KEY ("member_id") REFERENCES "campaign_member"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "call_attempt" ADD CONSTRAINT "FK_f8caa585b952ec5bb9c59f93442" FOREIGN KEY ("agent_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "call_attempt" ADD CONSTRAINT "FK_15f063c2e25ae9c96ff14b4ca2b" FOREIGN KEY ("call_start_id") REFERENCES "call_start"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "call_attempt" ADD CONSTRAINT "FK_5de81b1031ef546fa33c94954e8" FOREIGN KEY ("supersedes_id") REFERENCES "call_attempt"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    // Attempts are immutable: a correction is a new row that supersedes (deletes only cascade
    // from the campaign member, e.g. when a practice's data is erased).
    await queryRunner.query(`
      CREATE FUNCTION call_attempt_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'call_attempt rows are immutable: record a correction instead'
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER call_attempt_no_update BEFORE UPDATE ON call_attempt
      FOR EACH ROW EXECUTE FUNCTION call_attempt_is_immutable()`);
    await queryRunner.query(
      'ALTER TABLE "duplicate_candidate" DROP CONSTRAINT "duplicate_candidate_reason_check"',
    );
    await queryRunner.query(
      `ALTER TABLE "duplicate_candidate" ADD CONSTRAINT "duplicate_candidate_reason_check" CHECK ("reason" IN ('name_birth_date', 'phone_name', 'agent'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "duplicate_candidate" DROP CONSTRAINT "duplicate_candidate_reason_check"',
    );
    await queryRunner.query(
      `ALTER TABLE "duplicate_candidate" ADD CONSTRAINT "duplicate_candidate_reason_check" CHECK ("reason" IN ('name_birth_date', 'phone_name'))`,
    );
    await queryRunner.query('DROP TRIGGER call_attempt_no_update ON call_attempt');
    await queryRunner.query('DROP FUNCTION call_attempt_is_immutable()');
    await queryRunner.query('ALTER TABLE "call_attempt" DROP CONSTRAINT "FK_5de81b1031ef546fa33c94954e8"');
    await queryRunner.query('ALTER TABLE "call_attempt" DROP CONSTRAINT "FK_15f063c2e25ae9c96ff14b4ca2b"');
    await queryRunner.query('ALTER TABLE "call_attempt" DROP CONSTRAINT "FK_f8caa585b952ec5bb9c59f93442"');
    await queryRunner.query('ALTER TABLE "call_attempt" DROP CONSTRAINT "FK_9cf5938b4b0ad158902334e4bf1"');
    await queryRunner.query('ALTER TABLE "practice" DROP COLUMN "red_flags"');
    await queryRunner.query('DROP INDEX "public"."escalation_practice_status_idx"');
    await queryRunner.query('DROP INDEX "public"."escalation_member_category_key"');
    await queryRunner.query('DROP TABLE "escalation"');
    await queryRunner.query('DROP TABLE "bad_number"');
    await queryRunner.query('DROP INDEX "public"."call_attempt_member_idx"');
    await queryRunner.query('DROP INDEX "public"."call_attempt_patient_idx"');
    await queryRunner.query('DROP INDEX "public"."call_attempt_practice_ended_idx"');
    await queryRunner.query('DROP INDEX "public"."call_attempt_campaign_ended_idx"');
    await queryRunner.query('DROP INDEX "public"."call_attempt_member_number_key"');
    await queryRunner.query('DROP TABLE "call_attempt"');
  }
}
