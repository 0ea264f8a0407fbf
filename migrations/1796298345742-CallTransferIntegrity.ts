import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transfers (issue 10) held by the database: call_transfer references its practice, call,
 * member, group, agent, attempt and callback ticket; a blind transfer is never "no answer"; an
 * unavailable queue always has its ticket (a 'transfer_callback' escalation). Directory entries
 * are named, reachable, open to at least one calling role, one active entry per name. The
 * attempt saved for a call links the call's transfers (trigger), so nothing else has to.
 */
export class CallTransferIntegrity1796298345742 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "escalation" DROP CONSTRAINT "escalation_category_check"');
    await queryRunner.query(
      `ALTER TABLE "escalation" ADD CONSTRAINT "escalation_category_check" CHECK ("category" IN ('legal', 'complaint', 'social', 'financial', 'executive', 'threat', 'do_not_contact', 'repeated_contact', 'callback_ticket', 'transfer_callback'))`,
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "transfer_group_active_name_key" ON "transfer_group" ("practice_id", "name") WHERE "active"',
    );
    await queryRunner.query(
      `ALTER TABLE "transfer_group" ADD CONSTRAINT "transfer_group_hours_check" CHECK ("hours" IS NULL OR jsonb_typeof("hours") = 'object')`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfer_group" ADD CONSTRAINT "transfer_group_roles_check" CHECK (cardinality("allowed_roles") > 0 AND "allowed_roles" <@ ARRAY['agent', 'manager', 'admin']::text[])`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfer_group" ADD CONSTRAINT "transfer_group_reachable_check" CHECK (btrim("phone") <> '' OR "extension" IS NOT NULL)`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfer_group" ADD CONSTRAINT "transfer_group_name_check" CHECK (length(btrim("name")) BETWEEN 1 AND 100)`,
    );
    await queryRunner.query(
      `ALTER TABLE "call_transfer" ADD CONSTRAINT "call_transfer_ticket_check" CHECK (("outcome" = 'unavailable') = ("escalation_id" IS NOT NULL))`,
    );
    await queryRunner.query(
      `ALTER TABLE "call_transfer" ADD CONSTRAINT "call_transfer_blind_answer_check" CHECK ("kind" = 'warm' OR "outcome" <> 'no_answer')`,
    );
    const fks: [table: string, name: string, column: string, parent: string, onDelete: string][] = [
      ['call_protocol', 'call_protocol_practice_fk', 'practice_id', 'practice', 'CASCADE'],
      ['transfer_group', 'transfer_group_practice_fk', 'practice_id', 'practice', 'CASCADE'],
      ['call_transfer', 'call_transfer_practice_fk', 'practice_id', 'practice', 'CASCADE'],
      ['call_transfer', 'call_transfer_call_start_fk', 'call_start_id', 'call_start', 'CASCADE'],
      ['call_transfer', 'call_transfer_member_fk', 'member_id', 'campaign_member', 'CASCADE'],
      ['call_transfer', 'call_transfer_group_fk', 'group_id', 'transfer_group', 'RESTRICT'],
      ['call_transfer', 'call_transfer_agent_fk', 'agent_id', 'app_user', 'RESTRICT'],
      ['call_transfer', 'call_transfer_attempt_fk', 'attempt_id', 'call_attempt', 'SET NULL'],
      ['call_transfer', 'call_transfer_escalation_fk', 'escalation_id', 'escalation', 'RESTRICT'],
    ];
    for (const [table, name, column, parent, onDelete] of fks) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("${column}") REFERENCES "${parent}"("id") ON DELETE ${onDelete} ON UPDATE NO ACTION`,
      );
    }
    // The attempt saved for a call takes the transfers tried on it (a correction, with the same
    // call, leaves them on the first attempt). Runs as the caller: row security applies.
    await queryRunner.query(`
      CREATE FUNCTION call_transfer_link_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE call_transfer SET attempt_id = NEW.id
         WHERE call_start_id = NEW.call_start_id AND attempt_id IS NULL;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER call_attempt_links_transfers AFTER INSERT ON call_attempt
      FOR EACH ROW WHEN (NEW.call_start_id IS NOT NULL) EXECUTE FUNCTION call_transfer_link_attempt()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER call_attempt_links_transfers ON call_attempt');
    await queryRunner.query('DROP FUNCTION call_transfer_link_attempt()');
    for (const [table, name] of [
      ['call_transfer', 'call_transfer_escalation_fk'],
      ['call_transfer', 'call_transfer_attempt_fk'],
      ['call_transfer', 'call_transfer_agent_fk'],
      ['call_transfer', 'call_transfer_group_fk'],
      ['call_transfer', 'call_transfer_member_fk'],
      ['call_transfer', 'call_transfer_call_start_fk'],
      ['call_transfer', 'call_transfer_practice_fk'],
      ['transfer_group', 'transfer_group_practice_fk'],
      ['call_protocol', 'call_protocol_practice_fk'],
      ['call_transfer', 'call_transfer_blind_answer_check'],
      ['call_transfer', 'call_transfer_ticket_check'],
      ['transfer_group', 'transfer_group_name_check'],
      ['transfer_group', 'transfer_group_reachable_check'],
      ['transfer_group', 'transfer_group_roles_check'],
      ['transfer_group', 'transfer_group_hours_check'],
    ]) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
    }
    await queryRunner.query('DROP INDEX "public"."transfer_group_active_name_key"');
    await queryRunner.query(`DELETE FROM "escalation" WHERE "category" = 'transfer_callback'`);
    await queryRunner.query('ALTER TABLE "escalation" DROP CONSTRAINT "escalation_category_check"');
    await queryRunner.query(
      `ALTER TABLE "escalation" ADD CONSTRAINT "escalation_category_check" CHECK ("category" IN ('legal', 'complaint', 'social', 'financial', 'executive', 'threat', 'do_not_contact', 'repeated_contact', 'callback_ticket'))`,
    );
  }
}
