import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The call protocol (issue 10): the identity check recorded on the call in progress and on its
 * attempt (null on rows from before the check: unknown, not "failed"), each practice's identity
 * fields and de-escalation guide, its transfer directory, and the transfers tried on calls.
 */
export class CallProtocol1796243801911 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "call_start" ADD "identity_verified" boolean');
    await queryRunner.query('ALTER TABLE "call_start" ADD "identity_checks" jsonb');
    await queryRunner.query('ALTER TABLE "call_start" ADD "identity_checked_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "call_attempt" ADD "identity_verified" boolean');
    await queryRunner.query(
      `CREATE TABLE "call_protocol" ("practice_id" uuid NOT NULL, "identity_fields" text array NOT NULL DEFAULT '{name,dob}', "deescalation" jsonb, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "call_protocol_pkey" PRIMARY KEY ("practice_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "transfer_group" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "name" text NOT NULL, "when_to_transfer" text NOT NULL DEFAULT '', "phone" text NOT NULL DEFAULT '', "extension" text, "hours" jsonb, "allowed_roles" text array NOT NULL DEFAULT '{agent,manager,admin}', "situations" text array NOT NULL DEFAULT '{}', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "transfer_group_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      'CREATE INDEX "transfer_group_practice_idx" ON "transfer_group" ("practice_id", "name") ',
    );
    await queryRunner.query(
      `CREATE TABLE "call_transfer" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "call_start_id" uuid NOT NULL, "member_id" uuid NOT NULL, "group_id" uuid NOT NULL, "agent_id" uuid NOT NULL, "attempt_id" uuid, "kind" text NOT NULL, "outcome" text NOT NULL, "escalation_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "call_transfer_kind_check" CHECK ("kind" IN ('warm', 'blind')), CONSTRAINT "call_transfer_outcome_check" CHECK ("outcome" IN ('connected', 'no_answer', 'declined', 'unavailable')), CONSTRAINT "call_transfer_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query('CREATE INDEX "call_transfer_call_idx" ON "call_transfer" ("call_start_id") ');
    await queryRunner.query(
      'CREATE INDEX "call_transfer_practice_created_idx" ON "call_transfer" ("practice_id", "created_at") ',
    );
    for (const table of ['call_protocol', 'transfer_group', 'call_transfer']) {
      await queryRunner.query('SELECT enable_practice_row_security($1)', [table]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "call_transfer"');
    await queryRunner.query('DROP TABLE "transfer_group"');
    await queryRunner.query('DROP TABLE "call_protocol"');
    await queryRunner.query('ALTER TABLE "call_attempt" DROP COLUMN "identity_verified"');
    await queryRunner.query('ALTER TABLE "call_start" DROP COLUMN "identity_checked_at"');
    await queryRunner.query('ALTER TABLE "call_start" DROP COLUMN "identity_checks"');
    await queryRunner.query('ALTER TABLE "call_start" DROP COLUMN "identity_verified"');
  }
}
