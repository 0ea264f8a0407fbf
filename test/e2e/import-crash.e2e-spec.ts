import { createScratchDatabase, migrateDatabase, type ScratchDatabase } from '@recall/database';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ensureBuilt } from '../support/build';
import { writeEmrExport } from '../support/emr-export';

const root = path.resolve(__dirname, '../..');
const CLI = path.join(root, 'dist/apps/cli/src/main.js');

function cli(args: string[], env: NodeJS.ProcessEnv) {
  const res = spawnSync(process.execPath, [CLI, ...args], { cwd: root, env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`recall ${args.join(' ')} failed: ${res.stderr}`);
  return res.stdout;
}

/**
 * Kill -9 the process running an import in the middle of it, run the import again, and the
 * database must equal an uninterrupted import of the same file.
 */
describe('an import killed mid-way', () => {
  let db: ScratchDatabase;
  let pg: Client;
  let env: NodeJS.ProcessEnv;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'recall-crash-')), 'patients.csv');

  beforeAll(async () => {
    await ensureBuilt();
    db = await createScratchDatabase(process.env.TEST_ADMIN_DATABASE_URL!, 'recall_crash');
    await migrateDatabase(db.url);
    env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent', IMPORT_PARSE_THREADS: '1' };
    delete env.REDIS_URL;
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await writeEmrExport(file, 150_000, { seed: 42, messy: true });
    cli(['practices', 'add', 'crashed'], env);
    cli(['practices', 'add', 'clean'], env);
  });
  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  const patientsOf = async (slug: string) =>
    (
      await pg.query(
        `SELECT p.mrn, p.join_key, p.first_name, p.last_name, p.birth_date::text, p.state, p.zip, p.time_zone,
                p.phones, p.content_hash
         FROM patient p JOIN practice pr ON pr.id = p.practice_id WHERE pr.slug = $1 ORDER BY p.mrn`,
        [slug],
      )
    ).rows;

  it('leaves nothing half-applied, and a rerun converges to the uninterrupted result', async () => {
    const child = spawn(process.execPath, [CLI, 'import', '--practice', 'crashed', '--patients', file], {
      cwd: root,
      env,
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    // Wait until the import has staged a good part of the file, then pull the plug.
    let running: { id: string; rows_done: number } | undefined;
    for (let i = 0; i < 600 && !running; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const { rows } = await pg.query(
        `SELECT id, rows_done FROM patient_import WHERE status = 'running' AND rows_done >= 40000`,
      );
      running = rows[0];
    }
    expect(running).toBeDefined();
    child.kill('SIGKILL');
    await exited;

    // Nothing from the killed run is visible; the import is still marked running.
    expect(await patientsOf('crashed')).toEqual([]);
    const { rows: stuck } = await pg.query(`SELECT status FROM patient_import WHERE id = $1`, [running!.id]);
    expect(stuck[0].status).toBe('running');

    const resumed = JSON.parse(cli(['imports', 'resume', running!.id, '--json'], env));
    expect(resumed.status).toBe('succeeded');
    const clean = JSON.parse(cli(['import', '--practice', 'clean', '--patients', file, '--json'], env));

    expect(resumed.summary).toMatchObject({
      totalRows: clean.totalRows,
      accepted: clean.accepted,
      rejected: clean.rejected,
      created: clean.created,
      mergedRows: clean.mergedRows,
      warnings: clean.warnings,
    });
    expect(clean.totalRows).toBe(150_000);
    const [crashed, uninterrupted] = [await patientsOf('crashed'), await patientsOf('clean')];
    expect(crashed.length).toBe(clean.created);
    expect(crashed).toEqual(uninterrupted);
  });
});
