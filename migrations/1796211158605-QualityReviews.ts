import { MigrationInterface, QueryRunner } from 'typeorm';

export class QualityReviews1796211158605 implements MigrationInterface {
  name = 'QualityReviews1796211158605';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "qa_setting" ("practice_id" uuid NOT NULL, "sample_share" numeric(5,4) NOT NULL, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "qa_setting_share" CHECK ("sample_share" >= 0 AND "sample_share" <= 1), CONSTRAINT "PK_4a133cbeb6c7bbbc525595ee8cf" PRIMARY KEY ("practice_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "qa_sample" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "day" date NOT NULL, "seed" bigint NOT NULL, "share" numeric(5,4) NOT NULL, "contacts" integer NOT NULL, "sampled" integer NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "qa_sample_practice_day_key" UNIQUE ("practice_id", "day"), CONSTRAINT "qa_sample_share" CHECK ("share" >= 0 AND "share" <= 1), CONSTRAINT "PK_60f2cb098da0ebd4b42523a43d2" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "qa_review" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "attempt_id" uuid NOT NULL, "agent_id" uuid NOT NULL, "sample_id" uuid, "source" text NOT NULL, "picked_by" uuid, "state" text NOT NULL DEFAULT \'pending\', "reviewer_id" uuid, "opening" smallint, "probing" smallint, "empathy" smallint, "resolution" smallint, "script_adherence" smallint, "closing" smallint, "compliance" smallint, "code_correct" boolean, "appointment_correct" boolean, "score" numeric(3,2), "comments" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "scored_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "qa_review_attempt_key" UNIQUE ("attempt_id"), CONSTRAINT "qa_review_scored_complete" CHECK ("state" = \'pending\' OR ("opening" IS NOT NULL AND "probing" IS NOT NULL AND "empathy" IS NOT NULL AND "resolution" IS NOT NULL AND "script_adherence" IS NOT NULL AND "closing" IS NOT NULL AND "compliance" IS NOT NULL AND "code_correct" IS NOT NULL AND "score" IS NOT NULL AND "reviewer_id" IS NOT NULL AND "scored_at" IS NOT NULL)), CONSTRAINT "qa_review_compliance" CHECK ("compliance" IS NULL OR "compliance" BETWEEN 1 AND 5), CONSTRAINT "qa_review_closing" CHECK ("closing" IS NULL OR "closing" BETWEEN 1 AND 5), CONSTRAINT "qa_review_script_adherence" CHECK ("script_adherence" IS NULL OR "script_adherence" BETWEEN 1 AND 5), CONSTRAINT "qa_review_resolution" CHECK ("resolution" IS NULL OR "resolution" BETWEEN 1 AND 5), CONSTRAINT "qa_review_empathy" CHECK ("empathy" IS NULL OR "empathy" BETWEEN 1 AND 5), CONSTRAINT "qa_review_probing" CHECK ("probing" IS NULL OR "probing" BETWEEN 1 AND 5), CONSTRAINT "qa_review_opening" CHECK ("opening" IS NULL OR "opening" BETWEEN 1 AND 5), CONSTRAINT "qa_review_source_check" CHECK ("source" IN (\'sample\', \'pick\')), CONSTRAINT "qa_review_state_check" CHECK ("state" IN (\'pending\', \'scored\')), CONSTRAINT "PK_23d4413726f5d20d9e13f600a94" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "qa_review_agent_idx" ON "qa_review" ("agent_id", "scored_at") ');
    await queryRunner.query(
      'CREATE INDEX "qa_review_practice_state_idx" ON "qa_review" ("practice_id", "state", "created_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "qa_setting" ADD CONSTRAINT "FK_4a133cbeb6c7bbbc525595ee8cf" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "qa_sample" ADD CONSTRAINT "FK_cd61c5a4f50ced879713f5055e1" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "qa_review" ADD CONSTRAINT "FK_8d5d6bdae1139bbc1008cfd5bf8" FOREIGN KEY ("attempt_id") REFERENCES "call_attempt"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "qa_review" ADD CONSTRAINT "FK_dbfad0244abfef569d3979f8659" FOREIGN KEY ("sample_id") REFERENCES "qa_sample"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "qa_review" DROP CONSTRAINT "FK_dbfad0244abfef569d3979f8659"');
    await queryRunner.query('ALTER TABLE "qa_review" DROP CONSTRAINT "FK_8d5d6bdae1139bbc1008cfd5bf8"');
    await queryRunner.query('ALTER TABLE "qa_sample" DROP CONSTRAINT "FK_cd61c5a4f50ced879713f5055e1"');
    await queryRunner.query('ALTER TABLE "qa_setting" DROP CONSTRAINT "FK_4a133cbeb6c7bbbc525595ee8cf"');
    await queryRunner.query('DROP INDEX "public"."qa_review_practice_state_idx"');
    await queryRunner.query('DROP INDEX "public"."qa_review_agent_idx"');
    await queryRunner.query('DROP TABLE "qa_review"');
    await queryRunner.query('DROP TABLE "qa_sample"');
    await queryRunner.query('DROP TABLE "qa_setting"');
  }
}
