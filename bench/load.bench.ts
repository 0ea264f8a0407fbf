/**
 * The API under a call center's load: N agents, each signed in with their own session, work
 * their queue through the HTTP API as the workspace does (fetch the queue, start the call on
 * the first item, record its disposition), while an owner refreshes the dashboard reports
 * every 2 s, for a fixed time against one API process. Prints requests/s and p50/p95/p99 per
 * route, errors (any 5xx, network failure or unexpected 4xx), and checks the database
 * afterwards: no member over its cap, no disposition lost or recorded twice.
 *   npm run bench -- load [--agents 200] [--patients 100000] [--seconds 300] [--seed 42]
 * Uses DATABASE_URL's server (a scratch database) or an embedded PostgreSQL in .data/bench-pg.
 */
import { hashPassword } from '@recall/auth';
import { CampaignsService } from '@recall/campaigns';
import { parseConfig } from '@recall/config';
import { FixedClock, RequestContext } from '@recall/core';
import { CyclesService } from '@recall/cycles';
import { migrateDatabase } from '@recall/database';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/create-app';
import { flag, maintain, percentile, withBenchDatabase } from './support';

// Monday 2026-06-15, 10:00 in Chicago: inside every calling window.
const NOW = '2026-06-15T15:00:00Z';
const TODAY = '2026-06-15';
const PASSWORD = 'bench-load-password';
const CODES = ['NOANS', 'NOANS', 'NOANS', 'LVM', 'LVM', 'UNAVLBL', 'HUNGUP', 'DONE', 'LOST'];

export async function runLoadBench(argv: string[]): Promise<void> {
  const agents = flag(argv, 'agents', 200);
  const patients = flag(argv, 'patients', 100_000);
  const seconds = flag(argv, 'seconds', 300);
  const seed = flag(argv, 'seed', 42);
  await withBenchDatabase((url) => run(url, { agents, patients, seconds, seed }));
}

interface RouteStats {
  latencies: number[];
  errors: number;
  conflicts: number;
}

async function run(
  url: string,
  o: { agents: number; patients: number; seconds: number; seed: number },
): Promise<void> {
  await migrateDatabase(url);
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    LOGIN_THROTTLE_LIMIT: '10000',
    RECALL_DEMO: 'false',
  });
  const app = await createApiApp({ config, databaseUrl: url, clock: new FixedClock(NOW) });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const db = app.get(DataSource);
  try {
    process.stderr.write(`generating ${o.patients} patients, ${o.agents} agents and an owner…\n`);
    const [practice] = await db.query(
      `INSERT INTO practice (slug, name, timezone) VALUES ('load', 'Load Practice', 'America/Chicago') RETURNING id`,
    );
    await db.query(
      `INSERT INTO patient (practice_id, mrn, join_key, first_name, last_name, match_name, birth_date, state, zip,
         time_zone, time_zone_source, phones, deceased, listed_last_visit_on, content_hash)
       SELECT $1, 'M' || g, 'M' || g, 'First' || g, 'Last' || g, 'first' || g || ' last' || g,
         date '1950-01-01' + (g % 20000), 'IL', '60601', 'America/Chicago', 'zip',
         jsonb_build_array(jsonb_build_object('e164', '+1312' || lpad(g::text, 7, '0'), 'extension', NULL,
           'raw', 'x', 'type', 'mobile', 'valid', true)),
         false, $2::date - 400 - (g % 600), md5(g::text)
       FROM generate_series(1, $3) g`,
      [practice.id, TODAY, o.patients],
    );
    const hash = await hashPassword(PASSWORD);
    await db.query(
      `INSERT INTO app_user (login, display_name, role, password_hash, password_changed_at)
       SELECT 'agent' || g, 'Agent ' || g, 'agent', $2, now() FROM generate_series(1, $1) g`,
      [o.agents, hash],
    );
    await db.query(
      `INSERT INTO app_user (login, display_name, role, password_hash, password_changed_at)
       VALUES ('owner', 'Owner', 'owner', $1, now())`,
      [hash],
    );
    await db.query(`INSERT INTO user_practice (user_id, practice_id) SELECT id, $1 FROM app_user`, [
      practice.id,
    ]);
    await maintain(url, `VACUUM (ANALYZE) patient`);
    const logins: string[] = (
      await db.query(`SELECT login FROM app_user WHERE role = 'agent' ORDER BY login`)
    ).map((u: { login: string }) => u.login);
    await RequestContext.run({ requestId: 'bench', channel: 'system' }, async () => {
      const campaigns = app.get(CampaignsService);
      const c = await campaigns.create(
        practice.id,
        { type: 'reactivation', name: 'Load reactivation', agentLogins: logins },
        null,
      );
      await campaigns.savePlan(practice.id, c.id, {});
      await campaigns.transition(practice.id, c.id, 'launch');
      await app.get(CyclesService).build(practice.id, c.id, { seed: o.seed });
    });
    await maintain(url, `ANALYZE`);

    const signIn = async (login: string): Promise<string> => {
      const res = await fetch(`${base}/api/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password: PASSWORD }),
      });
      if (!res.ok) throw new Error(`sign-in ${login}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    };
    const tokens = await Promise.all(logins.map(signIn));
    const ownerToken = await signIn('owner');

    const stats = new Map<string, RouteStats>();
    const p = `/api/practices/${practice.id}`;
    const call = async (route: string, path: string, token: string, body?: object, key?: string) => {
      const s = stats.get(route) ?? { latencies: [], errors: 0, conflicts: 0 };
      stats.set(route, s);
      const t = performance.now();
      try {
        const res = await fetch(`${base}${path}`, {
          method: body ? 'POST' : 'GET',
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...(key ? { 'idempotency-key': key } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
        s.latencies.push(performance.now() - t);
        if (res.status === 409) s.conflicts++;
        else if (res.status >= 400) s.errors++;
        return res.ok ? json : null;
      } catch {
        s.latencies.push(performance.now() - t);
        s.errors++;
        return null;
      }
    };

    process.stderr.write(`${o.agents} agents working their queues for ${o.seconds} s…\n`);
    const recorded: string[] = [];
    const deadline = performance.now() + o.seconds * 1000;
    const started = performance.now();
    let seq = 0;
    const owner = (async () => {
      while (performance.now() < deadline) {
        await Promise.all([
          call('GET reports/funnel', `${p}/reports/funnel`, ownerToken),
          call('GET reports/roi', `${p}/reports/roi`, ownerToken),
        ]);
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    await Promise.all(
      tokens.map(async (token, i) => {
        while (performance.now() < deadline) {
          const queue = (await call('GET queue', `${p}/queue`, token)) as {
            items: { assignmentId: string; memberId: string }[];
          } | null;
          const item = queue?.items[0];
          if (!item) {
            await new Promise((r) => setTimeout(r, 200));
            continue;
          }
          const start = (await call(
            'POST queue/:id/start',
            `${p}/queue/${item.assignmentId}/start`,
            token,
            {},
          )) as {
            callStartId?: string;
          } | null;
          const code = CODES[(i + seq) % CODES.length];
          const key = `load-${i}-${++seq}`;
          const saved = await call(
            'POST dispositions',
            `${p}/dispositions`,
            token,
            {
              memberId: item.memberId,
              code,
              source: 'workspace',
              ...(start?.callStartId ? { callStartId: start.callStartId } : {}),
              ...(code === 'DONE' ? { appointmentAt: '2026-06-22T10:00' } : {}),
              ...(code === 'LOST' ? { reason: 'found another doctor' } : {}),
            },
            key,
          );
          if (saved) recorded.push(key);
        }
      }),
    );
    await owner;
    const elapsed = (performance.now() - started) / 1000;

    const [check] = await db.query(
      `SELECT
         (SELECT count(*)::int FROM campaign_member WHERE attempts > attempt_cap) AS over_cap,
         (SELECT count(*)::int FROM call_attempt) AS attempts,
         (SELECT count(*)::int FROM (SELECT idempotency_key FROM call_attempt GROUP BY practice_id, idempotency_key
            HAVING count(*) > 1) d) AS duplicated,
         (SELECT count(*)::int FROM unnest($1::text[]) k
            WHERE NOT EXISTS (SELECT 1 FROM call_attempt a WHERE a.idempotency_key = k)) AS lost`,
      [recorded],
    );
    console.table(
      [...stats.entries()].map(([route, s]) => {
        const sorted = [...s.latencies].sort((a, b) => a - b);
        return {
          route,
          requests: sorted.length,
          'req/s': Number((sorted.length / elapsed).toFixed(1)),
          'p50 ms': percentile(sorted, 50).toFixed(1),
          'p95 ms': percentile(sorted, 95).toFixed(1),
          'p99 ms': percentile(sorted, 99).toFixed(1),
          '409': s.conflicts,
          errors: s.errors,
        };
      }),
    );
    console.table([
      {
        agents: o.agents,
        seconds: Number(elapsed.toFixed(1)),
        'dispositions saved': recorded.length,
        'attempt rows': check.attempts,
        'over cap': check.over_cap,
        lost: check.lost,
        duplicated: check.duplicated,
      },
    ]);
    const errors = [...stats.values()].reduce((n, s) => n + s.errors, 0);
    if (errors || check.over_cap || check.lost || check.duplicated || check.attempts !== recorded.length)
      process.exitCode = 1;
  } finally {
    await app.close();
  }
}
