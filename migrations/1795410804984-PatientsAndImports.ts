import { MigrationInterface, QueryRunner } from 'typeorm';

export class PatientsAndImports1795410804984 implements MigrationInterface {
  name = 'PatientsAndImports1795410804984';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "patient_import" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "status" text NOT NULL, "dry_run" boolean NOT NULL, "requested_by" uuid, "files" jsonb NOT NULL, "mapping" jsonb, "profile_name" text, "rows_done" integer NOT NULL, "bytes_done" bigint NOT NULL, "bytes_total" bigint NOT NULL, "phase" text, "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "cancel_requested_at" TIMESTAMP WITH TIME ZONE, "summary" jsonb, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "patient_import_status_check" CHECK ("status" IN (\'draft\', \'queued\', \'running\', \'succeeded\', \'failed\', \'cancelled\')), CONSTRAINT "PK_1b4685e23a2400a6cbfd458aef3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "patient_import_practice_created_idx" ON "patient_import" ("practice_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "import_issue" ("id" BIGSERIAL NOT NULL, "import_id" uuid NOT NULL, "file_kind" text NOT NULL, "line" integer NOT NULL, "column_name" text, "severity" text NOT NULL, "reason" text NOT NULL, "raw_row" text, CONSTRAINT "import_issue_severity_check" CHECK ("severity" IN (\'rejected\', \'warning\')), CONSTRAINT "PK_d830877f72db69958d5bfe368f3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "import_issue_import_severity_idx" ON "import_issue" ("import_id", "severity", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "mapping_profile" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "name" text NOT NULL, "mapping" jsonb NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "mapping_profile_practice_name_key" UNIQUE ("practice_id", "name"), CONSTRAINT "PK_41ddfab4702c123e93a595a2b6f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "patient" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "mrn" text NOT NULL, "join_key" text NOT NULL, "first_name" text, "middle_name" text, "last_name" text, "match_name" text NOT NULL, "birth_date" date, "sex" text, "email" text, "address" text, "city" text, "state" text, "zip" text, "time_zone" text NOT NULL, "time_zone_source" text NOT NULL, "phones" jsonb NOT NULL, "provider" text, "location" text, "deceased" boolean NOT NULL, "deceased_on" date, "listed_last_visit_on" date, "listed_last_appointment_on" date, "listed_last_appointment_status" text, "listed_next_appointment_on" date, "do_not_call_at" TIMESTAMP WITH TIME ZONE, "do_not_call_reason" text, "merged_into_id" uuid, "content_hash" text NOT NULL, "created_import_id" uuid, "last_import_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "patient_practice_mrn_key" UNIQUE ("practice_id", "mrn"), CONSTRAINT "patient_mrn_not_blank" CHECK (length(btrim("mrn")) > 0), CONSTRAINT "patient_phones_array" CHECK (jsonb_typeof("phones") = \'array\' AND jsonb_array_length("phones") <= 3), CONSTRAINT "patient_not_merged_into_self" CHECK ("merged_into_id" IS DISTINCT FROM "id"), CONSTRAINT "patient_time_zone_source_check" CHECK ("time_zone_source" IN (\'zip\', \'state\', \'practice\')), CONSTRAINT "PK_8dfa510bb29ad31ab2139fbfb99" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "patient_practice_match_idx" ON "patient" ("practice_id", "match_name", "birth_date") ',
    );
    await queryRunner.query(
      'CREATE INDEX "patient_practice_join_key_idx" ON "patient" ("practice_id", "join_key") ',
    );
    await queryRunner.query(
      'CREATE TABLE "visit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "kind" text NOT NULL, "source_key" text NOT NULL, "occurs_on" date NOT NULL, "occurs_at" TIMESTAMP WITH TIME ZONE, "status" text NOT NULL, "raw_status" text, "provider" text, "location" text, "visit_type" text, "content_hash" text NOT NULL, "created_import_id" uuid, "last_import_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "visit_practice_kind_source_key" UNIQUE ("practice_id", "kind", "source_key"), CONSTRAINT "visit_status_check" CHECK ("status" IN (\'scheduled\', \'completed\', \'no_show\', \'cancelled\', \'unknown\')), CONSTRAINT "visit_kind_check" CHECK ("kind" IN (\'appointment\', \'encounter\')), CONSTRAINT "PK_c9919ef5a07627657c535d8eb88" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "visit_patient_date_idx" ON "visit" ("patient_id", "occurs_on") ');
    await queryRunner.query(
      'CREATE TABLE "duplicate_candidate" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "patient_id_a" uuid NOT NULL, "patient_id_b" uuid NOT NULL, "reason" text NOT NULL, "status" text NOT NULL, "detected_import_id" uuid, "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "duplicate_candidate_pair_key" UNIQUE ("patient_id_a", "patient_id_b"), CONSTRAINT "duplicate_candidate_reason_check" CHECK ("reason" IN (\'name_birth_date\', \'phone_name\')), CONSTRAINT "duplicate_candidate_status_check" CHECK ("status" IN (\'open\', \'merged\', \'dismissed\')), CONSTRAINT "duplicate_candidate_ordered_pair" CHECK ("patient_id_a" < "patient_id_b"), CONSTRAINT "PK_c3df4093a8f31b3beaa6f51483b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "duplicate_candidate_practice_status_idx" ON "duplicate_candidate" ("practice_id", "status") ',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_import" ADD CONSTRAINT "FK_615520ac145b553001ee914694f" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "import_issue" ADD CONSTRAINT "FK_4a024bbf89b381e618a42a2ac16" FOREIGN KEY ("import_id") REFERENCES "patient_import"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "mapping_profile" ADD CONSTRAINT "FK_07ff311b4b514697b15eaffc9d4" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient" ADD CONSTRAINT "FK_54c4d1cc7b605b24f5eca7e2566" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient" ADD CONSTRAINT "FK_a9d5135358cfb2bda3b714c7317" FOREIGN KEY ("merged_into_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "visit" ADD CONSTRAINT "FK_f08911c3c27fbd9af95784122d8" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "visit" ADD CONSTRAINT "FK_6a903535b65e0387fc5d796358d" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "duplicate_candidate" ADD CONSTRAINT "FK_bd5d990efb6471de9902b37f42d" FOREIGN KEY ("patient_id_a") REFERENCES "patient"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "duplicate_candidate" ADD CONSTRAINT "FK_9caeca99fcd5e006d27c4135e14" FOREIGN KEY ("patient_id_b") REFERENCES "patient"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "duplicate_candidate" DROP CONSTRAINT "FK_9caeca99fcd5e006d27c4135e14"',
    );
    await queryRunner.query(
      'ALTER TABLE "duplicate_candidate" DROP CONSTRAINT "FK_bd5d990efb6471de9902b37f42d"',
    );
    await queryRunner.query('ALTER TABLE "visit" DROP CONSTRAINT "FK_6a903535b65e0387fc5d796358d"');
    await queryRunner.query('ALTER TABLE "visit" DROP CONSTRAINT "FK_f08911c3c27fbd9af95784122d8"');
    await queryRunner.query('ALTER TABLE "patient" DROP CONSTRAINT "FK_a9d5135358cfb2bda3b714c7317"');
    await queryRunner.query('ALTER TABLE "patient" DROP CONSTRAINT "FK_54c4d1cc7b605b24f5eca7e2566"');
    await queryRunner.query('ALTER TABLE "mapping_profile" DROP CONSTRAINT "FK_07ff311b4b514697b15eaffc9d4"');
    await queryRunner.query('ALTER TABLE "import_issue" DROP CONSTRAINT "FK_4a024bbf89b381e618a42a2ac16"');
    await queryRunner.query('ALTER TABLE "patient_import" DROP CONSTRAINT "FK_615520ac145b553001ee914694f"');
    await queryRunner.query('DROP INDEX "public"."duplicate_candidate_practice_status_idx"');
    await queryRunner.query('DROP TABLE "duplicate_candidate"');
    await queryRunner.query('DROP INDEX "public"."visit_patient_date_idx"');
    await queryRunner.query('DROP TABLE "visit"');
    await queryRunner.query('DROP INDEX "public"."patient_practice_join_key_idx"');
    await queryRunner.query('DROP INDEX "public"."patient_practice_match_idx"');
    await queryRunner.query('DROP TABLE "patient"');
    await queryRunner.query('DROP TABLE "mapping_profile"');
    await queryRunner.query('DROP INDEX "public"."import_issue_import_severity_idx"');
    await queryRunner.query('DROP TABLE "import_issue"');
    await queryRunner.query('DROP INDEX "public"."patient_import_practice_created_idx"');
    await queryRunner.query('DROP TABLE "patient_import"');
  }
}
