import path from 'node:path';
import { EmbeddedPostgres } from '../../libs/database/src/embedded-postgres';

declare global {
  var __RECALL_TEST_PG__: EmbeddedPostgres | undefined;
}

/**
 * Tests use a real PostgreSQL: DATABASE_URL's server when set, else an embedded one under
 * .data/test-pg. Each test file creates its own database on it (test/support/test-database.ts).
 * Under CI=true a missing REDIS_URL is a failure, not a skip.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  // One id per test run: e2e files build the app once per run (test/support/build.ts).
  process.env.RECALL_TEST_RUN ??= String(Date.now());
  if (process.env.CI === 'true' && !process.env.REDIS_URL) {
    throw new Error('CI=true but REDIS_URL is not set: the Redis-backed tests must run in CI.');
  }
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const server = new EmbeddedPostgres({
    dataDir: path.resolve(__dirname, '../../.data/test-pg'),
    port: 54340,
  });
  process.env.TEST_ADMIN_DATABASE_URL = await server.start();
  globalThis.__RECALL_TEST_PG__ = server;
}
