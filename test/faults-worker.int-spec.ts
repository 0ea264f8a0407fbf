import { FixedClock, Role } from '@recall/core';
import { DispositionsService } from '@recall/dispositions';
import { ImportsService } from '@recall/imports';
import { JobQueue } from '@recall/queue';
import { RollupRefreshService } from '@recall/reports';
import { Client } from 'pg';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { appEnv } from './support/app-process';
import { writeEmrExport } from './support/emr-export';
import { PrivateRedis, until } from './support/faults';
import { asSystem, importFiles, launchCampaign } from './support/scenario';
import { seed, startTestApi, TestApi } from './support/test-api';

const root = path.resolve(__dirname, '..');
const ROWS = Number(process.env.RECALL_FAULT_IMPORT_ROWS ?? 60_000);
const SMALL = path.join(__dirname, 'fixtures/dispositions/patients.csv');
const NOW = '2026-06-15T15:00:00Z'; // Monday 10:00 in Chicago

/**
 * A worker process killed with SIGKILL in the middle of a job: once its lock lapses another
 * worker retries the job, and the result equals an undisturbed run of the same work.
 */
describe('faults: a worker killed mid-job', () => {
  let redis: PrivateRedis;
  let api: TestApi;
  let db: DataSource;
  let workerEnv: NodeJS.ProcessEnv;
  const workers: ChildProcess[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'recall-faults-'));
  const file = path.join(dir, 'patients.csv');

  const startWorker = (): ChildProcess => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'test/support/ts-child.js'), 'apps/worker/src/main.ts'],
      {
        cwd: root,
        env: workerEnv,
        stdio: 'ignore',
      },
    );
    workers.push(child);
    return child;
  };
  const kill9 = async (child: ChildProcess) => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };

  /** Holds `sql` (a lock) in an open transaction until released, so a job blocks part-way. */
  const hold = async (sql: string, params: unknown[] = []) => {
    const c = new Client({ connectionString: api.db.url });
    await c.connect();
    await c.query('BEGIN');
    await c.query(sql, params);
    return async () => {
      await c.query('ROLLBACK');
      await c.end();
    };
  };
  /** Until a backend of the worker waits for a lock, inside its job. */
  const blocked = () =>
    until(
      async () =>
        (
          await db.query(
            `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE NOT l.granted AND a.datname = current_database() AND a.pid <> pg_backend_pid()`,
          )
        )[0],
      60_000,
      'the worker to block part-way through its job',
    );
  /** Until the queue has nothing waiting or running (the schedules' next runs stay delayed). */
  const drained = () =>
    until(
      async () => {
        const c = await api.app.get(JobQueue).counts();
        return c.waiting + c.active === 0;
      },
      60_000,
      'the queue to drain',
    );
  const agentIndex = (login: string) => login.split('.')[1];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: `faults_${randomBytes(4).toString('hex')}` };
    api = await startTestApi({ clock: new FixedClock(NOW), env: { ...env, IMPORT_PARSE_THREADS: '1' } });
    await seed(
      api,
      ['crashed', 'clean', 'north', 'south'],
      ['north', 'south'].flatMap((p) => [
        ...['a1', 'a2'].map((a) => ({ login: `${p}.${a}`, role: Role.Agent, practices: [p] })),
        { login: `${p}.manager`, role: Role.Manager, practices: [p] },
      ]),
    );
    db = api.app.get(DataSource);
    workerEnv = appEnv({
      ...env,
      DATABASE_URL: api.db.url,
      NODE_ENV: 'test',
      RECALL_NOW: NOW,
      LOG_LEVEL: 'silent',
      IMPORT_PARSE_THREADS: '1',
      WORKER_CONCURRENCY: '1',
      WORKER_LOCK_MS: '2000',
      WORKER_STALLED_CHECK_MS: '1000',
    });
    await writeEmrExport(file, ROWS, { seed: 7 });
  }, 120_000);
  afterEach(async () => {
    for (const w of workers.splice(0)) if (w.exitCode === null && w.signalCode === null) await kill9(w);
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) await kill9(w);
    await api?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const practice = async (slug: string) =>
    (await db.query(`SELECT id FROM practice WHERE slug = $1`, [slug]))[0].id as string;
  const patientsOf = async (practiceId: string) =>
    db.query(
      `SELECT mrn, join_key, first_name, last_name, birth_date::text, state, zip, time_zone, phones, content_hash
       FROM patient WHERE practice_id = $1 ORDER BY mrn`,
      [practiceId],
    );

  it('an import: retried by another worker, ending as an undisturbed import does', async () => {
    const crashed = await practice('crashed');
    const imports = api.app.get(ImportsService);
    const importId = await asSystem(async () => {
      const draft = await imports.createDraft(
        crashed,
        [{ kind: 'patients', name: 'patients.csv', path: file, owned: false }],
        null,
      );
      await imports.start(crashed, draft.id, { mapping: draft.mapping }, null); // enqueued in Redis
      return draft.id;
    });
    const first = startWorker();
    await until(
      async () =>
        (
          await db.query(
            `SELECT 1 FROM patient_import WHERE id = $1 AND status = 'running' AND rows_done > 0`,
            [importId],
          )
        )[0],
      90_000,
      'the first worker to be part-way through the import',
    );
    await kill9(first);
    expect(await patientsOf(crashed)).toEqual([]); // nothing half-applied

    startWorker();
    const done = await until(
      async () =>
        (
          await db.query(`SELECT status, summary FROM patient_import WHERE id = $1 AND status <> 'running'`, [
            importId,
          ])
        )[0],
      120_000,
      'the import to be retried to its end',
    );
    expect(done.status).toBe('succeeded');

    const clean = await practice('clean');
    await importFiles(api, clean, [{ kind: 'patients', path: file }]);
    const [{ summary }] = await db.query(
      `SELECT summary FROM patient_import WHERE practice_id = $1 AND status = 'succeeded'`,
      [clean],
    );
    expect(done.summary).toMatchObject({
      totalRows: summary.totalRows,
      accepted: summary.accepted,
      created: summary.created,
      mergedRows: summary.mergedRows,
    });
    const [a, b] = [await patientsOf(crashed), await patientsOf(clean)];
    expect(a.length).toBeGreaterThan(ROWS / 2);
    expect(a).toEqual(b);
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'imports.run' AND entity_id = $1`,
      [importId],
    );
    expect(n).toBe(1); // one recorded run, not one per attempt
  }, 240_000);

  it('a cycle rollover: retried, one open cycle per campaign, as a clean build with the same seed', async () => {
    const north = await practice('north');
    await importFiles(api, north, [{ kind: 'patients', path: SMALL }]);
    const campaigns = [];
    for (const name of ['Reactivation', 'Second'])
      campaigns.push(
        (await launchCampaign(api, north, { type: 'reactivation', name, agents: ['north.a1', 'north.a2'] }))
          .campaignId,
      );
    // Blocks writes to the assignments: the build stops inside its transaction.
    const release = await hold(`LOCK TABLE cycle_assignment IN SHARE MODE`);
    await api.app.get(JobQueue).enqueue('cycles.rollover', {});
    const first = startWorker();
    await blocked();
    await kill9(first);
    await release();
    startWorker();
    await until(
      async () =>
        (
          await db.query(
            `SELECT count(DISTINCT campaign_id)::int AS n FROM call_cycle WHERE practice_id = $1 AND status = 'open'`,
            [north],
          )
        )[0].n === 2,
      60_000,
      'both campaigns to have their cycle',
    );
    await drained();
    expect(await api.app.get(JobQueue).failed()).toEqual([]);
    const cycles = await db.query(
      `SELECT cy.campaign_id, cy.seq, cy.seed FROM call_cycle cy JOIN campaign c ON c.id = cy.campaign_id
       WHERE cy.practice_id = $1 ORDER BY c.name`,
      [north],
    );
    expect(cycles.map((c: { seq: number }) => c.seq)).toEqual([1, 1]); // one cycle each, built once

    // The undisturbed run: the same patients and campaign in another practice, with the same seed.
    const south = await practice('south');
    await importFiles(api, south, [{ kind: 'patients', path: SMALL }]);
    const assignments = (practiceId: string, campaignId: string) =>
      db.query(
        `SELECT p.mrn, u.login, a.due_on::text, a.reason, a.priority, a.state
           FROM cycle_assignment a JOIN call_cycle cy ON cy.id = a.cycle_id
           JOIN campaign_member m ON m.id = a.member_id JOIN patient p ON p.id = m.patient_id
           JOIN app_user u ON u.id = a.agent_id
           WHERE cy.practice_id = $1 AND cy.campaign_id = $2 ORDER BY p.mrn, a.due_on`,
        [practiceId, campaignId],
      );
    let total = 0; // the second campaign may find every patient taken by the first
    for (const c of cycles) {
      const clean = await launchCampaign(api, south, {
        type: 'reactivation',
        name: `clean ${c.campaign_id}`,
        agents: ['south.a1', 'south.a2'],
        seed: Number(c.seed),
      });
      // The shuffle runs over member ids, which differ between the practices: compare who is
      // in the cycle and why, how many each agent gets, and the days.
      const shape = (
        rows: {
          mrn: string;
          login: string;
          due_on: string;
          reason: string;
          priority: number;
          state: string;
        }[],
      ) => ({
        members: rows.map((r) => [r.mrn, r.reason, r.priority, r.state].join('|')).sort(),
        loads: rows.map((r) => agentIndex(r.login)).sort(),
        days: [...new Set(rows.map((r) => r.due_on))].sort(),
      });
      const got = shape(await assignments(north, c.campaign_id));
      total += got.members.length;
      expect(new Set(got.members.map((m) => m.split('|')[0])).size).toBe(got.members.length); // once each
      expect(got).toEqual(shape(await assignments(south, clean.campaignId)));
    }
    expect(total).toBeGreaterThan(0);
  }, 120_000);

  it('a rollup refresh: retried, the rollups equal a rebuild from the attempt log', async () => {
    const north = await practice('north');
    const [{ id: campaignId }] = await db.query(
      `SELECT id FROM campaign WHERE practice_id = $1 AND name = 'Reactivation'`,
      [north],
    );
    const dispositions = api.app.get(DispositionsService);
    const [{ id: managerId }] = await db.query(`SELECT id FROM app_user WHERE login = 'north.manager'`);
    const [{ id: agentId }] = await db.query(`SELECT id FROM app_user WHERE login = 'north.a1'`);
    let n = 0;
    for (const [mrn, code] of [
      ['K1', 'NOANS'],
      ['K2', 'LVM'],
      ['K4', 'NOANS'],
      ['K5', 'UNAVLBL'],
      ['K1', 'LVM'],
    ]) {
      await asSystem(async () =>
        dispositions.record(
          north,
          {
            memberId: await dispositions.resolveMember(north, { campaignId, mrn }),
            agentId,
            code,
            idempotencyKey: `refresh-${++n}`,
            source: 'api',
          },
          { id: managerId, role: Role.Manager },
        ),
      );
    }
    expect(
      (await db.query(`SELECT 1 FROM report_dirty WHERE practice_id = $1`, [north])).length,
    ).toBeGreaterThan(0);
    // The rollups of the dirty days are rebuilt and committed; the backlog waits for the lock.
    const release = await hold(`SELECT pg_advisory_lock(hashtext('reports-backlog:' || $1))`, [north]);
    await api.app.get(JobQueue).enqueue('reports.refresh', {});
    const first = startWorker();
    await blocked();
    await kill9(first);
    await release();
    startWorker();
    await drained();
    expect(await api.app.get(JobQueue).failed()).toEqual([]);

    const tables = [
      'report_attempt_day',
      'report_hour_day',
      'report_booking_day',
      'report_attempt_period',
      'report_booking_period',
      'report_agent_day',
      'report_backlog',
    ];
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const t of tables) {
        out[t] = (
          await db.query(
            `SELECT to_jsonb(t) - 'computed_at' AS row FROM ${t} t WHERE practice_id = $1 ORDER BY (to_jsonb(t) - 'computed_at')::text`,
            [north],
          )
        ).map((r: { row: unknown }) => r.row);
      }
      return out;
    };
    const afterFault = await snapshot();
    expect(afterFault.report_attempt_day.length).toBeGreaterThan(0);
    // The undisturbed result: every day rebuilt from the attempt log, in this process.
    const refresh = api.app.get(RollupRefreshService);
    await refresh.markAll(north);
    await refresh.refresh(north);
    expect(afterFault).toEqual(await snapshot());
  }, 120_000);
});
