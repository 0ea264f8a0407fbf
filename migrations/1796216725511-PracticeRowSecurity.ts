import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Practice isolation a second time, in PostgreSQL: every table with a `practice_id` column
 * (read from the catalogue, so it covers the tables of earlier migrations whoever wrote them)
 * gets row-level security, forced so that the table owner is subject too, with one policy:
 * a row is visible and writable only when its practice is the connection's `recall.practice_id`
 * or the connection acts for every practice (`recall.scope = 'all'`). The app sets both on
 * every checkout from the pool (libs/database/src/practice-scope.ts) and runs as the NOLOGIN
 * role `recall_app` when its login would bypass RLS (a superuser, as in tests).
 *
 * Exempt: `audit_event` (a cross-practice, append-only record, written for refused requests
 * too and read by admins across practices) and `user_practice` (the memberships that sign-in
 * reads before any practice is known). test/row-security.int-spec.ts keeps this list honest.
 * A later migration adding a table with `practice_id` calls `enable_practice_row_security`.
 */
export const ROW_SECURITY_EXEMPT = ['audit_event', 'user_practice'];

export class PracticeRowSecurity1796216725511 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    // Roles are cluster-wide: another database (a parallel test run) may create it first.
    await queryRunner.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'recall_app') THEN
        CREATE ROLE recall_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
    await queryRunner.query(`DO $$ BEGIN
      EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO recall_app', current_database());
      GRANT USAGE ON SCHEMA public TO recall_app;
      GRANT ALL ON ALL TABLES IN SCHEMA public TO recall_app;
      GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO recall_app;
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO recall_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO recall_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO recall_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO recall_app;
    END $$`);

    await queryRunner.query(`CREATE OR REPLACE FUNCTION enable_practice_row_security(tbl regclass)
      RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
        EXECUTE format('DROP POLICY IF EXISTS practice_isolation ON %s', tbl);
        -- The settings sit in sub-selects so they are read once per statement, not per row.
        EXECUTE format($p$CREATE POLICY practice_isolation ON %s
          USING ((SELECT current_setting('recall.scope', true)) = 'all'
                 OR practice_id = (SELECT nullif(current_setting('recall.practice_id', true), '')::uuid))
          WITH CHECK ((SELECT current_setting('recall.scope', true)) = 'all'
                 OR practice_id = (SELECT nullif(current_setting('recall.practice_id', true), '')::uuid))$p$,
          tbl);
      END $$`);
    await queryRunner.query(
      `SELECT enable_practice_row_security(format('%I.%I', c.table_schema, c.table_name)::regclass)
         FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND c.column_name = 'practice_id'
          AND t.table_type = 'BASE TABLE' AND NOT (c.table_name = ANY ($1))`,
      [ROW_SECURITY_EXEMPT],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const tables = (await queryRunner.query(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_policies
        WHERE schemaname = 'public' AND policyname = 'practice_isolation'`,
    )) as { name: string }[];
    for (const { name } of tables) {
      await queryRunner.query(`DROP POLICY practice_isolation ON ${name}`);
      await queryRunner.query(`ALTER TABLE ${name} NO FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE ${name} DISABLE ROW LEVEL SECURITY`);
    }
    await queryRunner.query('DROP FUNCTION enable_practice_row_security(regclass)');
    await queryRunner.query('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM recall_app');
    await queryRunner.query(
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM recall_app',
    );
    await queryRunner.query(
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM recall_app',
    );
    await queryRunner.query('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM recall_app');
    await queryRunner.query('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM recall_app');
    await queryRunner.query('REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM recall_app');
    await queryRunner.query('REVOKE USAGE ON SCHEMA public FROM recall_app');
    await queryRunner.query(`DO $$ BEGIN
      EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM recall_app', current_database());
    END $$`);
    // The role is cluster-wide and other databases (other test runs) may use it: it stays.
  }
}
