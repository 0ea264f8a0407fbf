import { PracticesService } from '@recall/auth';
import { RequestContext } from '@recall/core';
import { runsUnderRowSecurity } from '@recall/database';
import { DataSource } from 'typeorm';
import { ROW_SECURITY_EXEMPT } from '../migrations/1796216725511-PracticeRowSecurity';
import { seed, startTestApi, TestApi } from './support/test-api';

/** PostgreSQL's own check of practice isolation: the queries here deliberately have no filter. */
describe('row-level security', () => {
  let api: TestApi;
  let ds: DataSource;
  let north: string;
  let south: string;
  const asApi = <T>(practiceId: string | undefined, fn: () => Promise<T>) =>
    RequestContext.run({ requestId: 'rls', channel: 'api', practiceId }, fn);
  const asSystem = <T>(fn: () => Promise<T>) =>
    RequestContext.run({ requestId: 'rls', channel: 'system' }, fn);
  const insertPatient = (practiceId: string, mrn: string) =>
    ds.query(
      `INSERT INTO patient (practice_id, mrn, join_key, match_name, time_zone, time_zone_source, phones,
         deceased, content_hash)
       VALUES ($1, $2, $2, 'test', 'America/Chicago', 'practice', '[]', false, 'h')`,
      [practiceId, mrn],
    );

  beforeAll(async () => {
    api = await startTestApi();
    await seed(api, ['north', 'south'], []);
    ds = api.app.get(DataSource);
    await asSystem(async () => {
      const practices = api.app.get(PracticesService);
      north = (await practices.findBySlug('north'))!.id;
      south = (await practices.findBySlug('south'))!.id;
      await insertPatient(north, 'N-1');
      await insertPatient(north, 'N-2');
      await insertPatient(south, 'S-1');
    });
  });
  afterAll(() => api.close());

  it('the app runs its queries as a role that row-level security applies to', async () => {
    expect(await asSystem(() => runsUnderRowSecurity(ds))).toBe(true);
  });

  it("a request scoped to a practice sees only that practice's rows, with no WHERE", async () => {
    const rows = await asApi(north, () => ds.query('SELECT mrn, practice_id FROM patient ORDER BY mrn'));
    expect(rows).toEqual([
      { mrn: 'N-1', practice_id: north },
      { mrn: 'N-2', practice_id: north },
    ]);
    const inTx = await asApi(south, () =>
      ds.transaction((tx) => tx.query('SELECT mrn FROM patient ORDER BY mrn')),
    );
    expect(inTx).toEqual([{ mrn: 'S-1' }]);
  });

  it("a request cannot write another practice's rows", async () => {
    await expect(asApi(north, () => insertPatient(south, 'S-2'))).rejects.toThrow(/row-level security/);
    const moved = await asApi(north, () =>
      ds.query('UPDATE patient SET practice_id = $1 WHERE mrn = $2', [south, 'N-1']),
    ).catch((e: Error) => e);
    expect(String(moved)).toMatch(/row-level security/);
    const [, count] = (await asApi(north, () =>
      ds.query(`UPDATE patient SET first_name = 'x' WHERE mrn = 'S-1'`),
    )) as [unknown, number];
    expect(count).toBe(0);
  });

  it('an API request with no authorised practice sees nothing', async () => {
    expect(await asApi(undefined, () => ds.query('SELECT * FROM patient'))).toEqual([]);
    await expect(asApi(undefined, () => insertPatient(north, 'N-3'))).rejects.toThrow(/row-level security/);
  });

  it('system work (jobs, CLI, seeds) sees every practice', async () => {
    const rows = (await asSystem(() => ds.query('SELECT mrn FROM patient ORDER BY mrn'))) as unknown[];
    expect(rows).toHaveLength(3);
  });

  it('the app refreshes planner statistics through recall_analyze (a plain ANALYZE is skipped)', async () => {
    const analyzedAt = () =>
      asSystem(() =>
        ds.query(
          `SELECT coalesce(last_analyze, 'epoch') AS at FROM pg_stat_user_tables WHERE relname = 'patient'`,
        ),
      );
    const before = (await analyzedAt())[0].at as Date;
    await asSystem(() => ds.query(`SELECT recall_analyze('patient')`));
    // The statistics collector reports asynchronously; poll briefly.
    let after = before;
    for (let i = 0; i < 50 && after.getTime() === before.getTime(); i++) {
      await new Promise((r) => setTimeout(r, 100));
      await asSystem(() => ds.query('SELECT pg_stat_clear_snapshot()'));
      after = (await analyzedAt())[0].at as Date;
    }
    expect(after.getTime()).toBeGreaterThan(before.getTime());
    const [{ reltuples }] = await asSystem(() =>
      ds.query(`SELECT reltuples::int AS reltuples FROM pg_class WHERE relname = 'patient'`),
    );
    expect(reltuples).toBe(3);
  });

  it('a pooled connection never keeps the previous request practice', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? asApi(north, () => ds.query('SELECT DISTINCT practice_id FROM patient'))
          : asApi(i % 4 ? south : undefined, () => ds.query('SELECT DISTINCT practice_id FROM patient')),
      ),
    );
    results.forEach((rows, i) =>
      expect(rows).toEqual(i % 2 ? [{ practice_id: north }] : i % 4 ? [{ practice_id: south }] : []),
    );
  });

  it('every table with a practice_id column has row-level security enabled, forced and a policy', async () => {
    const tables = (await ds.query(
      `SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname
                        AND p.policyname = 'practice_isolation') AS policy
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'practice_id'
                        AND NOT a.attisdropped)
        ORDER BY 1`,
    )) as { name: string; enabled: boolean; forced: boolean; policy: boolean }[];
    expect(tables.length).toBeGreaterThan(10);
    const unprotected = tables
      .filter((t) => !ROW_SECURITY_EXEMPT.includes(t.name))
      .filter((t) => !(t.enabled && t.forced && t.policy))
      .map((t) => t.name);
    // A new table with practice_id: `SELECT enable_practice_row_security('<table>')` in its migration.
    expect(unprotected).toEqual([]);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(ROW_SECURITY_EXEMPT));
  });
});
