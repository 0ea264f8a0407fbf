/**
 * Every API request validates its session (one conditional UPDATE); every sign-in verifies an
 * argon2 hash. This measures both on a realistic session table.
 *   npm run bench:sessions -- [--users 2000] [--ended 200000] [--requests 5000]
 * Uses DATABASE_URL's server (a scratch database) or an embedded PostgreSQL in .data/bench-pg.
 */
import { NestFactory } from '@nestjs/core';
import { AuthModule, AuthService, hashPassword, SessionsService } from '@recall/auth';
import { AuditModule } from '@recall/audit';
import { ConfigModule, parseConfig } from '@recall/config';
import { DatabaseModule, migrateDatabase } from '@recall/database';
import { QueueModule } from '@recall/queue';
import { Module } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { maintain, percentile, withBenchDatabase } from './support';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const USERS = arg('users', 2000);
const ENDED = arg('ended', 200_000);
const REQUESTS = arg('requests', 5000);
const PASSWORD = 'bench-password-2026';

async function measure(
  label: string,
  total: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
) {
  const times: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await op(i);
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  return {
    operation: label,
    concurrency,
    ops: total,
    'ops/s': Math.round(total / seconds),
    'p50 ms': percentile(times, 50).toFixed(2),
    'p95 ms': percentile(times, 95).toFixed(2),
    'p99 ms': percentile(times, 99).toFixed(2),
  };
}

async function main(): Promise<void> {
  await withBenchDatabase(run);
}

async function run(url: string): Promise<void> {
  await migrateDatabase(url);
  const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent' });

  @Module({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule.forRoot(url),
      QueueModule.forRoot(config, { consume: false }),
      AuditModule,
      AuthModule,
    ],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const db = app.get(DataSource);
  const auth = app.get(AuthService);
  const sessions = app.get(SessionsService);

  // Data: USERS users in one practice, ENDED old sessions (revoked/expired), one live session per user.
  const genStart = performance.now();
  await db.query(`INSERT INTO practice (slug, name, timezone) VALUES ('bench', 'Bench', 'America/New_York')`);
  await db.query(
    `INSERT INTO app_user (login, display_name, role, password_hash, password_changed_at)
       SELECT 'user' || g, 'User ' || g, 'agent', $1, now() FROM generate_series(1, $2) g`,
    [await hashPassword(PASSWORD), USERS],
  );
  await db.query(`INSERT INTO user_practice SELECT id, (SELECT id FROM practice) FROM app_user`);
  await db.query(
    `INSERT INTO session (user_id, token_hash, created_at, last_seen_at, expires_at, revoked_at, revoke_reason)
       SELECT u.id, sha256(('ended' || g)::bytea), now() - interval '3 days', now() - interval '3 days',
              now() - interval '2 days', now() - interval '2 days', 'logout'
         FROM generate_series(1, $1) g JOIN LATERAL (SELECT id FROM app_user OFFSET (g % $2) LIMIT 1) u ON true`,
    [ENDED, USERS],
  );
  const tokens: string[] = [];
  const users: { id: string }[] = await db.query('SELECT id FROM app_user ORDER BY login');
  for (const u of users) tokens.push((await sessions.create(u.id)).token);
  await maintain(url, 'ANALYZE');
  const genSeconds = ((performance.now() - genStart) / 1000).toFixed(1);

  const rows = [
    await measure('session check (touch)', REQUESTS, 1, (i) => sessions.touch(tokens[i % tokens.length])),
    await measure('session check (touch)', REQUESTS, 16, (i) => sessions.touch(tokens[i % tokens.length])),
    await measure('authenticate (session + user)', REQUESTS, 16, (i) =>
      auth.authenticate(tokens[i % tokens.length]),
    ),
    await measure('sign-in (argon2 + session)', 100, 4, (i) =>
      auth.login(`user${(i % USERS) + 1}`, PASSWORD),
    ),
  ];
  console.log(
    `\nsessions benchmark: ${USERS} users, ${ENDED} ended sessions, ${tokens.length} live (data built in ${genSeconds}s)`,
  );
  console.table(rows);
  await app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
