import { withScratchDatabase } from '@recall/database';
import path from 'node:path';
import { Client } from 'pg';

/** `--name N` from the command line, else `fallback`. */
export function flag(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

/** The p-th percentile of ascending `sorted` (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/**
 * A scratch database for one run, dropped afterwards: on DATABASE_URL's server, or on an
 * embedded PostgreSQL kept in .data/bench-pg.
 */
export function withBenchDatabase<T>(run: (url: string) => Promise<T>): Promise<T> {
  return withScratchDatabase(
    {
      serverUrl: process.env.DATABASE_URL,
      embeddedDir: path.resolve('.data/bench-pg'),
      embeddedPort: 54341,
      prefix: 'recall_bench',
    },
    run,
  );
}

/**
 * Runs maintenance (`VACUUM`, `ANALYZE`) on a connection of its own, as the login of `url`:
 * the app's pool runs as `recall_app`, which does not own the tables, and PostgreSQL skips
 * them with a warning (every plan after that runs on missing statistics).
 */
export async function maintain(url: string, ...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}
