import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ANALYZE` needs the table's owner; where the app runs as `recall_app` (a superuser login
 * switched to it, see libs/database/src/practice-scope.ts) a plain `ANALYZE patient` after a
 * big import only warned and skipped, so the next statements planned on stale statistics (a
 * cycle build at 1M patients went from 3 s to over 13 min). `recall_analyze` runs it as the
 * migration's owner for the app. It reads only statistics, never rows: it cannot leak across
 * practices.
 */
export class AnalyzeAsApp1796239569976 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION recall_analyze(tbl regclass)
      RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        EXECUTE format('ANALYZE %s', tbl);
      END $$`);
    await queryRunner.query('REVOKE ALL ON FUNCTION recall_analyze(regclass) FROM PUBLIC');
    await queryRunner.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'recall_app') THEN
        GRANT EXECUTE ON FUNCTION recall_analyze(regclass) TO recall_app;
      END IF;
    END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION recall_analyze(regclass)');
  }
}
