/**
 * Reports on a big attempt log: a year of calls drawn from the demo's call model
 * (bench/simulated-attempts.ts: members called weekly until they book, refuse or reach the cap
 * of 5, pickup by hour and age, bookings kept at the show rate), written with COPY until the
 * log holds --attempts rows; rebuilds every rollup from scratch, then times each report
 * (from the rollups) and a drill-down into the raw log, and writes dispositions-style rows
 * while a refresh runs to show the refresh never blocks writers.
 *   npm run bench -- reports [--attempts 5000000] [--agents 50] [--runs 20] [--seed 42] [--hold 0]
 * (--hold N keeps the generated database N seconds after the timings, to EXPLAIN against it.)
 * Uses DATABASE_URL's server (a scratch database) or an embedded PostgreSQL in .data/bench-pg.
 */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@recall/audit';
import { AuthModule } from '@recall/auth';
import { CampaignsModule } from '@recall/campaigns';
import { ConfigModule, parseConfig } from '@recall/config';
import { FixedClock, RequestContext } from '@recall/core';
import { DatabaseModule, migrateDatabase } from '@recall/database';
import { QueueModule } from '@recall/queue';
import { DEFAULT_SIMULATION_PARAMS } from '@recall/simulation';
import { REPORT_NAMES, ReportsModule, ReportsService, RollupRefreshService } from '@recall/reports';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { type BenchYear, copyYear, planMembers } from './simulated-attempts';
import { flag, maintain, percentile, withBenchDatabase } from './support';

const NOW = '2026-06-15T22:00:00Z';
const TODAY = '2026-06-15';

export async function runReportsBench(argv: string[]): Promise<void> {
  const attempts = flag(argv, 'attempts', 5_000_000);
  const agents = flag(argv, 'agents', 50);
  const runs = flag(argv, 'runs', 20);
  const seed = flag(argv, 'seed', 42);
  const hold = flag(argv, 'hold', 0);
  await withBenchDatabase((url) => run(url, { attempts, agents, runs, seed, hold }));
}

async function run(
  url: string,
  o: { attempts: number; agents: number; runs: number; seed: number; hold: number },
) {
  await migrateDatabase(url);
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    RECALL_DEMO: 'false',
  });
  @Module({
    imports: [
      ConfigModule.forRoot(config, new FixedClock(NOW)),
      DatabaseModule.forRoot(url),
      QueueModule.forRoot(config, { consume: false }),
      AuditModule,
      AuthModule,
      CampaignsModule,
      ReportsModule,
    ],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const db = app.get(DataSource);
  try {
    const t0 = performance.now();
    const year: BenchYear = {
      params: DEFAULT_SIMULATION_PARAMS,
      seed: o.seed,
      today: TODAY,
      agents: o.agents,
      cap: 5,
    };
    const plan = planMembers(year, o.attempts);
    const members = plan.counts.length;
    process.stderr.write(`generating ${members} members and ${o.attempts} simulated calls over a year…\n`);
    const [practice] = await db.query(
      `INSERT INTO practice (slug, name, timezone) VALUES ('bench', 'Bench', 'America/Chicago') RETURNING id`,
    );
    await db.query(
      `INSERT INTO app_user (login, display_name, role, password_hash, password_changed_at)
       SELECT 'agent' || g, 'Agent ' || g, 'agent', 'x', now() FROM generate_series(1, $1) g`,
      [o.agents],
    );
    await db.query(`INSERT INTO user_practice (user_id, practice_id) SELECT id, $1 FROM app_user`, [
      practice.id,
    ]);
    const [campaign] = await db.query(
      `INSERT INTO campaign (practice_id, type, name, status, rule, settings, plan, plan_patients, script,
                             voicemail_script, launched_at)
       VALUES ($1, 'reactivation', 'Bench reactivation', 'active', '{}', '{"attemptCap": 5}', '{}', $2, '', '',
               $3::timestamptz - interval '365 days') RETURNING id`,
      [practice.id, members, NOW],
    );
    await db.query(`INSERT INTO campaign_agent (campaign_id, user_id) SELECT $1, id FROM app_user`, [
      campaign.id,
    ]);
    await db.query(
      `INSERT INTO patient (practice_id, mrn, join_key, first_name, last_name, match_name, birth_date, state, zip,
         time_zone, time_zone_source, phones, deceased, content_hash)
       SELECT $1, 'M' || g, 'M' || g, 'F' || g, 'L' || g, 'f' || g, date '1940-01-01' + (g % 29000), 'IL', '60601',
         'America/Chicago', 'zip', '[]', false, md5(g::text)
       FROM generate_series(1, $2) g`,
      [practice.id, members],
    );
    await maintain(url, 'ANALYZE patient');
    await db.query(
      `INSERT INTO campaign_member (campaign_id, practice_id, patient_id, state, attempts, attempt_cap, enrolled_at, closed_at)
       SELECT $1, $2, p.id, s.state, s.n, 5, $3::timestamptz - interval '365 days',
              CASE WHEN s.state <> 'open' THEN $3::timestamptz END
       FROM unnest($4::text[], $5::int[]) WITH ORDINALITY AS s(state, n, g)
       JOIN patient p ON p.practice_id = $2 AND p.mrn = 'M' || s.g`,
      [campaign.id, practice.id, NOW, plan.states, plan.counts],
    );
    const agentIds: string[] = (await db.query(`SELECT id FROM app_user ORDER BY login`)).map(
      (u: { id: string }) => u.id,
    );
    const memberRows: { memberId: string; patientId: string }[] = await db.query(
      `SELECT m.id AS "memberId", m.patient_id AS "patientId"
       FROM campaign_member m JOIN patient p ON p.id = m.patient_id ORDER BY substr(p.mrn, 2)::int`,
    );
    // COPY is refused under row-level security: the data is written as the login, as a
    // restore would be, on a connection of its own.
    const client = new Client({ connectionString: url });
    await client.connect();
    const written = await copyYear(
      client,
      year,
      { practiceId: practice.id, campaignId: campaign.id, agentIds },
      memberRows,
      plan.counts,
    ).finally(() => client.end());
    await maintain(url, `VACUUM (ANALYZE) call_attempt`);
    const generated = (performance.now() - t0) / 1000;

    const refresh = app.get(RollupRefreshService);
    const t1 = performance.now();
    await refresh.markAll(practice.id);
    const days = await refresh.refresh(practice.id);
    const rebuildS = (performance.now() - t1) / 1000;
    await maintain(url, `VACUUM (ANALYZE)`);
    const [{ rollupRows }] = await db.query(
      `SELECT (SELECT count(*) FROM report_attempt_day) + (SELECT count(*) FROM report_hour_day)
            + (SELECT count(*) FROM report_booking_day) AS "rollupRows"`,
    );

    const reports = app.get(ReportsService);
    // As the API runs them: in a request for the practice, under its row-level security.
    const asRequest = <T>(fn: () => Promise<T>) =>
      RequestContext.run({ requestId: 'bench', channel: 'api', practiceId: practice.id }, fn);
    const table: Record<string, string | number>[] = [];
    const filters = [
      { label: 'last 30 days', f: { campaignId: campaign.id } },
      { label: 'whole year', f: { from: '2025-06-16', to: TODAY, campaignId: campaign.id } },
      { label: 'one agent, year', f: { from: '2025-06-16', to: TODAY, agentId: agentIds[0] } },
    ];
    for (const name of REPORT_NAMES) {
      for (const { label, f } of filters) {
        if (name === 'roi' && !f.campaignId) continue;
        const ms: number[] = [];
        for (let i = 0; i < o.runs; i++) {
          const t = performance.now();
          await asRequest(() => reports.report(practice.id, name, f));
          ms.push(performance.now() - t);
        }
        ms.sort((a, b) => a - b);
        table.push({
          report: name,
          range: label,
          'p50 ms': percentile(ms, 50).toFixed(1),
          'p95 ms': percentile(ms, 95).toFixed(1),
        });
      }
    }
    // Drill-down: the raw attempts behind a cell (one agent's calls on one day), newest first.
    const drill: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      const day = `2026-0${1 + (i % 5)}-1${i % 10}`;
      const t = performance.now();
      await asRequest(() =>
        reports.drilldown(practice.id, {
          from: day,
          to: day,
          campaignId: campaign.id,
          agentId: agentIds[i % agentIds.length],
        }),
      );
      drill.push(performance.now() - t);
    }
    drill.sort((a, b) => a - b);
    table.push({
      report: 'drill-down (raw log)',
      range: 'one agent, one day',
      'p50 ms': percentile(drill, 50).toFixed(1),
      'p95 ms': percentile(drill, 95).toFixed(1),
    });

    if (o.hold > 0) {
      process.stderr.write(
        `holding ${new URL(url).pathname.slice(1)} for ${o.hold} s (practice ${practice.id})\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, o.hold * 1000));
    }

    // Writers while a full refresh runs: plain appends of dirty markers and attempts.
    await refresh.markAll(practice.id);
    const member = (await db.query(`SELECT id, patient_id FROM campaign_member LIMIT 1`))[0];
    const writes: number[] = [];
    let refreshing = true;
    const refreshRun = refresh.refresh(practice.id).finally(() => (refreshing = false));
    let k = 0;
    while (refreshing) {
      const t = performance.now();
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO call_attempt (practice_id, campaign_id, member_id, patient_id, agent_id, recorded_by, ended_at, code,
             patient_local_hour, member_state, member_before, outcome, idempotency_key, request_hash, source)
           VALUES ($1, $2, $3, $4, $5, $5, $6, 'LVM', 10, 'open', '{}', '{}', $7, '', 'api')`,
          [practice.id, campaign.id, member.id, member.patient_id, agentIds[0], NOW, `w-${++k}`],
        );
        await tx.query(`INSERT INTO report_dirty (practice_id, day) VALUES ($1, $2)`, [practice.id, TODAY]);
      });
      writes.push(performance.now() - t);
    }
    await refreshRun;
    writes.sort((a, b) => a - b);

    console.table([
      {
        attempts: written.attempts,
        members,
        visits: written.visits,
        'generate s': generated.toFixed(0),
        'full rebuild s': rebuildS.toFixed(1),
        'days rebuilt': days,
        'rollup rows': Number(rollupRows),
      },
    ]);
    console.table(table);
    console.table([
      {
        'writes during a refresh': writes.length,
        'write p50 ms': writes.length ? percentile(writes, 50).toFixed(1) : '-',
        'write max ms': writes.length ? writes[writes.length - 1].toFixed(1) : '-',
      },
    ]);
  } finally {
    await app.close();
  }
}
