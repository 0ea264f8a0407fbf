import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PracticesService } from '@recall/auth';
import { parseConfig } from '@recall/config';
import { FixedClock, Role } from '@recall/core';
import { DispositionsService } from '@recall/dispositions';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { OUTAGE_MS, PrivateRedis, until } from './support/faults';
import { importFiles, launchCampaign } from './support/scenario';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures/dispositions');

/**
 * Redis (a private server) killed while an agent records dispositions through the API: every
 * disposition is saved at once (PostgreSQL is the record) and the follow-up job queued during
 * the outage runs within a minute of Redis returning. RECALL_FAULT_OUTAGE_MS=60000 for a full minute.
 */
describe('faults: Redis down while agents record dispositions', () => {
  let redis: PrivateRedis;
  let api: TestApi;
  let worker: INestApplicationContext;
  let db: DataSource;
  let practiceId: string;
  let campaignId: string;
  let token: string;
  const clock = new FixedClock('2026-06-15T15:00:00Z'); // Monday 10:00 in Chicago

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    const env = {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `faults_${randomBytes(4).toString('hex')}`,
      LOGIN_THROTTLE_LIMIT: '1000',
    };
    api = await startTestApi({ clock, env });
    await seed(api, ['north'], [{ login: 'north.a1', role: Role.Agent, practices: ['north'] }]);
    db = api.app.get(DataSource);
    practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    await importFiles(api, practiceId, [{ kind: 'patients', path: path.join(FIXTURES, 'patients.csv') }]);
    campaignId = (
      await launchCampaign(api, practiceId, {
        type: 'reactivation',
        name: 'R',
        agents: ['north.a1'],
        seed: 5,
      })
    ).campaignId;
    const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: api.db.url, LOG_LEVEL: 'silent', ...env });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, api.db.url), {
      logger: false,
    });
    token = await tokenFor(api, 'north.a1');
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await redis?.stop();
  }, 60_000);

  const member = (mrn: string) =>
    api.app.get(DispositionsService).resolveMember(practiceId, { campaignId, mrn });
  const phonesOf = async (mrn: string) =>
    (await db.query(`SELECT phones FROM patient WHERE mrn = $1 AND practice_id = $2`, [mrn, practiceId]))[0]
      .phones as { e164: string; bad?: string }[];
  const post = async (mrn: string, code: string, key: string, extra: Record<string, unknown> = {}) => {
    const started = Date.now();
    const res = await api
      .http()
      .post(`/api/practices/${practiceId}/dispositions`)
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', key)
      .send({ memberId: await member(mrn), code, ...extra });
    return { res, ms: Date.now() - started };
  };

  it(
    'saves every disposition during the outage and runs the queued job after Redis returns',
    async () => {
      await redis.stop();
      const outageStarted = Date.now();
      const calls = [
        await post('K2', 'WNUM', 'outage-1', { phone: '+13125550399' }), // queues mark-bad-number
        await post('K1', 'NOANS', 'outage-2'),
        await post('K4', 'LVM', 'outage-3'),
        await post('K1', 'NOANS', 'outage-2'), // an agent's retry: replayed, not recorded twice
      ];
      for (const { res, ms } of calls) {
        expect(res.status).toBe(201);
        expect(ms).toBeLessThan(3_000); // the save does not wait for Redis
      }
      expect(calls[3].res.body.replayed).toBe(true);
      const health = await api.http().get('/health');
      expect(health.status).toBe(503);
      expect(health.body.error?.queue?.status).toBe('down');

      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM call_attempt WHERE practice_id = $1 AND idempotency_key LIKE 'outage-%'`,
        [practiceId],
      );
      expect(n).toBe(3);
      expect((await phonesOf('K3')).some((p) => p.bad)).toBe(false); // the job has not run yet

      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - outageStarted))));
      await redis.start();
      const back = Date.now();
      await until(
        async () => (await phonesOf('K3')).some((p) => p.e164 === '+13125550399' && p.bad === 'WNUM'),
        60_000,
        'the household number to be marked bad by the queued job',
      );
      expect(Date.now() - back).toBeLessThan(60_000);
      await until(async () => (await api.http().get('/health')).status === 200, 30_000, '/health');
    },
    OUTAGE_MS + 120_000,
  );
});
