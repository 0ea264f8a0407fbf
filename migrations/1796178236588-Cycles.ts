import { MigrationInterface, QueryRunner } from 'typeorm';

export class Cycles1796178236588 implements MigrationInterface {
  name = 'Cycles1796178236588';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "call_cycle" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "seq" integer NOT NULL, "start_on" date NOT NULL, "end_on" date NOT NULL, "days" date array NOT NULL, "seed" bigint NOT NULL, "status" text NOT NULL, "backlog" integer NOT NULL, "built_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "call_cycle_campaign_seq_key" UNIQUE ("campaign_id", "seq"), CONSTRAINT "call_cycle_dates" CHECK ("end_on" >= "start_on"), CONSTRAINT "call_cycle_status_check" CHECK ("status" IN (\'open\', \'closed\')), CONSTRAINT "PK_5ced269d40ddd25722a45426bb0" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "call_cycle_one_open" ON "call_cycle" ("campaign_id") WHERE "status" = \'open\'',
    );
    await queryRunner.query(
      'CREATE TABLE "cycle_assignment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cycle_id" uuid NOT NULL, "practice_id" uuid NOT NULL, "member_id" uuid NOT NULL, "agent_id" uuid NOT NULL, "due_on" date NOT NULL, "reason" text NOT NULL, "priority" smallint NOT NULL, "state" text NOT NULL, "moved_from_agent_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "cycle_assignment_member_key" UNIQUE ("cycle_id", "member_id"), CONSTRAINT "cycle_assignment_reason_check" CHECK ("reason" IN (\'callback\', \'retry\', \'carried\', \'new\')), CONSTRAINT "cycle_assignment_state_check" CHECK ("state" IN (\'pending\', \'done\', \'removed\')), CONSTRAINT "PK_7eba360f755a85864a5799e223e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "cycle_assignment_cycle_agent_idx" ON "cycle_assignment" ("cycle_id", "agent_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "cycle_assignment_queue_idx" ON "cycle_assignment" ("agent_id", "due_on") WHERE "state" = \'pending\'',
    );
    await queryRunner.query(
      'CREATE TABLE "agent_absence" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "user_id" uuid NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "reason" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "agent_absence_dates" CHECK ("ends_on" >= "starts_on"), CONSTRAINT "PK_d924e62aa6d14349910e9369abb" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "agent_absence_user_idx" ON "agent_absence" ("user_id", "starts_on") ',
    );
    await queryRunner.query(
      'CREATE TABLE "call_start" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "assignment_id" uuid NOT NULL, "member_id" uuid NOT NULL, "patient_id" uuid, "agent_id" uuid NOT NULL, "phone" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_22a6c560461e22a8106b64a2c0a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "call_start_member_idx" ON "call_start" ("member_id", "started_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "call_start_assignment_idx" ON "call_start" ("assignment_id", "started_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "call_start_patient_idx" ON "call_start" ("patient_id", "started_at") WHERE "patient_id" IS NOT NULL',
    );
    await queryRunner.query('ALTER TABLE "campaign_member" ADD "last_code" text');
    await queryRunner.query('ALTER TABLE "campaign_member" ADD "last_attempt_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "campaign_member" ADD "not_before" date');
    await queryRunner.query('ALTER TABLE "campaign_member" ADD "callback_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "campaign_member" ADD "callback_agent_id" uuid');
    await queryRunner.query(
      'ALTER TABLE "call_cycle" ADD CONSTRAINT "FK_fd1289d3e458a9358bbc057cc98" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "call_cycle" ADD CONSTRAINT "FK_79f1c7a129898899741b179305b" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cycle_assignment" ADD CONSTRAINT "FK_286f33c94ca0b6a5a2ca57f33b7" FOREIGN KEY ("cycle_id") REFERENCES "call_cycle"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cycle_assignment" ADD CONSTRAINT "FK_b05dcac5059b8045716064a05ce" FOREIGN KEY ("member_id") REFERENCES "campaign_member"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cycle_assignment" ADD CONSTRAINT "FK_b42d8222fd2ee88b0042df44e71" FOREIGN KEY ("agent_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agent_absence" ADD CONSTRAINT "FK_be17d459bd4cca79c9f42862a0f" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agent_absence" ADD CONSTRAINT "FK_1e0e12aee03a88f505f6610fda0" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "call_start" ADD CONSTRAINT "FK_0c66d92847750d566326d03d528" FOREIGN KEY ("assignment_id") REFERENCES "cycle_assignment"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "call_start" DROP CONSTRAINT "FK_0c66d92847750d566326d03d528"');
    await queryRunner.query('ALTER TABLE "agent_absence" DROP CONSTRAINT "FK_1e0e12aee03a88f505f6610fda0"');
    await queryRunner.query('ALTER TABLE "agent_absence" DROP CONSTRAINT "FK_be17d459bd4cca79c9f42862a0f"');
    await queryRunner.query(
      'ALTER TABLE "cycle_assignment" DROP CONSTRAINT "FK_b42d8222fd2ee88b0042df44e71"',
    );
    await queryRunner.query(
      'ALTER TABLE "cycle_assignment" DROP CONSTRAINT "FK_b05dcac5059b8045716064a05ce"',
    );
    await queryRunner.query(
      'ALTER TABLE "cycle_assignment" DROP CONSTRAINT "FK_286f33c94ca0b6a5a2ca57f33b7"',
    );
    await queryRunner.query('ALTER TABLE "call_cycle" DROP CONSTRAINT "FK_79f1c7a129898899741b179305b"');
    await queryRunner.query('ALTER TABLE "call_cycle" DROP CONSTRAINT "FK_fd1289d3e458a9358bbc057cc98"');
    await queryRunner.query('ALTER TABLE "campaign_member" DROP COLUMN "callback_agent_id"');
    await queryRunner.query('ALTER TABLE "campaign_member" DROP COLUMN "callback_at"');
    await queryRunner.query('ALTER TABLE "campaign_member" DROP COLUMN "not_before"');
    await queryRunner.query('ALTER TABLE "campaign_member" DROP COLUMN "last_attempt_at"');
    await queryRunner.query('ALTER TABLE "campaign_member" DROP COLUMN "last_code"');
    await queryRunner.query('DROP INDEX "public"."call_start_patient_idx"');
    await queryRunner.query('DROP INDEX "public"."call_start_assignment_idx"');
    await queryRunner.query('DROP INDEX "public"."call_start_member_idx"');
    await queryRunner.query('DROP TABLE "call_start"');
    await queryRunner.query('DROP INDEX "public"."agent_absence_user_idx"');
    await queryRunner.query('DROP TABLE "agent_absence"');
    await queryRunner.query('DROP INDEX "public"."cycle_assignment_queue_idx"');
    await queryRunner.query('DROP INDEX "public"."cycle_assignment_cycle_agent_idx"');
    await queryRunner.query('DROP TABLE "cycle_assignment"');
    await queryRunner.query('DROP INDEX "public"."call_cycle_one_open"');
    await queryRunner.query('DROP TABLE "call_cycle"');
  }
}
