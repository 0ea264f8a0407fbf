import { PracticesService } from '@recall/auth';
import { parseConfig } from '@recall/config';
import { FixedClock, Role } from '@recall/core';
import { ImportsService } from '@recall/imports';
import { JobQueue } from '@recall/queue';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/create-app';
import { PLANTED } from './support/planted';
import { launchCampaign } from './support/scenario';
import { PASSWORD, seed, TestApi } from './support/test-api';
import { createTestDatabase } from './support/test-database';

const FIXTURE = path.join(__dirname, 'fixtures/privacy/patients.csv');
// In the forms the planted phone takes on its way (E.164, digits, as typed).
const PHONES = ['+13125550147', '3125550147', '555-0147', '+13125550157', '3125550157', '(312) 555-0157'];
const describeRedis = process.env.REDIS_URL ? describe : describe.skip;

/**
 * Logs (at debug) and queue payloads never carry patient data: an import, a preview, a search,
 * look-ups by MRN, and dispositions with remarks naming the patient, through the API, then
 * the captured log and every key and value under the queue's Redis prefix are scanned.
 */
describeRedis('privacy: logs and queue payloads carry no patient data', () => {
  let api: TestApi;
  let redis: Redis;
  const log: string[] = [];
  const prefix = `recall_privacy_${randomBytes(4).toString('hex')}`;
  let practiceId: string;
  let token: string;
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    const db = await createTestDatabase();
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      LOG_LEVEL: 'debug',
      REDIS_URL: process.env.REDIS_URL!,
      QUEUE_PREFIX: prefix,
      LOGIN_THROTTLE_LIMIT: '1000',
      MFA_REQUIRED_ROLES: 'none', // as startTestApi: the manager signs in with a password
    };
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        log.push(chunk.toString());
        done();
      },
    });
    const app = await createApiApp({
      config: parseConfig(env),
      databaseUrl: db.url,
      clock: new FixedClock('2026-06-15T15:00:00Z'),
      logStream,
    });
    await app.init();
    api = {
      app,
      db,
      http: () => request(app.getHttpServer()),
      close: async () => {
        await app.close();
        await db.drop();
      },
    };
    redis = new Redis(process.env.REDIS_URL!);
    await seed(
      api,
      ['north'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.agent', role: Role.Agent, practices: ['north'] },
      ],
    );
    practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    token = (await api.http().post('/api/auth/token').send({ login: 'north.manager', password: PASSWORD }))
      .body.token;
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await api.close();
  });

  it('runs an import, look-ups and dispositions without a planted value in the log or in Redis', async () => {
    const base = `/api/practices/${practiceId}`;
    expect(api.app.get(JobQueue).mode).toBe('redis');
    const upload = await api
      .http()
      .post(`${base}/imports`)
      .set(auth())
      .attach('patients', FIXTURE, 'Quillbottom Zephyrine export.csv')
      .expect(201);
    const preview = await api
      .http()
      .post(`${base}/imports/${upload.body.id}/preview`)
      .set(auth())
      .send({})
      .expect(200);
    expect(JSON.stringify(preview.body)).toContain('Quillbottom'); // the data is there, in the response only
    await api
      .http()
      .post(`${base}/imports/${upload.body.id}/start`)
      .set(auth())
      .send({ mapping: preview.body.mapping })
      .expect(202);
    // No worker here: the job waits in Redis (to be scanned); the import runs as a worker would run it.
    await api.app.get(ImportsService).runInline(upload.body.id);

    await api.http().get(`${base}/patients?search=Quillbottom`).set(auth()).expect(200);
    await api.http().get(`${base}/patients?search=555-0147`).set(auth()).expect(200);
    const patient = await api.http().get(`${base}/patients/by-mrn/MRN-ZQ-4471`).set(auth()).expect(200);
    await api.http().get(`${base}/patients/by-mrn/MRN-NO-0000-Fennimore`).set(auth()).expect(404);

    const { campaignId } = await launchCampaign(api, practiceId, {
      type: 'reactivation',
      name: 'Reactivation',
      agents: ['north.agent'],
      seed: 2,
    });
    const [{ id: agentId }] = await api.app
      .get(DataSource)
      .query(`SELECT id FROM app_user WHERE login = 'north.agent'`);
    const dispose = (body: object, status: number) =>
      api
        .http()
        .post(`${base}/dispositions`)
        .set(auth())
        .send({ campaignId, agentId, ...body })
        .expect((res) =>
          expect({ status: res.status, body: res.body }).toEqual({
            status,
            body: res.status === status ? res.body : '?',
          }),
        )
        .catch((e: Error) => Promise.reject(e));
    await dispose(
      {
        mrn: 'MRN-ZQ-4471',
        code: 'WNUM',
        phone: '+13125550147',
        idempotencyKey: 'privacy-logs-1',
        remarks: 'Zephyrine Quillbottom moved',
      },
      201,
    );
    await dispose(
      {
        mrn: 'MRN-BS-5582',
        code: 'LOST',
        reason: 'Snodgrassia passed away',
        idempotencyKey: 'privacy-logs-2',
      },
      201,
    );
    await dispose(
      { mrn: 'MRN-BS-5582', code: 'NOPE', remarks: 'Snodgrassia 555-0157', idempotencyKey: 'privacy-logs-3' },
      400,
    );
    await dispose(
      { mrn: 'MRN-OF-8815', code: 'DONE', idempotencyKey: 'privacy-logs-4', remarks: 'Fennimore' },
      400,
    );
    await api
      .http()
      .post(`${base}/remarks/screen`)
      .set(auth())
      .send({ text: 'Brimblecombe says her lawyer will call, 555-0157' })
      .expect(200);
    expect(JSON.stringify(patient.body)).toContain('Quillbottom');

    const lines = log.join('');
    expect(lines).toMatch(/"route":"\/api\/practices\/:practiceId\/patients\/by-mrn\/:mrn"/);
    expect(lines).toMatch(/"path":"\/api\/practices\/[0-9a-f-]{36}\/patients\/by-mrn\/:value"/);
    expect(lines).toMatch(/"statusCode":400/);
    const leaks = [...PLANTED, ...PHONES].filter((p) => lines.includes(p));
    expect(leaks).toEqual([]);

    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.some((k) => k.includes('imports.run'))).toBe(true);
    expect(keys.some((k) => k.includes('dispositions.mark-bad-number'))).toBe(true);
    let stored = keys.join('\n');
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === 'hash') stored += JSON.stringify(await redis.hgetall(key));
      else if (type === 'string') stored += await redis.get(key);
      else if (type === 'list') stored += (await redis.lrange(key, 0, -1)).join('\n');
      else if (type === 'zset') stored += (await redis.zrange(key, 0, -1)).join('\n');
      else if (type === 'set') stored += (await redis.smembers(key)).join('\n');
      else if (type === 'stream') stored += JSON.stringify(await redis.xrange(key, '-', '+'));
    }
    expect(stored).toContain(upload.body.id);
    expect([...PLANTED, ...PHONES].filter((p) => stored.includes(p))).toEqual([]);
  });
});
