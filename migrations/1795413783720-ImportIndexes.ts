import { MigrationInterface, QueryRunner } from 'typeorm';

export class ImportIndexes1795413783720 implements MigrationInterface {
  name = 'ImportIndexes1795413783720';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "patient_merged_into_idx" ON "patient" ("merged_into_id") WHERE "merged_into_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "duplicate_candidate_b_idx" ON "duplicate_candidate" ("patient_id_b") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."duplicate_candidate_b_idx"');
    await queryRunner.query('DROP INDEX "public"."patient_merged_into_idx"');
  }
}
