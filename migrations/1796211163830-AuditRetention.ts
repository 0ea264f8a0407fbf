import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention for the append-only audit log. The trigger still refuses every UPDATE and
 * TRUNCATE, and every DELETE except one made by `audit_event_purge(years)` (which sets a
 * transaction-local flag and cut-off) of a row older than both that cut-off and six years:
 * whatever a session sets, a row younger than six years cannot be deleted.
 */
export class AuditRetention1796211163830 implements MigrationInterface {
  name = 'AuditRetention1796211163830';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        cutoff timestamptz := nullif(current_setting('recall.audit_purge_before', true), '')::timestamptz;
      BEGIN
        IF TG_OP = 'DELETE' AND cutoff IS NOT NULL AND OLD.occurred_at < cutoff
           AND OLD.occurred_at < now() - interval '6 years' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION audit_event_purge(retention_years integer) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        cutoff timestamptz;
        purged bigint;
      BEGIN
        IF retention_years IS NULL OR retention_years < 6 THEN
          RAISE EXCEPTION 'audit retention must be at least 6 years (got %)', retention_years
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        cutoff := now() - make_interval(years => retention_years);
        PERFORM set_config('recall.audit_purge_before', cutoff::text, true);
        DELETE FROM audit_event WHERE occurred_at < cutoff;
        GET DIAGNOSTICS purged = ROW_COUNT;
        PERFORM set_config('recall.audit_purge_before', '', true);
        RETURN purged;
      END
      $$`);
    await queryRunner.query('CREATE INDEX "audit_event_request_idx" ON "audit_event" ("request_id") ');
    await queryRunner.query('CREATE INDEX "audit_event_entity_idx" ON "audit_event" ("entity_id") ');
    await queryRunner.query('CREATE INDEX "audit_event_time_idx" ON "audit_event" ("occurred_at") ');
    // List views name the records they showed in details.ids: found by `details @> …`.
    await queryRunner.query(
      'CREATE INDEX "audit_event_details_idx" ON "audit_event" USING gin ("details" jsonb_path_ops)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."audit_event_details_idx"');
    await queryRunner.query('DROP INDEX "public"."audit_event_time_idx"');
    await queryRunner.query('DROP INDEX "public"."audit_event_entity_idx"');
    await queryRunner.query('DROP INDEX "public"."audit_event_request_idx"');
    await queryRunner.query('DROP FUNCTION audit_event_purge(integer)');
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
  }
}
