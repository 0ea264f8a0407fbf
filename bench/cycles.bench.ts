/**
 * Cycle builds and the agents' queue on a large practice: 1,000,000 patients, a campaign of
 * 125,000 open members and 50 agents × 250 calls × 10 days. Times rebuilds of a cycle that has
 * not started (the replaced one is deleted), one agent fetching their queue alone, every agent
 * fetching at once, and the next cycle's build over a started one (it is closed: its pending
 * items are marked removed, every member carries over to another agent).
 *   npm run bench -- cycles [--patients 1000000] [--members 125000] [--agents 50] [--fetches 20] [--seed 42]
 * Uses DATABASE_URL's server (a scratch database) or an embedded PostgreSQL in .data/bench-pg.
 */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@recall/audit';
import { AuthModule } from '@recall/auth';
import { CampaignsModule, CampaignsService } from '@recall/campaigns';
import { ConfigModule, parseConfig } from '@recall/config';
import { FixedClock, RequestContext } from '@recall/core';
import { CyclesModule, CyclesService, QueueService } from '@recall/cycles';
import { DatabaseModule, migrateDatabase } from '@recall/database';
import { QueueModule } from '@recall/queue';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { flag, maintain, percentile, withBenchDatabase } from './support';

// Monday 2026-06-15, 11:00 in Chicago: inside federal and campaign calling hours.
const NOW = '2026-06-15T16:00:00Z';
const TODAY = '2026-06-15';

const pct = percentile;

export async function runCyclesBench(argv: string[]): Promise<void> {
  const patients = flag(argv, 'patients', 1_000_000);
  const members = flag(argv, 'members', 125_000);
  const agentCount = flag(argv, 'agents', 50);
  const fetches = flag(argv, 'fetches', 20);
  const seed = flag(argv, 'seed', 42);
  await withBenchDatabase(async (url) => {
    await migrateDatabase(url);
    const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent' });
    @Module({
      imports: [
        ConfigModule.forRoot(config, new FixedClock(NOW)),
        DatabaseModule.forRoot(url),
        QueueModule.forRoot(config, { consume: false }),
        AuditModule,
        AuthModule,
        CampaignsModule,
        CyclesModule,
      ],
    })
    class BenchModule {}
    const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
    const db = app.get(DataSource);
    const rows: Record<string, string | number>[] = [];
    const t0 = performance.now();
    const [practice] = await db.query(
      `INSERT INTO practice (slug, name, timezone) VALUES ('bench', 'Bench', 'America/Chicago') RETURNING id`,
    );
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.query(`SELECT setseed($1)`, [(seed % 1000) / 1000]);
    // Every patient callable; `members` of them last seen 12–36 months ago (the campaign's
    // target), the rest seen recently. One in 20 shares a phone with the previous patient.
    await runner.query(
      `INSERT INTO patient (practice_id, mrn, join_key, first_name, last_name, match_name, birth_date, state, zip,
           time_zone, time_zone_source, phones, deceased, listed_last_visit_on, content_hash)
         SELECT $1, 'M' || g, 'M' || g, 'First' || g, 'Last' || (g % 5000), 'first' || g, date '1950-01-01' + (g % 20000),
           (ARRAY['IL', 'NY', 'CA', 'FL', 'AZ'])[1 + g % 5], '60601',
           (ARRAY['America/Chicago', 'America/New_York', 'America/Los_Angeles', 'America/New_York', 'America/Phoenix'])[1 + g % 5],
           'state',
           jsonb_build_array(jsonb_build_object('e164', '+1312' || lpad(((g - (g % 20 = 0)::int) % 10000000)::text, 7, '0'),
             'extension', NULL, 'raw', 'x', 'type', 'mobile', 'valid', true)),
           false,
           CASE WHEN g <= $3 THEN $2::date - 400 - (random() * 600)::int ELSE $2::date - (random() * 300)::int END,
           md5(g::text)
         FROM generate_series(1, $4) g`,
      [practice.id, TODAY, members, patients],
    );
    await runner.query(
      `INSERT INTO app_user (login, display_name, role, password_hash, password_changed_at)
         SELECT 'agent' || g, 'Agent ' || g, 'agent', 'x', now() FROM generate_series(1, $1) g`,
      [agentCount],
    );
    await runner.query(`INSERT INTO user_practice (user_id, practice_id) SELECT id, $1 FROM app_user`, [
      practice.id,
    ]);
    await runner.release();
    // As after an import: statistics, hint bits and the visibility map are fresh.
    await maintain(url, `VACUUM (ANALYZE) patient`, `ANALYZE`);
    const agents: { id: string; login: string }[] = await db.query(
      `SELECT id, login FROM app_user ORDER BY login`,
    );
    const campaignsService = app.get(CampaignsService);
    const cycles = app.get(CyclesService);
    const queue = app.get(QueueService);
    // As the API runs it: under row-level security with the practice's scope (recall_app).
    await RequestContext.run({ requestId: 'bench', channel: 'api', practiceId: practice.id }, async () => {
      const c = await campaignsService.create(
        practice.id,
        { type: 'reactivation', name: 'bench', agentLogins: agents.map((a) => a.login) },
        null,
      );
      await campaignsService.savePlan(practice.id, c.id, {});
      const launchStart = performance.now();
      const launched = await campaignsService.transition(practice.id, c.id, 'launch');
      const launchMs = performance.now() - launchStart;
      // No ANALYZE here: the first build finds campaign_member's statistics stale and
      // refreshes them itself, as it must after a launch in the app.
      const genSeconds = ((performance.now() - t0) / 1000).toFixed(0);

      // Rebuilds of a cycle that starts tomorrow replace it: each run is a full build.
      const builds: number[] = [];
      let assigned = 0;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const cycle = await cycles.build(practice.id, c.id, { start: '2026-06-16', seed: seed + i });
        builds.push(performance.now() - t);
        assigned = cycle.agents.reduce((n, a) => n + a.assigned, 0);
      }
      builds.sort((a, b) => a - b);
      rows.push({
        operation: `launch: enrol ${launched.members.open} of ${patients} patients`,
        'p50 ms': launchMs.toFixed(0),
        'p99 ms': '',
        runs: 1,
      });
      rows.push({
        operation: `build cycle: ${assigned} assignments, ${agentCount} agents`,
        'p50 ms': pct(builds, 50).toFixed(0),
        'p99 ms': builds[builds.length - 1].toFixed(0),
        runs: builds.length,
      });

      // Today's cycle; one agent at a time, then every agent at once, `fetches` times over.
      await cycles.build(practice.id, c.id, { start: TODAY, seed });
      for (const a of agents.slice(0, 5)) await queue.queue(practice.id, a.id);
      const alone: number[] = [];
      for (let i = 0; i < Math.max(100, agentCount); i++) {
        const s = performance.now();
        await queue.queue(practice.id, agents[i % agentCount].id);
        alone.push(performance.now() - s);
      }
      alone.sort((x, y) => x - y);
      const times: number[] = [];
      let items = 0;
      const t = performance.now();
      await Promise.all(
        agents.map(async (a) => {
          for (let i = 0; i < fetches; i++) {
            const s = performance.now();
            const q = await queue.queue(practice.id, a.id);
            times.push(performance.now() - s);
            items = Math.max(items, q.items.length);
          }
        }),
      );
      const seconds = (performance.now() - t) / 1000;
      times.sort((x, y) => x - y);
      rows.push({
        operation: `queue fetch: one agent at a time, ${items} items`,
        'p50 ms': pct(alone, 50).toFixed(1),
        'p99 ms': pct(alone, 99).toFixed(1),
        runs: alone.length,
      });
      rows.push({
        operation: `queue fetch: ${agentCount} agents at once, ${items} items each`,
        'p50 ms': pct(times, 50).toFixed(1),
        'p99 ms': pct(times, 99).toFixed(1),
        runs: times.length,
      });

      // The next cycle over today's, which has started: the rollover's build.
      const next = performance.now();
      const rolled = await cycles.build(practice.id, c.id, { start: '2026-06-29', seed: seed + 10 });
      rows.push({
        operation: `build next cycle over a started one: ${rolled.agents.reduce((n, a) => n + a.assigned, 0)} assignments`,
        'p50 ms': (performance.now() - next).toFixed(0),
        'p99 ms': '',
        runs: 1,
      });
      console.log(
        `\ncycles benchmark: ${patients} patients, ${launched.members.open} members, ${agentCount} agents ` +
          `(data built in ${genSeconds}s); queue fetches ${Math.round(times.length / seconds)}/s`,
      );
    });
    console.table(rows);
    await app.close();
  });
}
