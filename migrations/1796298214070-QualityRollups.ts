import { MigrationInterface, QueryRunner } from 'typeorm';

const MEASURES = [
  'dials',
  'contacts',
  'bookings',
  'handled',
  'handle_seconds',
  'first_contacts',
  'first_contact_bookings',
  'identity_verified',
  'identity_failed',
  'reconfirmed',
  'kept',
  'not_kept',
  'pending',
];

/**
 * The quality report from rollups: the per-agent-day table gains the report's measures (calls,
 * handle time, first contacts and their bookings, identity checks), with week and month sums
 * like the other rollups; transfers get a day rollup of their own. A transfer written, changed
 * or removed marks its practice-local day dirty (a trigger, so every writer of call_transfer
 * does, as a disposition does for its attempt). Existing days are marked for the refresh.
 */
export class QualityRollups1796298214070 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const column of MEASURES) {
      await queryRunner.query(`ALTER TABLE "report_agent_day" ADD "${column}" integer NOT NULL DEFAULT '0'`);
    }
    await queryRunner.query(
      `CREATE TABLE "report_agent_period" (${MEASURES.map((c) => `"${c}" integer NOT NULL DEFAULT '0'`).join(', ')}, "campaign_id" uuid NOT NULL, "grain" text NOT NULL, "period" date NOT NULL, "agent_id" uuid NOT NULL, "practice_id" uuid NOT NULL, CONSTRAINT "PK_3b81bfd35115861dacdc5f9f26e" PRIMARY KEY ("campaign_id", "grain", "period", "agent_id"))`,
    );
    await queryRunner.query(
      'CREATE INDEX "report_agent_period_practice_idx" ON "report_agent_period" ("practice_id", "grain", "period") ',
    );
    await queryRunner.query(
      'CREATE TABLE "report_transfer_day" ("campaign_id" uuid NOT NULL, "day" date NOT NULL, "agent_id" uuid NOT NULL, "group_id" uuid NOT NULL, "kind" text NOT NULL, "outcome" text NOT NULL, "practice_id" uuid NOT NULL, "transfers" integer NOT NULL, CONSTRAINT "PK_e65701df855a6a2d5a9cc21d114" PRIMARY KEY ("campaign_id", "day", "agent_id", "group_id", "kind", "outcome"))',
    );
    await queryRunner.query(
      'CREATE INDEX "report_transfer_day_practice_day_idx" ON "report_transfer_day" ("practice_id", "day") ',
    );
    for (const table of ['report_agent_period', 'report_transfer_day']) {
      await queryRunner.query('SELECT enable_practice_row_security($1)', [table]);
    }
    await queryRunner.query(`CREATE FUNCTION report_mark_transfer_day() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          INSERT INTO report_dirty (practice_id, day)
          SELECT OLD.practice_id, (OLD.created_at AT TIME ZONE p.timezone)::date FROM practice p WHERE p.id = OLD.practice_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO report_dirty (practice_id, day)
          SELECT NEW.practice_id, (NEW.created_at AT TIME ZONE p.timezone)::date FROM practice p WHERE p.id = NEW.practice_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      'CREATE TRIGGER call_transfer_report_dirty AFTER INSERT OR UPDATE OR DELETE ON call_transfer FOR EACH ROW EXECUTE FUNCTION report_mark_transfer_day()',
    );
    // Row security applies to the owner too: the rebuild markers are written for every practice.
    await queryRunner.query("SELECT set_config('recall.scope', 'all', true)");
    await queryRunner.query(
      'INSERT INTO report_dirty (practice_id, day) SELECT DISTINCT practice_id, day FROM report_agent_day',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER call_transfer_report_dirty ON call_transfer');
    await queryRunner.query('DROP FUNCTION report_mark_transfer_day()');
    await queryRunner.query('DROP INDEX "public"."report_transfer_day_practice_day_idx"');
    await queryRunner.query('DROP TABLE "report_transfer_day"');
    await queryRunner.query('DROP INDEX "public"."report_agent_period_practice_idx"');
    await queryRunner.query('DROP TABLE "report_agent_period"');
    for (const column of [...MEASURES].reverse()) {
      await queryRunner.query(`ALTER TABLE "report_agent_day" DROP COLUMN "${column}"`);
    }
  }
}
