import { INestApplicationContext, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ConfigModule, parseConfig } from '@recall/config';
import { Role } from '@recall/core';
import { JobHandlerRegistry, JobQueue, QueueModule } from '@recall/queue';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(100);
  }
}

@Injectable()
class ProbeHandlers {
  calls: string[] = [];
  failNext = 0;
  gate?: Promise<void>;
  constructor(registry: JobHandlerRegistry) {
    registry.register('system.ping', async (p) => {
      this.calls.push(p.nonce);
      if (this.gate) await this.gate;
      if (this.failNext > 0) {
        this.failNext--;
        throw new Error(`boom ${p.nonce}`);
      }
    });
    registry.register('sessions.purge-ended', async () => undefined);
  }
}

@Module({ providers: [ProbeHandlers] })
class ProbeModule {}

describe('job queue, single-process mode (no REDIS_URL)', () => {
  let ctx: INestApplicationContext;
  let queue: JobQueue;
  let probe: ProbeHandlers;

  beforeEach(async () => {
    const config = parseConfig({ NODE_ENV: 'test' });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), QueueModule.forRoot(config, { consume: false }), ProbeModule],
    }).compile();
    ctx = await moduleRef.init();
    queue = ctx.get(JobQueue);
    probe = ctx.get(ProbeHandlers);
  });
  afterEach(() => ctx.close());

  it('runs a job through its registered handler, outside the caller', async () => {
    expect(queue.mode).toBe('in-process');
    const id = await queue.enqueue('system.ping', { requestedBy: 't', nonce: 'a1' });
    expect(id).toBe('system.ping.a1');
    expect(probe.calls).toEqual([]); // not run synchronously inside the caller
    await until(async () => (probe.calls.length ? true : undefined));
    expect(probe.calls).toEqual(['a1']);
  });

  it('does not run the same job id twice while it is pending', async () => {
    let release!: () => void;
    probe.gate = new Promise((r) => (release = r));
    await queue.enqueue('system.ping', { requestedBy: 't', nonce: 'same' });
    await queue.enqueue('system.ping', { requestedBy: 't', nonce: 'same' });
    await sleep(50);
    release();
    await until(async () => ((await queue.counts()).completed === 1 ? true : undefined));
    expect(probe.calls).toEqual(['same']);
  });

  it('keeps a job that failed every attempt visible with its error', async () => {
    probe.failNext = 1; // system.ping has a single attempt
    await queue.enqueue('system.ping', { requestedBy: 't', nonce: 'bad' });
    const [failed] = await until(async () => {
      const f = await queue.failed();
      return f.length ? f : undefined;
    });
    expect(failed).toMatchObject({
      id: 'system.ping.bad',
      name: 'system.ping',
      failedReason: 'boom bad',
      attemptsMade: 1,
    });
  });

  it('drains in-flight jobs on shutdown', async () => {
    let release!: () => void;
    probe.gate = new Promise((r) => (release = r));
    await queue.enqueue('system.ping', { requestedBy: 't', nonce: 'slow' });
    await sleep(20);
    let closed = false;
    const closing = ctx.close().then(() => (closed = true));
    await sleep(100);
    expect(closed).toBe(false);
    release();
    await closing;
    expect(closed).toBe(true);
    expect((await queue.counts()).completed).toBe(1);
    ctx = await (await Test.createTestingModule({}).compile()).init(); // for afterEach
  });
});

const describeRedis = process.env.REDIS_URL ? describe : describe.skip;

describeRedis('job queue through Redis (BullMQ): API enqueues, a worker process runs', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  const prefix = `recall_test_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    const env = { REDIS_URL: process.env.REDIS_URL!, QUEUE_PREFIX: prefix, LOGIN_THROTTLE_LIMIT: '1000' };
    api = await startTestApi({ env });
    await seed(api, ['north'], [{ login: 'ann.admin', role: Role.Admin, practices: ['north'] }]);
    const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: api.db.url, LOG_LEVEL: 'silent', ...env });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, api.db.url), {
      logger: false,
    });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('runs a job enqueued over HTTP in the worker, which writes to the database', async () => {
    expect(api.app.get(JobQueue).mode).toBe('redis');
    const token = await tokenFor(api, 'ann.admin');
    const res = await api
      .http()
      .post('/api/admin/jobs/ping')
      .set('Authorization', `Bearer ${token}`)
      .expect(202);
    const nonce = String(res.body.jobId).replace('system.ping.', '');
    const db = api.app.get(DataSource);
    const row = await until(async () => {
      const rows = await db.query(
        `SELECT * FROM audit_event WHERE action = 'system.ping' AND details->>'nonce' = $1`,
        [nonce],
      );
      return rows[0];
    });
    expect(row).toMatchObject({
      actor_login: 'ann.admin',
      channel: 'worker',
      request_id: `job:${res.body.jobId}`,
    });
    const health = await api.http().get('/health').expect(200);
    expect(health.body.info.queue).toMatchObject({ status: 'up', mode: 'redis' });
  });

  it('shows a failed job with its error after its attempts', async () => {
    worker.get(JobHandlerRegistry).register('system.ping', async () => {
      throw new Error('handler exploded');
    });
    const queue = api.app.get(JobQueue);
    await queue.enqueue('system.ping', { requestedBy: 't', nonce: 'doomed' });
    const failed = await until(async () => (await queue.failed()).find((j) => j.id === 'system.ping.doomed'));
    expect(failed).toMatchObject({ name: 'system.ping', failedReason: 'handler exploded', attemptsMade: 1 });
    const token = await tokenFor(api, 'ann.admin');
    const jobs = await api.http().get('/api/admin/jobs').set('Authorization', `Bearer ${token}`).expect(200);
    expect(jobs.body.failed.some((j: { id: string }) => j.id === 'system.ping.doomed')).toBe(true);
  });
});
