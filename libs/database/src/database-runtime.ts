import path from 'node:path';
import { RecallConfig } from '@recall/config';
import { DataSource, DataSourceOptions } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  /** For the start banner: which database this is, without credentials. */
  description: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise a real PostgreSQL from embedded-postgres under DATA_DIR/pg. */
export async function openDatabase(config: RecallConfig, log: (m: string) => void): Promise<DatabaseHandle> {
  if (config.env.DATABASE_URL) {
    const { host, port, pathname } = new URL(config.env.DATABASE_URL);
    return {
      url: config.env.DATABASE_URL,
      embedded: false,
      description: `PostgreSQL at ${host}${port ? `:${port}` : ''}${pathname} (DATABASE_URL)`,
      stop: async () => undefined,
    };
  }
  const server = new EmbeddedPostgres({
    dataDir: path.join(config.dataDir, 'pg'),
    port: config.env.EMBEDDED_PG_PORT,
    log: (m) => log(`[embedded-postgres] ${m}`),
  });
  const url = await server.start();
  return {
    url,
    embedded: true,
    description: `embedded PostgreSQL, data in ${server.clusterDir}`,
    stop: () => server.stop(),
  };
}

/** Key for pg_advisory_lock so that concurrent starters never run migrations twice. */
const MIGRATION_LOCK = 72_616_801;

/** Applies pending migrations under an advisory lock; returns the names it applied. */
export async function migrateDatabase(url: string): Promise<string[]> {
  // Migrations run as the connection's own login, for every practice (backfills see all rows).
  const ds = new DataSource(
    dataSourceOptions(url, {
      extra: { max: 2, options: '-c recall.scope=all' },
    } as Partial<DataSourceOptions>),
  );
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
    await ds.destroy();
  }
}

/** Opens the database and, when configured (always in embedded mode), applies migrations. */
export async function prepareDatabase(
  config: RecallConfig,
  log: (m: string) => void,
): Promise<DatabaseHandle> {
  const handle = await openDatabase(config, log);
  try {
    if (config.migrateOnStart) {
      const applied = await migrateDatabase(handle.url);
      if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    }
    return handle;
  } catch (error) {
    await handle.stop();
    throw error;
  }
}
