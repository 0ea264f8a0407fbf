/**
 * The API under a call center's load: N agents, each signed in with their own session, work
 * their queue through the HTTP API as the workspace does (fetch the queue, start the call on
 * the first item, record its disposition; one in 20 dispositions is sent twice with the same
 * Idempotency-Key, as a browser retrying after a dropped answer; a booking confirms the
 * patient's identity on the call first), while an owner refreshes the
 * dashboard reports every 2 s and an EMR import runs in a process of its own (the CLI's, as a
 * worker would; imported again as soon as it finishes), for a fixed time against one API
 * process. Prints requests/s and p50/p95/p99 per route, errors (any 5xx, network failure or
 * unexpected 4xx, with a sample), and checks the database afterwards: no member over its
 * attempt cap, no disposition lost or recorded twice.
 *   npm run bench -- load [--agents 200] [--patients 100000] [--seconds 300] [--import-rows 100000] [--seed 42]
 * Uses DATABASE_URL's server (a scratch database) or an embedded PostgreSQL in .data/bench-pg.
 * test/load.int-spec.ts runs it small (20 agents, 20 s) and asserts the checks.
 */
import { hashPassword } from '@recall/auth';
import { CampaignsService } from '@recall/campaigns';
import { parseConfig } from '@recall/config';
import { FixedClock, repoRoot, RequestContext } from '@recall/core';
import { CyclesService } from '@recall/cycles';
import { migrateDatabase } from '@recall/database';
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/create-app';
import { generateExport } from './generate-export';
import { flag, maintain, percentile, withBenchDatabase } from './support';

// Monday 2026-06-15, 10:00 in Chicago: inside every calling window.
const NOW = '2026-06-15T15:00:00Z';
const TODAY = '2026-06-15';
const PASSWORD = 'bench-load-password';
const CODES = ['NOANS', 'NOANS', 'NOANS', 'LVM', 'LVM', 'UNAVLBL', 'HUNGUP', 'DONE', 'LOST'];

export interface LoadOptions {
  agents: number;
  patients: number;
  seconds: number;
  /** Rows of the EMR export imported while the agents work (0: no import). */
  importRows: number;
  seed: number;
  /** Progress lines on stderr. */
  log?: (line: string) => void;
}

export interface RouteResult {
  route: string;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  conflicts: number;
  errors: number;
  /** Up to three failures, as status and body. */
  samples: string[];
}

export interface LoadResult {
  agents: number;
  seconds: number;
  routes: RouteResult[];
  errors: number;
  dispositionsSaved: number;
  retried: number;
  attemptRows: number;
  overCap: number;
  lost: number;
  duplicated: number;
  imports: { finished: number; failed: number; seconds: number[]; samples: string[] };
}

export async function runLoadBench(argv: string[]): Promise<void> {
  const options: LoadOptions = {
    agents: flag(argv, 'agents', 200),
    patients: flag(argv, 'patients', 100_000),
    seconds: flag(argv, 'seconds', 300),
    importRows: flag(argv, 'import-rows', 100_000),
    seed: flag(argv, 'seed', 42),
    log: (line) => process.stderr.write(`${line}\n`),
  };
  const result = await withBenchDatabase((url) => runLoad(url, options));
  printLoadResult(result);
  if (!loadPassed(result)) process.exitCode = 1;
}

/** Zero errors, nobody over the cap, every disposition recorded exactly once. */
export function loadPassed(r: LoadResult): boolean {
  return (
    r.errors === 0 &&
    r.imports.failed === 0 &&
    r.overCap === 0 &&
    r.lost === 0 &&
    r.duplicated === 0 &&
    r.attemptRows === r.dispositionsSaved
  );
}

export function printLoadResult(r: LoadResult): void {
  console.table(
    r.routes.map((s) => ({
      route: s.route,
      requests: s.requests,
      'req/s': s.perSecond,
      'p50 ms': s.p50.toFixed(1),
      'p95 ms': s.p95.toFixed(1),
      'p99 ms': s.p99.toFixed(1),
      '409': s.conflicts,
      errors: s.errors,
    })),
  );
  console.table([
    {
      agents: r.agents,
      seconds: r.seconds,
      'dispositions saved': r.dispositionsSaved,
      'sent twice': r.retried,
      'attempt rows': r.attemptRows,
      errors: r.errors,
      'over cap': r.overCap,
      lost: r.lost,
      duplicated: r.duplicated,
      imports: `${r.imports.finished} done, ${r.imports.failed} failed (${r.imports.seconds
        .map((s) => `${s.toFixed(0)} s`)
        .join(', ')})`,
    },
  ]);
  for (const s of r.routes) for (const e of s.samples) console.log(`${s.route}: ${e}`);
  for (const e of r.imports.samples) console.log(`import: ${e}`);
}

interface RouteStats {
  latencies: number[];
  errors: number;
  conflicts: number;
  samples: string[];
}

/**
 * The CLI as a child process: built (dist/) when this file is, else its TypeScript through
 * test/support/ts-child.js, by a shim that takes itself off the arguments the CLI parses.
 */
function cliCommand(): string[] {
  if (!__filename.endsWith('.ts')) return [path.resolve(__dirname, '../apps/cli/src/main.js')];
  const root = repoRoot();
  const shim = path.join(tmpdir(), `recall-load-cli-${process.pid}.js`);
  writeFileSync(
    shim,
    `process.argv.splice(2, 1);\nrequire(${JSON.stringify(path.join(root, 'apps/cli/src/main.ts'))});\n`,
  );
  return [path.join(root, 'test/support/ts-child.js'), shim];
}

function runImportProcess(
  url: string,
  file: string,
): Promise<{ ok: boolean; seconds: number; output: string }> {
  const started = performance.now();
  const command = cliCommand();
  const rejected = path.join(tmpdir(), `recall-load-rejected-${process.pid}.csv`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...command, 'import', '--practice', 'load', '--patients', file, '--json', '--rejected-out', rejected],
      {
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-2000)));
    child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-2000)));
    child.on('close', (code) => {
      for (const file of [
        rejected,
        ...command.filter((a) => path.basename(a).startsWith('recall-load-cli-')),
      ])
        rmSync(file, { force: true });
      resolve({ ok: code === 0, seconds: (performance.now() - started) / 1000, output: output.trim() });
    });
  });
}

export async function runLoad(url: string, o: LoadOptions): Promise<LoadResult> {
  const log = o.log ?? (() => undefined);
  await migrateDatabase(url);
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    LOGIN_THROTTLE_LIMIT: '10000',
    RECALL_DEMO: 'false',
  });
  let importFile: string | null = null;
  if (o.importRows > 0) {
    importFile = path.resolve(`.data/bench/load-export-${o.importRows}-${o.seed}.csv`);
    if (!existsSync(importFile)) {
      log(`generating an EMR export of ${o.importRows} rows…`);
      await generateExport(importFile, { rows: o.importRows, seed: o.seed });
    }
  }
  const app = await createApiApp({ config, databaseUrl: url, clock: new FixedClock(NOW) });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const db = app.get(DataSource);
  try {
    log(`generating ${o.patients} patients, ${o.agents} agents and an owner…`);
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
    // As a manager does it: launch, then build the first cycle straight away (the build
    // refreshes the statistics the launch left stale).
    const setupStarted = performance.now();
    let campaignId = '';
    await RequestContext.run({ requestId: 'bench', channel: 'api', practiceId: practice.id }, async () => {
      const campaigns = app.get(CampaignsService);
      const c = await campaigns.create(
        practice.id,
        { type: 'reactivation', name: 'Load reactivation', agentLogins: logins },
        null,
      );
      campaignId = c.id;
      await campaigns.savePlan(practice.id, c.id, {});
      await campaigns.transition(practice.id, c.id, 'launch');
      await app.get(CyclesService).build(practice.id, c.id, { seed: o.seed });
    });
    log(`launch and first cycle: ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);
    // What autovacuum would have done by the time agents sign in.
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
    const tokens: string[] = [];
    // Sign-ins (argon2) a few at a time, as a shift starts: not part of what is measured.
    for (let i = 0; i < logins.length; i += 8)
      tokens.push(...(await Promise.all(logins.slice(i, i + 8).map(signIn))));
    const ownerToken = await signIn('owner');

    const stats = new Map<string, RouteStats>();
    const p = `/api/practices/${practice.id}`;
    const call = async (route: string, path: string, token: string, body?: object, key?: string) => {
      const s = stats.get(route) ?? { latencies: [], errors: 0, conflicts: 0, samples: [] };
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
        const text = await res.text();
        s.latencies.push(performance.now() - t);
        if (res.status === 409) s.conflicts++;
        else if (res.status >= 400) {
          s.errors++;
          if (s.samples.length < 3) s.samples.push(`${res.status} ${text.slice(0, 300)}`);
        }
        return res.ok ? (JSON.parse(text) as Record<string, unknown>) : null;
      } catch (error) {
        s.latencies.push(performance.now() - t);
        s.errors++;
        if (s.samples.length < 3) s.samples.push(`network: ${(error as Error).message}`);
        return null;
      }
    };

    log(
      `${o.agents} agents working their queues for ${o.seconds} s` +
        `${importFile ? `, an import of ${o.importRows} rows running alongside` : ''}…`,
    );
    const recorded: string[] = [];
    let retried = 0;
    const deadline = performance.now() + o.seconds * 1000;
    const started = performance.now();
    let seq = 0;
    const owner = (async () => {
      while (performance.now() < deadline) {
        await Promise.all([
          call('GET reports/funnel', `${p}/reports/funnel`, ownerToken),
          call('GET reports/roi', `${p}/reports/roi?campaignId=${campaignId}`, ownerToken),
        ]);
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    const imports: LoadResult['imports'] = { finished: 0, failed: 0, seconds: [], samples: [] };
    const importing = (async () => {
      while (importFile && performance.now() < deadline) {
        const run = await runImportProcess(url, importFile);
        imports.seconds.push(run.seconds);
        if (run.ok) imports.finished++;
        else {
          imports.failed++;
          if (imports.samples.length < 3) imports.samples.push(run.output.slice(-600));
        }
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
          const n = ++seq;
          const code = CODES[(i + n) % CODES.length];
          if (code === 'DONE' && start?.callStartId) {
            // A booking needs the patient's identity confirmed on the call (name, date of birth).
            await call('POST calls/:id/identity', `${p}/calls/${start.callStartId}/identity`, token, {
              checks: { name: true, dob: true },
            });
          }
          const key = `load-${i}-${n}`;
          const body = {
            memberId: item.memberId,
            code,
            source: 'workspace',
            ...(start?.callStartId ? { callStartId: start.callStartId } : {}),
            ...(code === 'DONE' ? { appointmentAt: '2026-06-22T10:00' } : {}),
            ...(code === 'LOST' ? { reason: 'found another doctor' } : {}),
          };
          const saved = await call('POST dispositions', `${p}/dispositions`, token, body, key);
          if (saved) recorded.push(key);
          if (saved && n % 20 === 0) {
            // The browser did not see the answer and sends the same disposition again.
            retried++;
            await call('POST dispositions (same key again)', `${p}/dispositions`, token, body, key);
          }
        }
      }),
    );
    await owner;
    const elapsed = (performance.now() - started) / 1000;
    await importing;

    const [check] = await db.query(
      `SELECT
         (SELECT count(*)::int FROM campaign_member m WHERE m.attempts > m.attempt_cap
            OR (SELECT count(*) FROM call_attempt a WHERE a.member_id = m.id AND a.attempt_number IS NOT NULL)
               > m.attempt_cap) AS over_cap,
         (SELECT count(*)::int FROM call_attempt) AS attempts,
         (SELECT count(*)::int FROM (SELECT 1 FROM call_attempt GROUP BY practice_id, idempotency_key
            HAVING count(*) > 1) d) AS duplicated_keys,
         (SELECT count(*)::int FROM (SELECT 1 FROM call_attempt WHERE call_start_id IS NOT NULL
            GROUP BY call_start_id HAVING count(*) > 1) d) AS duplicated_calls,
         (SELECT count(*)::int FROM unnest($1::text[]) k
            WHERE NOT EXISTS (SELECT 1 FROM call_attempt a WHERE a.practice_id = $2 AND a.idempotency_key = k)) AS lost`,
      [recorded, practice.id],
    );
    const routes: RouteResult[] = [...stats.entries()].map(([route, s]) => {
      const sorted = [...s.latencies].sort((a, b) => a - b);
      return {
        route,
        requests: sorted.length,
        perSecond: Number((sorted.length / elapsed).toFixed(1)),
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        conflicts: s.conflicts,
        errors: s.errors,
        samples: s.samples,
      };
    });
    return {
      agents: o.agents,
      seconds: Number(elapsed.toFixed(1)),
      routes,
      errors: routes.reduce((n, r) => n + r.errors, 0),
      dispositionsSaved: recorded.length,
      retried,
      attemptRows: check.attempts,
      overCap: check.over_cap,
      lost: check.lost,
      duplicated: check.duplicated_keys + check.duplicated_calls,
      imports,
    };
  } finally {
    await app.close();
  }
}
