import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportPeriods1796210946913 implements MigrationInterface {
  name = 'ReportPeriods1796210946913';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "report_attempt_period" ("campaign_id" uuid NOT NULL, "grain" text NOT NULL, "period" date NOT NULL, "agent_id" uuid NOT NULL, "code" text NOT NULL, "attempt_number" smallint NOT NULL, "practice_id" uuid NOT NULL, "dials" integer NOT NULL, "handled" integer NOT NULL, "handle_seconds" integer NOT NULL, CONSTRAINT "PK_0808dd2cd3ce22ba5ef526ac53e" PRIMARY KEY ("campaign_id", "grain", "period", "agent_id", "code", "attempt_number"))',
    );
    await queryRunner.query(
      'CREATE INDEX "report_attempt_period_practice_idx" ON "report_attempt_period" ("practice_id", "grain", "period") ',
    );
    await queryRunner.query(
      'CREATE TABLE "report_booking_period" ("campaign_id" uuid NOT NULL, "grain" text NOT NULL, "period" date NOT NULL, "agent_id" uuid NOT NULL, "attempt_number" smallint NOT NULL, "lead_bucket" text NOT NULL, "status" text NOT NULL, "practice_id" uuid NOT NULL, "bookings" integer NOT NULL, CONSTRAINT "PK_d7d032fe44b311577b8be1e07cf" PRIMARY KEY ("campaign_id", "grain", "period", "agent_id", "attempt_number", "lead_bucket", "status"))',
    );
    await queryRunner.query(
      'CREATE INDEX "report_booking_period_practice_idx" ON "report_booking_period" ("practice_id", "grain", "period") ',
    );
    await queryRunner.query(
      'CREATE TABLE "report_agent_day" ("campaign_id" uuid NOT NULL, "day" date NOT NULL, "agent_id" uuid NOT NULL, "practice_id" uuid NOT NULL, "first_minute" smallint NOT NULL, "last_minute" smallint NOT NULL, CONSTRAINT "PK_bb420403027a1ec4bb9832c6dec" PRIMARY KEY ("campaign_id", "day", "agent_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "report_agent_day_practice_day_idx" ON "report_agent_day" ("practice_id", "day") ',
    );
    await queryRunner.query(
      'CREATE INDEX "call_attempt_practice_agent_ended_idx" ON "call_attempt" ("practice_id", "agent_id", "ended_at") ',
    );
    // Existing days: periods are the sums of their days, agent days their first and last calls.
    await queryRunner.query(
      `INSERT INTO report_attempt_period SELECT r.campaign_id, g.grain, date_trunc(g.grain, r.day)::date, r.agent_id,
         r.code, r.attempt_number, r.practice_id, sum(r.dials), sum(r.handled), sum(r.handle_seconds)
       FROM report_attempt_day r CROSS JOIN (VALUES ('week'), ('month')) g(grain) GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    );
    await queryRunner.query(
      `INSERT INTO report_booking_period SELECT r.campaign_id, g.grain, date_trunc(g.grain, r.day)::date, r.agent_id,
         r.attempt_number, r.lead_bucket, r.status, r.practice_id, sum(r.bookings)
       FROM report_booking_day r CROSS JOIN (VALUES ('week'), ('month')) g(grain) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    );
    await queryRunner.query(
      `INSERT INTO report_agent_day SELECT r.campaign_id, r.day, r.agent_id, r.practice_id, min(r.first_minute),
         max(r.last_minute) FROM report_attempt_day r GROUP BY 1, 2, 3, 4`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."call_attempt_practice_agent_ended_idx"');
    await queryRunner.query('DROP INDEX "public"."report_agent_day_practice_day_idx"');
    await queryRunner.query('DROP TABLE "report_agent_day"');
    await queryRunner.query('DROP INDEX "public"."report_booking_period_practice_idx"');
    await queryRunner.query('DROP TABLE "report_booking_period"');
    await queryRunner.query('DROP INDEX "public"."report_attempt_period_practice_idx"');
    await queryRunner.query('DROP TABLE "report_attempt_period"');
  }
}
