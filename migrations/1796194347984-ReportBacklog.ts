import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportBacklog1796194347984 implements MigrationInterface {
  name = 'ReportBacklog1796194347984';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "report_backlog" ("campaign_id" uuid NOT NULL, "state" text NOT NULL, "practice_id" uuid NOT NULL, "members" integer NOT NULL, "remaining_attempts" integer NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_abc81a33ab9b25ef9775ba763f0" PRIMARY KEY ("campaign_id", "state"))',
    );
    await queryRunner.query(
      'CREATE INDEX "report_backlog_practice_idx" ON "report_backlog" ("practice_id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."report_backlog_practice_idx"');
    await queryRunner.query('DROP TABLE "report_backlog"');
  }
}
