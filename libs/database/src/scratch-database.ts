import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { EmbeddedPostgres } from './embedded-postgres';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A throw-away database on the server behind `adminUrl` (tests, benchmarks, migration generation). */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Runs `fn` on a scratch database: on `serverUrl` when given, else on an embedded server in `embeddedDir`. */
export async function withScratchDatabase<T>(
  options: { serverUrl?: string; embeddedDir: string; embeddedPort: number; prefix: string },
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const server = options.serverUrl
    ? undefined
    : new EmbeddedPostgres({ dataDir: options.embeddedDir, port: options.embeddedPort });
  const adminUrl = options.serverUrl ?? (await server!.start());
  try {
    const scratch = await createScratchDatabase(adminUrl, options.prefix);
    try {
      return await fn(scratch.url);
    } finally {
      await scratch.drop();
    }
  } finally {
    await server?.stop();
  }
}
