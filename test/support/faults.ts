import { EmbeddedPostgres } from '@recall/database';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { freePort } from './free-port';

/** How long the Redis outage lasts: 10 s in CI, RECALL_FAULT_OUTAGE_MS=60000 for the minute. */
export const OUTAGE_MS = Number(process.env.RECALL_FAULT_OUTAGE_MS ?? 10_000);

export async function until<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what = 'a condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** A private redis-server the test may stop and start (never the machine's shared one). */
export class PrivateRedis {
  private child?: ChildProcess;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        return this.answers();
      },
      10_000,
      'redis-server to start',
    );
  }

  /** Kill -9: an outage, not a shutdown (its data is kept in memory only, so it is lost). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  private async answers(): Promise<boolean> {
    const { Socket } = await import('node:net');
    return new Promise((resolve) => {
      const s = new Socket();
      s.once('error', () => resolve(false));
      s.connect(this.port, '127.0.0.1', () => {
        s.write('PING\r\n');
        s.once('data', (d) => {
          s.destroy();
          resolve(d.toString().startsWith('+PONG'));
        });
      });
    });
  }
}

/** A private PostgreSQL (the embedded binaries) on a free port, which the test may restart. */
export class PrivatePostgres {
  private constructor(
    private readonly server: EmbeddedPostgres,
    private readonly dir: string,
    readonly url: string,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(path.join(tmpdir(), 'recall-faults-pg-'));
    const server = new EmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort() });
    const url = await server.start();
    return new PrivatePostgres(server, dir, url);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  async restart(): Promise<void> {
    await this.server.start();
  }

  async destroy(): Promise<void> {
    await this.server.stop();
    rmSync(this.dir, { recursive: true, force: true });
    const staged = this.server.clusterDir;
    if (staged && !staged.startsWith(this.dir))
      rmSync(path.dirname(staged), { recursive: true, force: true });
  }
}

export async function query<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}
