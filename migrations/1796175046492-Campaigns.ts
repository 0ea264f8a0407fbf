import { MigrationInterface, QueryRunner } from 'typeorm';

export class Campaigns1796175046492 implements MigrationInterface {
  name = 'Campaigns1796175046492';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "campaign" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "type" text NOT NULL, "name" text NOT NULL, "status" text NOT NULL, "rule" jsonb NOT NULL, "settings" jsonb NOT NULL, "plan" jsonb, "plan_patients" integer, "plan_saved_at" TIMESTAMP WITH TIME ZONE, "script" text NOT NULL, "voicemail_script" text NOT NULL, "created_by" uuid, "launched_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "campaign_practice_name_key" UNIQUE ("practice_id", "name"), CONSTRAINT "campaign_name_not_blank" CHECK (length(btrim("name")) BETWEEN 1 AND 120), CONSTRAINT "campaign_planned_has_plan" CHECK ("status" = \'draft\' OR "plan" IS NOT NULL), CONSTRAINT "campaign_status_check" CHECK ("status" IN (\'draft\', \'planned\', \'active\', \'paused\', \'completed\')), CONSTRAINT "campaign_type_check" CHECK ("type" IN (\'reactivation\', \'no_show\', \'cancelled\', \'no_encounters\', \'patient_reviews\', \'patient_referrals\', \'existing_partners\', \'new_partners\', \'community_outreach\', \'win_back\')), CONSTRAINT "PK_0ce34d26e7f2eb316a3a592cdc4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "campaign_practice_status_idx" ON "campaign" ("practice_id", "status") ',
    );
    await queryRunner.query(
      'CREATE TABLE "campaign_agent" ("campaign_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_ec39dcdba368690505f722b33b6" PRIMARY KEY ("campaign_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "contact" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "contact_key" text NOT NULL, "category" text NOT NULL, "organisation" text NOT NULL, "contact_name" text, "contact_role" text, "phones" jsonb NOT NULL, "email" text, "address" text, "city" text, "state" text, "zip" text, "time_zone" text NOT NULL, "time_zone_source" text NOT NULL, "do_not_call_at" TIMESTAMP WITH TIME ZONE, "content_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "contact_practice_key" UNIQUE ("practice_id", "contact_key"), CONSTRAINT "contact_organisation_not_blank" CHECK (length(btrim("organisation")) > 0), CONSTRAINT "contact_phones_array" CHECK (jsonb_typeof("phones") = \'array\' AND jsonb_array_length("phones") <= 3), CONSTRAINT "contact_time_zone_source_check" CHECK ("time_zone_source" IN (\'zip\', \'state\', \'practice\')), CONSTRAINT "contact_category_check" CHECK ("category" IN (\'existing_partner\', \'new_partner\', \'community\')), CONSTRAINT "PK_2cbbe00f59ab6b3bb5b8d19f989" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "contact_practice_category_idx" ON "contact" ("practice_id", "category") ',
    );
    await queryRunner.query(
      'CREATE TABLE "campaign_member" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "campaign_id" uuid NOT NULL, "practice_id" uuid NOT NULL, "patient_id" uuid, "contact_id" uuid, "state" text NOT NULL, "attempts" integer NOT NULL DEFAULT \'0\', "attempt_cap" integer NOT NULL, "enrolled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "campaign_member_contact_key" UNIQUE ("campaign_id", "contact_id"), CONSTRAINT "campaign_member_patient_key" UNIQUE ("campaign_id", "patient_id"), CONSTRAINT "campaign_member_closed" CHECK (("state" = \'open\') = ("closed_at" IS NULL)), CONSTRAINT "campaign_member_attempts_within_cap" CHECK ("attempts" >= 0 AND "attempts" <= "attempt_cap"), CONSTRAINT "campaign_member_state_check" CHECK ("state" IN (\'open\', \'converted\', \'reconfirmed\', \'lost\', \'dnc\', \'exhausted\', \'unreachable\', \'booked_elsewhere\', \'released\')), CONSTRAINT "campaign_member_one_target" CHECK (num_nonnulls("patient_id", "contact_id") = 1), CONSTRAINT "PK_834a746344b26d011d8f2239339" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "campaign_member_patient_idx" ON "campaign_member" ("patient_id") WHERE "patient_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "campaign_member_campaign_state_idx" ON "campaign_member" ("campaign_id", "state") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "campaign_member_one_open_campaign" ON "campaign_member" ("practice_id", "patient_id") WHERE "state" = \'open\' AND "patient_id" IS NOT NULL',
    );
    await queryRunner.query('ALTER TABLE "patient" ADD "inactive" boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE "patient" ADD "booked_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(
      'ALTER TABLE "campaign" ADD CONSTRAINT "FK_21ada85298a130f4888f13937d6" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "campaign_agent" ADD CONSTRAINT "FK_125899d5ff24bc811386b69d887" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "campaign_agent" ADD CONSTRAINT "FK_4967b4fbfca72be4741c3e32893" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "contact" ADD CONSTRAINT "FK_7d3f39eafdcd4bc1ed38608dbbd" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "campaign_member" ADD CONSTRAINT "FK_4821d8910fe2395cfd164289013" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "campaign_member" ADD CONSTRAINT "FK_d5924b6c01f51f256a4a58a6db5" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "campaign_member" ADD CONSTRAINT "FK_cef49af7aeb24a609489e4574dc" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "campaign_member" DROP CONSTRAINT "FK_cef49af7aeb24a609489e4574dc"');
    await queryRunner.query('ALTER TABLE "campaign_member" DROP CONSTRAINT "FK_d5924b6c01f51f256a4a58a6db5"');
    await queryRunner.query('ALTER TABLE "campaign_member" DROP CONSTRAINT "FK_4821d8910fe2395cfd164289013"');
    await queryRunner.query('ALTER TABLE "contact" DROP CONSTRAINT "FK_7d3f39eafdcd4bc1ed38608dbbd"');
    await queryRunner.query('ALTER TABLE "campaign_agent" DROP CONSTRAINT "FK_4967b4fbfca72be4741c3e32893"');
    await queryRunner.query('ALTER TABLE "campaign_agent" DROP CONSTRAINT "FK_125899d5ff24bc811386b69d887"');
    await queryRunner.query('ALTER TABLE "campaign" DROP CONSTRAINT "FK_21ada85298a130f4888f13937d6"');
    await queryRunner.query('ALTER TABLE "patient" DROP COLUMN "booked_at"');
    await queryRunner.query('ALTER TABLE "patient" DROP COLUMN "inactive"');
    await queryRunner.query('DROP INDEX "public"."campaign_member_one_open_campaign"');
    await queryRunner.query('DROP INDEX "public"."campaign_member_campaign_state_idx"');
    await queryRunner.query('DROP INDEX "public"."campaign_member_patient_idx"');
    await queryRunner.query('DROP TABLE "campaign_member"');
    await queryRunner.query('DROP INDEX "public"."contact_practice_category_idx"');
    await queryRunner.query('DROP TABLE "contact"');
    await queryRunner.query('DROP TABLE "campaign_agent"');
    await queryRunner.query('DROP INDEX "public"."campaign_practice_status_idx"');
    await queryRunner.query('DROP TABLE "campaign"');
  }
}
