import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reports1796192683296 implements MigrationInterface {
  name = 'Reports1796192683296';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "report_attempt_day" ("campaign_id" uuid NOT NULL, "day" date NOT NULL, "agent_id" uuid NOT NULL, "code" text NOT NULL, "attempt_number" smallint NOT NULL, "practice_id" uuid NOT NULL, "dials" integer NOT NULL, "handled" integer NOT NULL, "handle_seconds" integer NOT NULL, "first_minute" smallint NOT NULL, "last_minute" smallint NOT NULL, CONSTRAINT "PK_70c4508c8ef9913e723320de375" PRIMARY KEY ("campaign_id", "day", "agent_id", "code", "attempt_number"))',
    );
    await queryRunner.query(
      'CREATE INDEX "report_attempt_day_practice_day_idx" ON "report_attempt_day" ("practice_id", "day") ',
    );
    await queryRunner.query(
      'CREATE TABLE "report_hour_day" ("campaign_id" uuid NOT NULL, "day" date NOT NULL, "patient_hour" smallint NOT NULL, "age_band" text NOT NULL, "practice_id" uuid NOT NULL, "dials" integer NOT NULL, "contacts" integer NOT NULL, "bookings" integer NOT NULL, CONSTRAINT "PK_203508cea2c649180f0cec64cf4" PRIMARY KEY ("campaign_id", "day", "patient_hour", "age_band"))',
    );
    await queryRunner.query(
      'CREATE INDEX "report_hour_day_practice_day_idx" ON "report_hour_day" ("practice_id", "day") ',
    );
    await queryRunner.query(
      'CREATE TABLE "report_booking_day" ("campaign_id" uuid NOT NULL, "day" date NOT NULL, "agent_id" uuid NOT NULL, "attempt_number" smallint NOT NULL, "lead_bucket" text NOT NULL, "status" text NOT NULL, "practice_id" uuid NOT NULL, "bookings" integer NOT NULL, CONSTRAINT "PK_bd610dd9bf923a6d411e2accb75" PRIMARY KEY ("campaign_id", "day", "agent_id", "attempt_number", "lead_bucket", "status"))',
    );
    await queryRunner.query(
      'CREATE INDEX "report_booking_day_practice_day_idx" ON "report_booking_day" ("practice_id", "day") ',
    );
    await queryRunner.query(
      'CREATE TABLE "report_dirty" ("id" BIGSERIAL NOT NULL, "practice_id" uuid NOT NULL, "day" date NOT NULL, CONSTRAINT "PK_d200fe5d2efc105828e5d234783" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "report_dirty_practice_idx" ON "report_dirty" ("practice_id") ');
    await queryRunner.query(
      'CREATE TABLE "report_state" ("practice_id" uuid NOT NULL, "imports_seen_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_97942d53bbc07ffb3f8221ddc40" PRIMARY KEY ("practice_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "call_attempt_bookings_idx" ON "call_attempt" ("practice_id", "appointment_at") WHERE "code" = \'DONE\'',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."call_attempt_bookings_idx"');
    await queryRunner.query('DROP TABLE "report_state"');
    await queryRunner.query('DROP INDEX "public"."report_dirty_practice_idx"');
    await queryRunner.query('DROP TABLE "report_dirty"');
    await queryRunner.query('DROP INDEX "public"."report_booking_day_practice_day_idx"');
    await queryRunner.query('DROP TABLE "report_booking_day"');
    await queryRunner.query('DROP INDEX "public"."report_hour_day_practice_day_idx"');
    await queryRunner.query('DROP TABLE "report_hour_day"');
    await queryRunner.query('DROP INDEX "public"."report_attempt_day_practice_day_idx"');
    await queryRunner.query('DROP TABLE "report_attempt_day"');
  }
}
