/**
 * The why-not breakdown is one set-based statement over the whole population; this measures
 * it (and explain, the per-reason list, and launch's enrolment) on a generated practice.
 *   npm run bench -- campaigns [--patients 100000] [--visits-per-patient 4] [--runs 5] [--seed 42]
 * Uses DATABASE_URL's server (a scratch database) or an embedded PostgreSQL in .data/bench-pg.
 */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@recall/audit';
import { AuthModule } from '@recall/auth';
import { CampaignsModule, CampaignsService, type CampaignType } from '@recall/campaigns';
import { ConfigModule, parseConfig } from '@recall/config';
import { FixedClock, RequestContext } from '@recall/core';
import { DatabaseModule, migrateDatabase } from '@recall/database';
import { QueueModule } from '@recall/queue';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { flag, withBenchDatabase } from './support';

const TODAY = '2026-06-15';
const TYPES: CampaignType[] = ['reactivation', 'no_show', 'cancelled', 'no_encounters', 'patient_reviews'];

async function time<T>(runs: number, fn: () => Promise<T>): Promise<{ result: T; ms: number[] }> {
  const ms: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    ms.push(performance.now() - t);
  }
  return { result, ms: ms.sort((a, b) => a - b) };
}

const median = (ms: number[]) => ms[Math.floor(ms.length / 2)].toFixed(0);
const worst = (ms: number[]) => ms[ms.length - 1].toFixed(0);

/** Patients with 0–60 months since their last visit, a third with appointment history. */
async function generate(db: DataSource, practiceId: string, patients: number, visits: number, seed: number) {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT setseed($1)`, [(seed % 1000) / 1000]);
    await runner.query(
      `INSERT INTO patient (practice_id, mrn, join_key, first_name, last_name, match_name, birth_date,
         state, zip, time_zone, time_zone_source, phones, provider, deceased, inactive, do_not_call_at,
         listed_last_visit_on, content_hash)
       SELECT $1, 'M' || g, 'M' || g, 'First' || g, 'Last' || (g % 5000), 'first' || g || ' last',
         date '1940-01-01' + (random() * 29000)::int, 'IL', '60601', 'America/Chicago', 'zip',
         jsonb_build_array(jsonb_build_object('e164', '+1312555' || lpad((g % 10000)::text, 4, '0'),
           'extension', NULL, 'raw', '312-555-' || (g % 10000), 'type', 'mobile', 'valid', random() > 0.04)),
         (ARRAY['Dr. Kim', 'Dr. Lee', 'Dr. Patel', 'Dr. Ruiz'])[1 + (g % 4)],
         random() < 0.01, random() < 0.02,
         CASE WHEN random() < 0.01 THEN now() END,
         CASE WHEN random() < 0.9 THEN $2::date - (random() * 1825)::int END, md5(g::text)
       FROM generate_series(1, $3) g`,
      [practiceId, TODAY, patients],
    );
    await runner.query(
      `INSERT INTO visit (practice_id, patient_id, kind, source_key, occurs_on, status, content_hash)
       SELECT $1, p.id, CASE WHEN v % 2 = 0 THEN 'encounter' ELSE 'appointment' END, p.mrn || '-' || v,
         $2::date - (random() * 1500)::int + 60,
         (ARRAY['completed', 'completed', 'no_show', 'cancelled', 'scheduled'])[1 + floor(random() * 5)::int],
         md5(p.mrn || v)
       FROM patient p CROSS JOIN generate_series(1, $3) v
       WHERE p.practice_id = $1 AND random() < 0.35`,
      [practiceId, TODAY, visits],
    );
    await runner.query(`SELECT recall_analyze('patient'), recall_analyze('visit')`);
  } finally {
    await runner.release();
  }
}

export async function runCampaignsBench(argv: string[]): Promise<void> {
  const patients = flag(argv, 'patients', 100_000);
  const visits = flag(argv, 'visits-per-patient', 4);
  const runs = flag(argv, 'runs', 5);
  const seed = flag(argv, 'seed', 42);
  await withBenchDatabase(async (url) => {
    await migrateDatabase(url);
    const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent' });
    @Module({
      imports: [
        ConfigModule.forRoot(config, new FixedClock(`${TODAY}T15:00:00Z`)),
        DatabaseModule.forRoot(url),
        QueueModule.forRoot(config, { consume: false }),
        AuditModule,
        AuthModule,
        CampaignsModule,
      ],
    })
    class BenchModule {}
    const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
    const db = app.get(DataSource);
    const campaigns = app.get(CampaignsService);
    const [practice] = await db.query(
      `INSERT INTO practice (slug, name, timezone) VALUES ('bench', 'Bench', 'America/Chicago') RETURNING id`,
    );
    const genStart = performance.now();
    await generate(db, practice.id, patients, visits, seed);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM visit`);
    const genSeconds = ((performance.now() - genStart) / 1000).toFixed(1);

    const rows: Record<string, string | number>[] = [];
    await RequestContext.run({ requestId: 'bench', channel: 'system' }, async () => {
      for (const type of TYPES) {
        const c = await campaigns.create(practice.id, { type, name: `bench ${type}` }, null);
        const e = await time(runs, () => campaigns.eligibility(practice.id, c.id));
        const list = await time(runs, () =>
          campaigns.eligibilityList(practice.id, c.id, 'eligible', { limit: 50 }),
        );
        const explain = await time(runs, () =>
          campaigns.explain(practice.id, c.id, { mrn: `M${patients >> 1}` }),
        );
        rows.push({
          campaign: type,
          candidates: e.result.candidates,
          eligible: e.result.eligible,
          'breakdown p50 ms': median(e.ms),
          'breakdown max ms': worst(e.ms),
          'list p50 ms': median(list.ms),
          'explain p50 ms': median(explain.ms),
        });
      }
      const c = await campaigns.create(
        practice.id,
        { type: 'reactivation', name: 'bench launch', agentIds: [] },
        null,
      );
      await campaigns.savePlan(practice.id, c.id, {});
      await db.query(
        `INSERT INTO app_user (login, display_name, role, password_hash, password_changed_at)
           VALUES ('bench.agent', 'Bench Agent', 'agent', 'x', now()) RETURNING id`,
      );
      await db.query(
        `INSERT INTO user_practice (user_id, practice_id) SELECT id, $1 FROM app_user WHERE login = 'bench.agent'`,
        [practice.id],
      );
      await campaigns.update(practice.id, c.id, { agentLogins: ['bench.agent'] });
      const launch = await time(1, () => campaigns.transition(practice.id, c.id, 'launch'));
      rows.push({
        campaign: 'launch (enrol reactivation)',
        candidates: '',
        eligible: launch.result.members.open,
        'breakdown p50 ms': median(launch.ms),
        'breakdown max ms': '',
        'list p50 ms': '',
        'explain p50 ms': '',
      });
    });
    console.log(
      `\ncampaigns benchmark: ${patients} patients, ${n} visits (generated in ${genSeconds}s), ${runs} runs each`,
    );
    console.table(rows);
    await app.close();
  });
}
