import { MigrationInterface, QueryRunner } from 'typeorm';

export class AssignmentMemberIndex1796191409170 implements MigrationInterface {
  name = 'AssignmentMemberIndex1796191409170';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "cycle_assignment_member_idx" ON "cycle_assignment" ("member_id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."cycle_assignment_member_idx"');
  }
}
