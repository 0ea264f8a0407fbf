/**
 * The EMR import end to end against PostgreSQL's own `\copy` of the same file.
 *   npm run bench -- import [--rows 200000] [--threads N] [--seed 42] [--no-reimport] [--repeats 0.01]
 *
 * 1. Generates a seeded messy patients export (bench/generate-export.ts) into .data/bench/, once
 *    per (rows, seed, repeats): reruns reuse it. `--repeats` is the share of rows repeating an
 *    earlier id (default 0.01); `--threads` sets IMPORT_PARSE_THREADS (default: the app's).
 * 2. Scratch database (DATABASE_URL's server, else an embedded PostgreSQL in .data/bench-pg), migrated.
 * 3. Boots the CLI's modules and imports the file through ImportsService exactly as
 *    `recall import` does (createDraft → start with the suggested mapping → runInline), timed
 *    end to end; then imports it again (everything unchanged), timed (skip: `--no-reimport`).
 * 4. `psql \copy` of the same file into an all-text table with a btree index on the id column.
 * Prints rows/s for both, the ratio, peak RSS, and where the time went (phases from the import's
 * progress callback, and what PostgreSQL was doing, sampled from pg_stat_activity).
 */
import { NestFactory } from '@nestjs/core';
import { parseConfig } from '@recall/config';
import { RequestContext } from '@recall/core';
import { migrateDatabase } from '@recall/database';
import { ImportsService, type ImportProgress, type ImportSummary } from '@recall/imports';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { CliModule } from '../apps/cli/src/cli.module';
import { EXPORT_HEADERS } from './generate-export';
import { withBenchDatabase } from './support';

/** Bump when the generator's output changes, so cached files are not reused. */
const GENERATOR_VERSION = 1;
const RSS_SAMPLE_MS = 50;
const PG_SAMPLE_MS = 100;
const MB = 1024 * 1024;
const TARGET_RATIO = 0.35;
const GOAL_RATIO = 0.6;
const TARGET_RSS_MB = 300;
const DEFAULT_REPEATS = 0.01;

interface Options {
  rows: number;
  seed: number;
  threads: number | undefined;
  /** Share of rows repeating an earlier patient id in the generated file. */
  repeats: number;
  reimport: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (name: string, fallback: number | undefined, min: number): number | undefined => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name}: expected an integer ≥ ${min}, got "${raw}"`);
    return n;
  };
  return {
    rows: int('rows', 200_000, 1)!,
    seed: int('seed', 42, 0)!,
    threads: int('threads', undefined, 0),
    repeats: repeatsArg(value('repeats')),
    reimport: !argv.includes('--no-reimport'),
  };
}

function repeatsArg(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_REPEATS;
  const n = Number(raw);
  if (!(n >= 0 && n < 0.99)) throw new Error(`--repeats: expected a share in [0, 0.99), got "${raw}"`);
  return n;
}

/**
 * A connected pg client whose connection errors (a server restart, pg_terminate_backend) reject
 * its queries instead of crashing the process, so the scratch database is still dropped.
 */
async function connect(url: string, applicationName = 'recall-bench'): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: applicationName });
  client.on('error', (error: Error) => console.error(`bench: ${applicationName}: ${error.message}`));
  await client.connect();
  return client;
}

// ---------------------------------------------------------------------------------------------------
// Measuring.

interface Rss {
  peak: number;
  /** The main isolate's share at the peak (the parse workers' heaps are the rest of RSS). */
  heapTotal: number;
  external: number;
}

/** Samples this process's RSS (main thread, parse workers, native buffers) every 50 ms. */
function rssSampler() {
  let peak: Rss = { peak: 0, heapTotal: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak.peak) peak = { peak: m.rss, heapTotal: m.heapTotal, external: m.external };
  };
  sample();
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  return {
    stop(): Rss {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** Busy jiffies of the whole machine (all cores), from /proc/stat; null off Linux. */
function machineBusySeconds(): number | null {
  try {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const f = cpu.trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return (f.reduce((a, b) => a + b, 0) - idle) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds a local process has used (utime + stime), or null (remote server, gone). */
function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * What a backend of the scratch database is doing, as a label for the breakdown. Statements are
 * recognised by how they start (merge-sql.ts); both the current and the earlier merge shapes.
 */
const STATEMENTS: [RegExp, string][] = [
  [/^CREATE TEMP TABLE (stg_repeated|stg_patients_final)\b/, 'fold repeated ids (FOLD_DUPLICATE_ROWS)'],
  [/^CREATE TEMP TABLE stg_source\b/, 'merge source (MERGE_PATIENTS)'],
  [/^WITH up AS \(\s*UPDATE patient\b/, 'update changed patients (UPDATE_PATIENTS)'],
  [/^WITH ins AS \(\s*INSERT INTO patient\b/, 'insert new patients (INSERT_PATIENTS)'],
  [/^WITH up AS \(\s*INSERT INTO patient\b/, 'upsert patients (UPSERT_PATIENTS)'],
  [/^WITH touched AS\b/, 'flag duplicates (FLAG_DUPLICATES)'],
  [/^WITH src AS\b/, 'upsert visits'],
  [/^WITH u AS \(\s*UPDATE patient_import\b/, 'progress updates (patient_import)'],
  [/^COMMIT\b/, 'COMMIT'],
];

function classify(query: string, waitEvent: string | null): string | null {
  const q = query.trimStart();
  const waiting = waitEvent === 'ClientRead';
  if (q.startsWith('COPY stg_patients'))
    return waiting ? 'COPY stg_patients: waiting for rows from Node' : 'COPY stg_patients: server busy';
  if (q.startsWith('COPY import_issue')) return waiting ? null : 'COPY import_issue: server busy';
  if (/^copy\s+bench_copy/i.test(q))
    return waiting ? 'COPY bench_copy: waiting for psql' : 'COPY bench_copy: server busy';
  if (q.startsWith('CHECKPOINT')) return null;
  for (const [pattern, label] of STATEMENTS) if (pattern.test(q)) return label;
  return `other: ${q.replace(/\s+/g, ' ').slice(0, 40)}`;
}

/**
 * Polls pg_stat_activity for the scratch database every 100 ms: seconds spent per kind of
 * statement (a statement counts while it is active), and the CPU the backends used (local server).
 */
async function pgSampler(url: string) {
  const client = await connect(url, 'recall-bench-sampler');
  const sql = `SELECT pid, state, wait_event, left(query, 200) AS query FROM pg_stat_activity
               WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`;
  const baseline = new Map<number, number>();
  const last = new Map<number, number>();
  for (const r of (await client.query(sql)).rows as { pid: number }[]) {
    const cpu = processCpuSeconds(r.pid);
    if (cpu !== null) baseline.set(r.pid, cpu);
  }
  let cpuVisible = baseline.size > 0;
  const seconds = new Map<string, number>();
  let running = true;
  let previous = performance.now();
  const loop = (async () => {
    while (running) {
      let rows: unknown[];
      try {
        ({ rows } = await client.query(sql));
      } catch (error) {
        console.error(`bench: pg_stat_activity sampling stopped: ${(error as Error).message}`);
        return;
      }
      const now = performance.now();
      const dt = (now - previous) / 1000;
      previous = now;
      const labels = new Set<string>();
      for (const r of rows as { pid: number; state: string; wait_event: string | null; query: string }[]) {
        const cpu = processCpuSeconds(r.pid);
        if (cpu !== null) {
          cpuVisible = true;
          last.set(r.pid, cpu);
        }
        if (r.state !== 'active') continue;
        const label = classify(r.query ?? '', r.wait_event);
        if (label) labels.add(label);
      }
      for (const label of labels) seconds.set(label, (seconds.get(label) ?? 0) + dt);
      await new Promise((resolve) => setTimeout(resolve, PG_SAMPLE_MS));
    }
  })();
  return {
    async stop(): Promise<{ seconds: Map<string, number>; backendCpu: number | null }> {
      running = false;
      await loop;
      await client.end().catch(() => undefined);
      let cpu = 0;
      for (const [pid, value] of last) cpu += value - (baseline.get(pid) ?? 0);
      return { seconds, backendCpu: cpuVisible ? cpu : null };
    },
  };
}

interface Step {
  label: string;
  seconds: number;
  peakRssMb: number;
  /** Main isolate's heap and external memory at the peak, MB. */
  peakMainHeapMb: number;
  peakExternalMb: number;
  nodeCpu: number;
  mainThreadBusy: number;
  machineCpu: number | null;
  backendCpu: number | null;
  pg: Map<string, number>;
}

/** Times `fn` with RSS, CPU and PostgreSQL sampling around it. */
async function measured<T>(
  label: string,
  url: string,
  fn: () => Promise<T>,
): Promise<{ step: Step; result: T }> {
  const pg = await pgSampler(url);
  const rss = rssSampler();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const machine0 = machineBusySeconds();
  const t0 = performance.now();
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    rss.stop();
    await pg.stop().catch(() => undefined);
    throw error;
  }
  const seconds = (performance.now() - t0) / 1000;
  const peak = rss.stop();
  const machine1 = machineBusySeconds();
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  const sampled = await pg.stop();
  return {
    result,
    step: {
      label,
      seconds,
      peakRssMb: peak.peak / MB,
      peakMainHeapMb: peak.heapTotal / MB,
      peakExternalMb: peak.external / MB,
      nodeCpu: (cpu.user + cpu.system) / 1e6,
      mainThreadBusy: elu.utilization,
      machineCpu: machine0 !== null && machine1 !== null ? machine1 - machine0 : null,
      backendCpu: sampled.backendCpu,
      pg: sampled.seconds,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The three runs.

interface ImportRun {
  summary: ImportSummary;
  /** createDraft: sniff (a whole-file UTF-8 check without a BOM) and sha256 of the file. */
  draftSeconds: number;
  startSeconds: number;
  /** Phases as the progress callback saw them (about one report a second). */
  phases: { phase: string; seconds: number }[];
}

async function importOnce(imports: ImportsService, practiceId: string, file: string): Promise<ImportRun> {
  const t0 = performance.now();
  const draft = await imports.createDraft(
    practiceId,
    [{ kind: 'patients', name: path.basename(file), path: file, owned: false }],
    null,
  );
  const t1 = performance.now();
  await imports.start(practiceId, draft.id, { mapping: draft.mapping, enqueue: false }, null);
  const t2 = performance.now();
  const seen: { phase: string; at: number }[] = [{ phase: 'starting', at: t2 }];
  let lastReport = t2;
  const finished = await imports.runInline(draft.id, (p: ImportProgress) => {
    lastReport = performance.now();
    if (p.phase !== seen[seen.length - 1].phase) seen.push({ phase: p.phase, at: lastReport });
  });
  const t3 = performance.now();
  if (finished.status !== 'succeeded' || !finished.summary)
    throw new Error(`import ${finished.status}: ${finished.error ?? 'no summary'}`);
  const phases = seen.map((s, i) => ({
    phase: s.phase,
    seconds: ((i + 1 < seen.length ? seen[i + 1].at : lastReport) - s.at) / 1000,
  }));
  phases.push({ phase: 'commit, summary, audit (after the last report)', seconds: (t3 - lastReport) / 1000 });
  return {
    summary: finished.summary,
    draftSeconds: (t1 - t0) / 1000,
    startSeconds: (t2 - t1) / 1000,
    phases: phases.filter((p) => p.seconds > 0.0005),
  };
}

const COPY_COLUMNS = EXPORT_HEADERS.map((h) => h.toLowerCase().replace(/[^a-z0-9]+/g, '_'));

async function psqlCopy(url: string, file: string): Promise<number> {
  const admin = await connect(url);
  try {
    await admin.query(`DROP TABLE IF EXISTS bench_copy`);
    await admin.query(`CREATE TABLE bench_copy (${COPY_COLUMNS.map((c) => `${c} text`).join(', ')})`);
    // The importer's key is unique per (practice, id); the file repeats ~1% of ids, which a UNIQUE
    // index would refuse, so \copy gets the same btree on the id column without uniqueness.
    await admin.query(`CREATE INDEX bench_copy_patient_id ON bench_copy (${COPY_COLUMNS[0]})`);
  } finally {
    await admin.end();
  }
  const command = `\\copy bench_copy FROM '${file.replace(/'/g, "''")}' WITH (FORMAT csv, HEADER true)`;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('psql', [url, '-X', '-v', 'ON_ERROR_STOP=1', '-c', command], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`psql exited ${code}: ${out}`)),
    );
  });
  const m = /COPY (\d+)/.exec(output);
  if (!m) throw new Error(`unexpected psql output: ${output}`);
  return Number(m[1]);
}

async function checkpoint(url: string): Promise<void> {
  const c = await connect(url);
  try {
    await c.query('CHECKPOINT');
  } catch {
    // not a superuser: the runs just share the background writes
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------------
// The export file.

async function exportFile(
  rows: number,
  seed: number,
  repeats: number,
): Promise<{ file: string; generatedIn: number | null }> {
  const dir = path.resolve('.data/bench');
  const variant = repeats === DEFAULT_REPEATS ? '' : `-repeats${repeats}`;
  const file = path.join(dir, `patients-v${GENERATOR_VERSION}-${rows}rows-seed${seed}${variant}.csv`);
  if (existsSync(file)) return { file, generatedIn: null };
  await mkdir(dir, { recursive: true });
  // A child process, so that generating does not count in this process's peak RSS.
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(__dirname, 'generate-export.js'),
        '--rows',
        String(rows),
        '--seed',
        String(seed),
        '--repeats',
        String(repeats),
        '--out',
        file,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`generator exited ${code}`))));
  });
  return { file, generatedIn: (performance.now() - t0) / 1000 };
}

/**
 * Which importer was measured: a hash of the compiled `libs/imports` next to this script and the
 * time it was built (the importer changes under the benchmark while it is being worked on).
 */
function importerBuild(): string {
  const root = path.join(__dirname, '..', 'libs', 'imports', 'src');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) files.push(full);
    }
  };
  try {
    walk(root);
  } catch {
    return 'unknown';
  }
  files.sort();
  const hash = createHash('sha256');
  let newest = 0;
  for (const f of files) {
    hash.update(path.relative(root, f)).update(readFileSync(f));
    newest = Math.max(newest, statSync(f).mtimeMs);
  }
  return `${hash.digest('hex').slice(0, 12)} (built ${new Date(newest).toISOString()})`;
}

// ---------------------------------------------------------------------------------------------------
// Report.

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printPairs(title: string, pairs: [string, string][]): void {
  const width = Math.max(...pairs.map(([k]) => k.length));
  console.log(`\n${title}`);
  for (const [k, v] of pairs) console.log(`  ${k.padEnd(width)}  ${v}`);
}

function printSteps(steps: Step[]): void {
  console.log(
    '\nwhere the time went (CPU in seconds and cores busy on average; PostgreSQL: seconds a statement of ' +
      'that kind was active in pg_stat_activity, sampled every 100 ms)',
  );
  const cores = (s: Step, x: number | null) =>
    x === null ? 'n/a' : `${fmt(x, 1)} s (${fmt(x / s.seconds, 2)})`;
  const rows: [string, (s: Step) => string][] = [
    ['wall s', (s) => fmt(s.seconds, 2)],
    ['node process CPU (all threads)', (s) => cores(s, s.nodeCpu)],
    ['node main thread busy', (s) => `${fmt(s.mainThreadBusy * 100)} %`],
    ['postgres backends CPU', (s) => cores(s, s.backendCpu)],
    ['machine CPU (every process)', (s) => cores(s, s.machineCpu)],
  ];
  for (const label of [...new Set(steps.flatMap((s) => [...s.pg.keys()]))].sort())
    rows.push([`pg: ${label}`, (s) => (s.pg.has(label) ? fmt(s.pg.get(label)!, 1) : '')]);
  console.table(
    Object.fromEntries(
      rows.map(([label, cell]) => [label, Object.fromEntries(steps.map((s) => [s.label, cell(s)]))]),
    ),
  );
}

function countsLine(s: ImportSummary): string {
  return (
    `total ${fmt(s.totalRows)}, accepted ${fmt(s.accepted)}, rejected ${fmt(s.rejected)}, ` +
    `created ${fmt(s.created)}, updated ${fmt(s.updated)}, unchanged ${fmt(s.unchanged)}, ` +
    `merged rows ${fmt(s.mergedRows)}, warnings ${fmt(s.warnings)}, possible duplicates ${fmt(s.possibleDuplicates)}`
  );
}

export async function runImportBench(argv: readonly string[]): Promise<void> {
  const opts = parseArgs(argv);
  const { file, generatedIn } = await exportFile(opts.rows, opts.seed, opts.repeats);
  const fileMb = statSync(file).size / MB;
  console.error(
    generatedIn === null
      ? `export: ${file} (cached, ${fmt(fileMb)} MB)`
      : `export: ${file} (generated in ${fmt(generatedIn, 1)} s, ${fmt(fileMb)} MB)`,
  );

  await withBenchDatabase(async (url) => {
    await migrateDatabase(url);
    const config = parseConfig({
      NODE_ENV: 'production',
      DATABASE_URL: url,
      LOG_LEVEL: 'error',
      IMPORT_PARSE_THREADS: opts.threads === undefined ? undefined : String(opts.threads),
    });
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, url), {
      logger: ['error'],
    });
    try {
      const db = await connect(url);
      const [practice] = (
        await db.query(
          `INSERT INTO practice (slug, name, timezone) VALUES ('bench', 'Bench', 'America/New_York') RETURNING id`,
        )
      ).rows as { id: string }[];
      await db.end();
      const imports = app.get(ImportsService);
      const baselineRss = process.memoryUsage.rss() / MB;
      const importIt = () =>
        RequestContext.run({ requestId: 'bench:import', channel: 'cli', login: 'bench' }, () =>
          importOnce(imports, practice.id, file),
        );

      const threads = config.importParseThreads;
      const build = importerBuild();
      console.error(`importing ${fmt(opts.rows)} rows with ${threads} parse thread(s)…`);
      await checkpoint(url);
      const first = await measured('import', url, importIt);
      let second: Awaited<ReturnType<typeof measured<ImportRun>>> | null = null;
      if (opts.reimport) {
        console.error(`re-importing…`);
        await checkpoint(url);
        second = await measured('re-import', url, importIt);
      }
      console.error(`psql \\copy…`);
      await checkpoint(url);
      const copy = await measured('psql \\copy', url, () => psqlCopy(url, file));

      const rows = first.result.summary.totalRows;
      const importRate = rows / first.step.seconds;
      const copyRate = copy.result / copy.step.seconds;
      const ratio = importRate / copyRate;
      const reimportRate = second ? second.result.summary.totalRows / second.step.seconds : null;
      const maxRssMb = process.resourceUsage().maxRSS / 1024;
      const imported = second ? [first, second] : [first];
      const peak = imported.reduce((p, r) => (r.step.peakRssMb > p.step.peakRssMb ? r : p));
      const peakRss = peak.step.peakRssMb;

      console.log(
        `\nimport benchmark: ${fmt(opts.rows)} rows (seed ${opts.seed}, ${fmt(opts.repeats * 100, 1)} % repeated ids, ` +
          `${fmt(fileMb)} MB), ${threads} parse thread(s), ${cpus().length} cores, node ${process.version}`,
      );
      printPairs('results', [
        ['importer build (libs/imports)', build],
        ['rows in the file', fmt(rows)],
        ['import (end to end) s', fmt(first.step.seconds, 2)],
        ['import rows/s', fmt(importRate)],
        ['re-import s', second ? fmt(second.step.seconds, 2) : 'skipped (--no-reimport)'],
        ['re-import rows/s', reimportRate === null ? '-' : fmt(reimportRate)],
        ['psql \\copy s', fmt(copy.step.seconds, 2)],
        ['psql \\copy rows/s', `${fmt(copyRate)} (${fmt(copy.result)} rows loaded)`],
        [
          'ratio (import ÷ \\copy rows/s)',
          `${fmt(ratio, 3)}  target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}, ` +
            `goal ${GOAL_RATIO}: ${ratio >= GOAL_RATIO ? 'met' : 'not met'}`,
        ],
        ['re-import ratio', reimportRate === null ? '-' : fmt(reimportRate / copyRate, 3)],
        [
          'peak RSS MB (50 ms samples)',
          `${fmt(peakRss)} (import ${fmt(first.step.peakRssMb)}` +
            `${second ? `, re-import ${fmt(second.step.peakRssMb)}` : ''}; before the import ${fmt(baselineRss)})  ` +
            `target ≤ ${TARGET_RSS_MB}: ${peakRss <= TARGET_RSS_MB ? 'met' : 'NOT met'}`,
        ],
        [
          '  at the peak',
          `main heap ${fmt(peak.step.peakMainHeapMb)} MB, main external ${fmt(peak.step.peakExternalMb)} MB, ` +
            `rest (parse workers' heaps, native) ${fmt(peakRss - peak.step.peakMainHeapMb - peak.step.peakExternalMb)} MB`,
        ],
        ['maxRSS MB (resourceUsage)', fmt(maxRssMb)],
        ['import counts', countsLine(first.result.summary)],
        ['re-import counts', second ? countsLine(second.result.summary) : '-'],
      ]);

      const phaseRows = (run: ImportRun) => [
        { phase: 'createDraft (sniff + UTF-8 check + sha256)', seconds: run.draftSeconds },
        { phase: 'start (mapping check, audit)', seconds: run.startSeconds },
        ...run.phases,
      ];
      const runs = imported.map((r) => ({ label: r.step.label, phases: phaseRows(r.result) }));
      const names = [...new Set(runs.flatMap((r) => r.phases.map((p) => p.phase)))];
      console.log('\nphases (from the progress callback, which reports about once a second: ±1 s)');
      console.table(
        Object.fromEntries(
          names.map((n) => [
            n,
            Object.fromEntries(
              runs.map((r) => {
                const total = r.phases.filter((p) => p.phase === n).reduce((t, p) => t + p.seconds, 0);
                return [`${r.label} s`, total ? fmt(total, 2) : ''];
              }),
            ),
          ]),
        ),
      );
      const steps = [...imported.map((r) => r.step), copy.step];
      printSteps(steps);
      console.log(
        `\nnotes: \\copy loads into bench_copy (${COPY_COLUMNS.length} text columns) with a NON-unique btree index on ` +
          `${COPY_COLUMNS[0]}, created before the load: ` +
          (opts.repeats > 0
            ? `the file repeats ~${fmt(opts.repeats * 100, 1)} % of its ids, so a UNIQUE index (the importer's ` +
              `key is unique per practice and id) cannot hold; the importer folds repeats into one patient. `
            : `this file (--repeats 0) repeats no id, but the index stays non-unique so runs compare. `) +
          `Import time is end to end: createDraft + start + runInline. A CHECKPOINT ` +
          `precedes each timed step.`,
      );

      const record = {
        at: new Date().toISOString(),
        rows,
        seed: opts.seed,
        repeats: opts.repeats,
        threads,
        importerBuild: build,
        fileMb,
        importSeconds: first.step.seconds,
        importRowsPerSecond: importRate,
        reimportSeconds: second?.step.seconds ?? null,
        copySeconds: copy.step.seconds,
        copyRowsPerSecond: copyRate,
        ratio,
        peakRssMb: peakRss,
        baselineRssMb: baselineRss,
        maxRssMb,
        summary: first.result.summary,
        reimportSummary: second?.result.summary ?? null,
        phases: Object.fromEntries(runs.map((r) => [r.label, r.phases])),
        steps: steps.map((st) => ({ ...st, pg: Object.fromEntries(st.pg) })),
      };
      await appendFile(path.resolve('.data/bench/import-results.jsonl'), `${JSON.stringify(record)}\n`);
    } finally {
      await app.close();
    }
  });
}

if (require.main === module) {
  runImportBench(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
