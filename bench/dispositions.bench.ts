/**
 * Dispositions under load, through the HTTP API: 50 agents, each signed in with their own
 * session, post call outcomes on the patients of their cycle as fast as the server answers
 * (no think time) for a fixed time. 5 % of the posts repeat the previous request with its
 * idempotency key (a double click, a network retry). Afterwards the database is checked:
 * no member over its cap, no idempotency key recorded twice, every replay answered with the
 * original attempt.
 *   npm run bench -- dispositions [--agents 50] [--patients 20000] [--seconds 60] [--seed 42]
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
const PASSWORD = 'bench-agent-password';

/** A seeded PRNG (mulberry32): the same seed draws the same codes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Roughly a reactivation campaign's mix (DOMAIN.md §8): mostly no answer and voicemail.
const MIX: [string, number][] = [
  ['NOANS', 36],
  ['LVM', 26],
  ['UNAVLBL', 7],
  ['HUNGUP', 5],
  ['CBACK', 5],
  ['DONE', 9],
  ['LOST', 3],
  ['WNUM', 3],
  ['DCONN', 2],
  ['DNC', 2],
  ['RECONFIRMED', 2],
];
const MIX_TOTAL = MIX.reduce((s, [, w]) => s + w, 0);

function pick(r: number): string {
  let x = r * MIX_TOTAL;
  for (const [code, w] of MIX) {
    if ((x -= w) < 0) return code;
  }
  return 'NOANS';
}

export async function runDispositionsBench(argv: string[]): Promise<void> {
  const agents = flag(argv, 'agents', 50);
  const patients = flag(argv, 'patients', 20_000);
  const seconds = flag(argv, 'seconds', 60);
  const seed = flag(argv, 'seed', 42);
  await withBenchDatabase((url) => run(url, { agents, patients, seconds, seed }));
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
  const clock = new FixedClock(NOW);
  const app = await createApiApp({ config, databaseUrl: url, clock });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const db = app.get(DataSource);
  try {
    process.stderr.write(`generating ${o.patients} patients and ${o.agents} agents…\n`);
    const [practice] = await db.query(
      `INSERT INTO practice (slug, name, timezone) VALUES ('bench', 'Bench Practice', 'America/Chicago') RETURNING id`,
    );
    await db.query(
      `INSERT INTO patient (practice_id, mrn, join_key, first_name, last_name, match_name, birth_date, state, zip,
         time_zone, time_zone_source, phones, deceased, listed_last_visit_on, content_hash)
       SELECT $1, 'M' || g, 'M' || g, 'First' || g, 'Last' || g, 'first' || g || ' last' || g,
         date '1950-01-01' + (g % 20000), 'IL', '60601', 'America/Chicago', 'zip',
         jsonb_build_array(
           jsonb_build_object('e164', '+1312' || lpad(g::text, 7, '0'), 'extension', NULL, 'raw', 'x', 'type', 'mobile', 'valid', true),
           jsonb_build_object('e164', '+1773' || lpad(g::text, 7, '0'), 'extension', NULL, 'raw', 'x', 'type', 'home', 'valid', true)),
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
    await db.query(`INSERT INTO user_practice (user_id, practice_id) SELECT id, $1 FROM app_user`, [
      practice.id,
    ]);
    await maintain(url, `VACUUM (ANALYZE) patient`);
    const logins: string[] = (await db.query(`SELECT login FROM app_user ORDER BY login`)).map(
      (u: { login: string }) => u.login,
    );
    const campaign = await RequestContext.run({ requestId: 'bench', channel: 'system' }, async () => {
      const campaigns = app.get(CampaignsService);
      const c = await campaigns.create(
        practice.id,
        { type: 'reactivation', name: 'Bench reactivation', agentLogins: logins },
        null,
      );
      await campaigns.savePlan(practice.id, c.id, {});
      const launched = await campaigns.transition(practice.id, c.id, 'launch');
      await app.get(CyclesService).build(practice.id, c.id, { seed: o.seed });
      return launched;
    });
    await maintain(url, `ANALYZE`);

    // Each agent signs in and works the members of their cycle, round and round.
    const workers = await Promise.all(
      logins.map(async (login, i) => {
        const res = await fetch(`${base}/api/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login, password: PASSWORD }),
        });
        if (!res.ok) throw new Error(`sign-in ${login}: ${res.status} ${await res.text()}`);
        const { token } = (await res.json()) as { token: string };
        const members: { memberId: string; assignmentId: string }[] = (
          await db.query(
            `SELECT a.member_id, a.id FROM cycle_assignment a JOIN app_user u ON u.id = a.agent_id
             WHERE u.login = $1 ORDER BY a.due_on, a.id`,
            [login],
          )
        ).map((r: { member_id: string; id: string }) => ({ memberId: r.member_id, assignmentId: r.id }));
        return { login, token, members, random: rng(o.seed * 1000 + i) };
      }),
    );
    process.stderr.write(
      `campaign ${campaign.id}: ${campaign.members.open} members; ${o.agents} agents posting for ${o.seconds} s…\n`,
    );

    const latencies: number[] = [];
    const statuses = new Map<string, number>();
    const count = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
    let replays = 0;
    let replayMismatches = 0;
    let seq = 0;
    const deadline = performance.now() + o.seconds * 1000;
    const started = performance.now();
    await Promise.all(
      workers.map(async (w) => {
        let cursor = 0;
        let previous: { body: string; key: string; attemptId: string } | null = null;
        while (performance.now() < deadline && w.members.length) {
          const replay = previous !== null && w.random() < 0.05;
          let body: string;
          let key: string;
          if (replay) {
            ({ body, key } = previous!);
          } else {
            const { memberId, assignmentId } = w.members[cursor++ % w.members.length];
            let code = pick(w.random());
            // A booking needs a started call whose identity check passed (untimed: the table
            // times the disposition alone); a patient already closed cannot be called again.
            const callStartId =
              code === 'DONE' || code === 'RECONFIRMED'
                ? await startVerifiedCall(base, practice.id, w.token, assignmentId)
                : null;
            if ((code === 'DONE' || code === 'RECONFIRMED') && !callStartId) code = 'NOANS';
            body = JSON.stringify({
              memberId,
              code,
              source: 'workspace',
              ...(callStartId ? { callStartId } : {}),
              ...(code === 'DONE' || code === 'RECONFIRMED' ? { appointmentAt: '2026-06-22T10:00' } : {}),
              ...(code === 'CBACK' ? { callbackAt: '2026-06-16T11:00' } : {}),
              ...(code === 'LOST' ? { reason: 'found another doctor' } : {}),
              ...(w.random() < 0.15 ? { remarks: 'Patient said to call back next week' } : {}),
            });
            key = `bench-${w.login}-${++seq}`;
          }
          const t = performance.now();
          const res = await fetch(`${base}/api/practices/${practice.id}/dispositions`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${w.token}`,
              'content-type': 'application/json',
              'idempotency-key': key,
            },
            body,
          });
          const json = (await res.json()) as { attemptId?: string; replayed?: boolean; message?: string };
          latencies.push(performance.now() - t);
          count(res.status === 201 ? (json.replayed ? 'replayed' : 'recorded') : String(res.status));
          if (replay) {
            replays++;
            if (res.status === 201 && json.attemptId !== previous!.attemptId) replayMismatches++;
          } else if (res.status === 201) previous = { body, key, attemptId: json.attemptId! };
          else previous = null;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    const [check] = await db.query(
      `SELECT
         (SELECT count(*)::int FROM campaign_member WHERE attempts > attempt_cap) AS over_cap_members,
         (SELECT count(*)::int FROM (SELECT member_id FROM call_attempt WHERE attempt_number IS NOT NULL
            GROUP BY member_id HAVING count(*) > max(attempt_number) OR max(attempt_number) > 5) x) AS over_cap_attempts,
         (SELECT count(*)::int FROM (SELECT idempotency_key FROM call_attempt GROUP BY practice_id, idempotency_key
            HAVING count(*) > 1) d) AS duplicate_keys,
         (SELECT count(*)::int FROM campaign_member m WHERE m.attempts <>
            (SELECT count(*) FROM call_attempt a WHERE a.member_id = m.id AND a.attempt_number IS NOT NULL)) AS count_mismatches,
         (SELECT count(*)::int FROM call_attempt) AS attempts`,
    );
    const total = latencies.length;
    const table = [
      {
        agents: o.agents,
        seconds: Number(elapsed.toFixed(1)),
        requests: total,
        'req/s': Math.round(total / elapsed),
        recorded: statuses.get('recorded') ?? 0,
        replayed: statuses.get('replayed') ?? 0,
        '409 (closed/busy)': statuses.get('409') ?? 0,
        other:
          total -
          (statuses.get('recorded') ?? 0) -
          (statuses.get('replayed') ?? 0) -
          (statuses.get('409') ?? 0),
        'p50 ms': percentile(latencies, 50).toFixed(1),
        'p95 ms': percentile(latencies, 95).toFixed(1),
        'p99 ms': percentile(latencies, 99).toFixed(1),
      },
    ];
    console.table(table);
    console.table([
      {
        'attempt rows': check.attempts,
        'members over cap': check.over_cap_members,
        'attempt numbers over cap': check.over_cap_attempts,
        'keys recorded twice': check.duplicate_keys,
        'member count ≠ rows': check.count_mismatches,
        'replays answered with another attempt': replayMismatches,
        replays,
      },
    ]);
    const others = [...statuses.entries()].filter(([k]) => !['recorded', 'replayed', '409'].includes(k));
    if (others.length) console.log('other statuses:', Object.fromEntries(others));
    if (
      check.over_cap_members ||
      check.over_cap_attempts ||
      check.duplicate_keys ||
      check.count_mismatches ||
      replayMismatches
    ) {
      process.exitCode = 1;
    }
  } finally {
    await app.close();
  }
}

/** Starts the call of an assignment and records a passed identity check; null when refused. */
async function startVerifiedCall(
  base: string,
  practiceId: string,
  token: string,
  assignmentId: string,
): Promise<string | null> {
  const post = (path: string, body: object) =>
    fetch(`${base}/api/practices/${practiceId}/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const start = await post(`queue/${assignmentId}/start`, {});
  if (start.status !== 201 && start.status !== 200) return null;
  const { callStartId } = (await start.json()) as { callStartId?: string };
  if (!callStartId) return null;
  const check = await post(`calls/${callStartId}/identity`, { checks: { name: true, dob: true } });
  return check.ok ? callStartId : null;
}
