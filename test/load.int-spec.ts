import { loadPassed, printLoadResult, runLoad, type LoadResult } from '../bench/load.bench';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The load bench in short form (bench/load.bench.ts; the run is 200 agents for five
 * minutes): agents working their queues through the HTTP API, an owner's dashboard and an
 * EMR import in a process of its own, all at once; afterwards no error, nobody over the cap,
 * every disposition recorded exactly once (including those sent twice with one key).
 */
describe('the API under load (short form of the load bench)', () => {
  let db: TestDatabase;
  let result: LoadResult;

  beforeAll(async () => {
    db = await createTestDatabase();
    result = await runLoad(db.url, { agents: 20, patients: 4000, seconds: 20, importRows: 3000, seed: 7 });
    printLoadResult(result);
  }, 170_000);
  afterAll(() => db?.drop());

  it('answers every request of every route without an error', () => {
    expect(result.routes.flatMap((r) => r.samples)).toEqual([]);
    expect(result.errors).toBe(0);
    for (const route of ['GET queue', 'POST queue/:id/start', 'POST dispositions', 'GET reports/funnel'])
      expect(result.routes.find((r) => r.route === route)?.requests).toBeGreaterThan(0);
  });

  it('records every disposition once: none lost, none twice, none over the attempt cap', () => {
    expect(result.dispositionsSaved).toBeGreaterThan(20);
    expect(result.retried).toBeGreaterThan(0);
    expect(result.attemptRows).toBe(result.dispositionsSaved);
    expect(result.lost).toBe(0);
    expect(result.duplicated).toBe(0);
    expect(result.overCap).toBe(0);
  });

  it('ran the import alongside, in its own process, to the end', () => {
    expect(result.imports.samples).toEqual([]);
    expect(result.imports.failed).toBe(0);
    expect(result.imports.finished).toBeGreaterThan(0);
    expect(loadPassed(result)).toBe(true);
  });
});
