import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { parseConfig } from '@recall/config';
import { ImportsService } from '@recall/imports';
import { JobQueue } from '@recall/queue';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/create-app';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { PrivateRedis, until } from './support/faults';
import { asSystem } from './support/scenario';
import { seed, startTestApi, TestApi } from './support/test-api';

const PATIENTS = path.join(__dirname, 'fixtures/dispositions/patients.csv');

/** Two API processes and three workers on one database and one Redis: each job has one effect. */
describe('faults: two APIs and three workers share the work', () => {
  let redis: PrivateRedis;
  let api: TestApi;
  let second: NestExpressApplication;
  const workers: INestApplicationContext[] = [];
  let db: DataSource;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: `faults_${randomBytes(4).toString('hex')}` };
    api = await startTestApi({ env });
    await seed(api, ['north'], []);
    db = api.app.get(DataSource);
    const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: api.db.url, LOG_LEVEL: 'silent', ...env });
    second = await createApiApp({ config, databaseUrl: api.db.url });
    await second.init();
    for (let i = 0; i < 3; i++) {
      workers.push(
        await NestFactory.createApplicationContext(WorkerModule.forRoot(config, api.db.url), {
          logger: false,
        }),
      );
    }
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) await w.close();
    await second?.close();
    await api?.close();
    await redis?.stop();
  }, 60_000);

  it('an import enqueued by both APIs, again and again, runs once', async () => {
    const [{ id: practiceId }] = await db.query(`SELECT id FROM practice WHERE slug = 'north'`);
    const importId = await asSystem(async () => {
      const imports = api.app.get(ImportsService);
      const draft = await imports.createDraft(
        practiceId,
        [{ kind: 'patients', name: 'patients.csv', path: PATIENTS, owned: false }],
        null,
      );
      await imports.start(practiceId, draft.id, { mapping: draft.mapping, enqueue: false }, null);
      return draft.id;
    });
    const queues = [api.app.get(JobQueue), second.get(JobQueue)];
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, i) => queues[i % 2].enqueue('imports.run', { importId })),
    );
    expect(new Set(ids)).toEqual(new Set([`imports.run.${importId}`]));
    await until(
      async () =>
        (
          await db.query(`SELECT 1 FROM patient_import WHERE id = $1 AND status = 'succeeded'`, [importId])
        )[0],
      30_000,
      'the import to finish',
    );
    // Late duplicates, after the job completed: the import's status makes them no-ops.
    await Promise.all(queues.map((q) => q.enqueue('imports.run', { importId })));
    await new Promise((r) => setTimeout(r, 1_000));
    const [{ runs }] = await db.query(
      `SELECT count(*)::int AS runs FROM audit_event WHERE action = 'imports.run' AND entity_id = $1`,
      [importId],
    );
    expect(runs).toBe(1);
    const [{ n, mrns }] = await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT mrn)::int AS mrns FROM patient WHERE practice_id = $1`,
      [practiceId],
    );
    expect(n).toBeGreaterThan(0);
    expect(n).toBe(mrns);
  });

  it('a job id enqueued by both APIs at once is processed by one worker, once', async () => {
    const nonce = randomBytes(6).toString('hex');
    const queues = [api.app.get(JobQueue), second.get(JobQueue)];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        queues[i % 2].enqueue('system.ping', { requestedBy: 'faults', nonce }),
      ),
    );
    const pings = () =>
      db.query(`SELECT request_id FROM audit_event WHERE action = 'system.ping' AND details->>'nonce' = $1`, [
        nonce,
      ]);
    await until(async () => (await pings()).length > 0, 15_000, 'the ping to run');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await pings()).toEqual([{ request_id: `job:system.ping.${nonce}` }]);
  });
});
