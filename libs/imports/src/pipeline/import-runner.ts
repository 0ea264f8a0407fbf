import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { RecallConfig } from '@recall/config';
import { applyPracticeScope } from '@recall/database';
import { ANY_BAD_NUMBER, PatientsService, REAPPLY_BAD_NUMBERS } from '@recall/patients';
import { rm } from 'node:fs/promises';
import { Client, type ClientBase, type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { FileKind, ImportFile, ImportSummary, PatientImport } from '../entities/patient-import.entity';
import { resolveColumns, type ImportMapping } from '../mapping/mapping';
import { readChunks } from '../reader/chunks';
import { FormatError } from '../reader/sniff';
import { copyLine } from '../rows/copy-text';
import type { ChunkOutput, PooledOutput, RowContext } from '../rows/row-context';
import { ChunkPool } from './chunk-pool';
import { CopyWriter } from './copy-writer';
import { rowContext } from './row-context-factory';
import {
  COPY_ISSUES,
  COPY_PATIENTS,
  copyVisits,
  FLAG_DUPLICATES,
  FOLD_DUPLICATE_ROWS,
  STAGING_DDL,
  unmatchedVisits,
  INSERT_PATIENTS,
  MERGE_PATIENTS,
  UPDATE_PATIENTS,
  upsertVisits,
} from './merge-sql';

export class ImportCancelled extends Error {
  constructor() {
    super('cancelled by a user');
  }
}

/** A problem with the input that stops the whole import (it says which file and line). */
export class ImportInputError extends Error {}

export interface ImportProgress {
  phase: string;
  rowsDone: number;
  bytesDone: number;
  bytesTotal: number;
}

interface FileCounts {
  totalRows: number;
  accepted: number;
  rejected: number;
  warnings: number;
}

const FILE_ORDER: FileKind[] = ['patients', 'appointments', 'encounters'];
/** Chunks in flight per parse thread: keeps every core busy while bounding memory. */
const IN_FLIGHT_PER_THREAD = 2;

/**
 * Runs one import end to end: stream each file through the chunk pool into staging tables
 * (COPY), then merge set-based, all in one transaction. Rejected rows and warnings go to
 * `import_issue` on a second connection, so they are there to download even after a dry run.
 * Safe to re-run after a crash: nothing was committed, and a finished import is left alone.
 */
@Injectable()
export class ImportRunner {
  private readonly log = new Logger('ImportRunner');
  private readonly listening = new WeakSet<PoolClient>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: RecallConfig,
    private readonly audit: AuditService,
    private readonly patients: PatientsService,
  ) {}

  async run(importId: string, onProgress?: (p: ImportProgress) => void): Promise<PatientImport> {
    const rows: { id: string }[] = await this.db.query(
      `WITH u AS (
         UPDATE patient_import SET status = 'running', started_at = coalesce(started_at, now()), error = NULL,
                rows_done = 0, bytes_done = 0, phase = 'starting'
         WHERE id = $1 AND status IN ('queued', 'running') RETURNING id)
       SELECT id FROM u`,
      [importId],
    );
    const current = await this.load(importId);
    if (rows.length === 0) return current; // finished (or never started): nothing to do
    const started = Date.now();
    try {
      const summary = await this.execute(current, onProgress);
      const finished = await this.finish(current, 'succeeded', summary, null);
      this.log.log(`import ${importId} done in ${Date.now() - started} ms: ${summary.totalRows} rows`);
      return finished;
    } catch (error) {
      const cancelled = error instanceof ImportCancelled;
      const message = (error as Error).message;
      if (!cancelled && !(error instanceof ImportInputError)) {
        this.log.error(`import ${importId} failed: ${(error as Error).stack ?? message}`);
      }
      return this.finish(current, cancelled ? 'cancelled' : 'failed', null, cancelled ? null : message);
    }
  }

  private async load(importId: string): Promise<PatientImport> {
    const rows = await this.db.query(`SELECT * FROM patient_import WHERE id = $1`, [importId]);
    if (!rows[0]) throw new Error(`no import ${importId}`);
    return toImport(rows[0]);
  }

  private async finish(
    imp: PatientImport,
    status: 'succeeded' | 'failed' | 'cancelled',
    summary: ImportSummary | null,
    error: string | null,
  ): Promise<PatientImport> {
    await this.db.query(
      `UPDATE patient_import SET status = $2, summary = $3, error = $4, finished_at = now(), phase = NULL,
         rows_done = CASE WHEN $2 = 'succeeded' THEN ($3::jsonb->>'totalRows')::int ELSE rows_done END,
         bytes_done = CASE WHEN $2 = 'succeeded' THEN bytes_total ELSE bytes_done END
       WHERE id = $1 AND status = 'running'`,
      [imp.id, status, summary ? JSON.stringify(summary) : null, error],
    );
    await this.audit.record({
      action: imp.dryRun ? 'imports.dry-run' : 'imports.run',
      outcome: status === 'succeeded' ? 'success' : 'failure',
      practiceId: imp.practiceId,
      entityType: 'patient_import',
      entityId: imp.id,
      actor: { userId: imp.requestedBy },
      details: {
        status,
        files: imp.files.map((f) => ({ kind: f.kind, name: f.name, sha256: f.sha256, bytes: f.bytes })),
        counts: summary
          ? {
              totalRows: summary.totalRows,
              accepted: summary.accepted,
              rejected: summary.rejected,
              created: summary.created,
              updated: summary.updated,
              unchanged: summary.unchanged,
            }
          : null,
      },
    });
    if (!this.config.env.IMPORT_KEEP_FILES && status !== 'failed') {
      await Promise.all(imp.files.filter((f) => f.owned).map((f) => rm(f.path, { force: true })));
    }
    return this.load(imp.id);
  }

  private async execute(
    imp: PatientImport,
    onProgress?: (p: ImportProgress) => void,
  ): Promise<ImportSummary> {
    if (!imp.mapping) throw new ImportInputError('the import has no mapping');
    const mapping = imp.mapping;
    const { today, zone } = await this.patients.practiceDay(imp.practiceId);
    const progress: ImportProgress = {
      phase: 'reading',
      rowsDone: 0,
      bytesDone: 0,
      bytesTotal: imp.files.reduce((n, f) => n + f.bytes, 0),
    };
    const reporter = this.startReporter(imp.id, progress, onProgress);
    const pool = ChunkPool.create(this.config.importParseThreads);
    const tx = await this.transactionClient();
    const side = await this.client();
    try {
      await side.query(`DELETE FROM import_issue WHERE import_id = $1`, [imp.id]);
      await tx.query('BEGIN');
      // One import per practice at a time: a second waits here rather than interleaving.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('recall.import'), hashtext($1))`, [
        imp.practiceId,
      ]);
      await tx.query(STAGING_DDL);

      const files: Record<string, FileCounts> = {};
      const ordered = FILE_ORDER.flatMap((k) => imp.files.filter((f) => f.kind === k));
      for (const file of ordered) {
        const ctx = this.context(imp, file, mapping, today, zone);
        files[file.kind] = await this.stageFile(file, ctx, pool, tx, side, progress, reporter);
      }

      progress.phase = 'merging patients';
      let created = 0;
      let updated = 0;
      let distinct = 0;
      if (files.patients) {
        await tx.query(FOLD_DUPLICATE_ROWS);
        await tx.query(MERGE_PATIENTS);
        const [u] = (await tx.query(UPDATE_PATIENTS, [imp.practiceId, imp.id])).rows;
        const [c] = (await tx.query(INSERT_PATIENTS, [imp.practiceId, imp.id])).rows;
        created = c.created;
        updated = u.updated;
        // Numbers calls found wrong or disconnected stay marked whatever the file says.
        const [bad] = (await tx.query(ANY_BAD_NUMBER, [imp.practiceId])).rows;
        if (bad && created + updated > 0) await tx.query(REAPPLY_BAD_NUMBERS, [imp.practiceId, imp.id]);
        distinct = u.distinct_patients;
      }
      reporter.check();

      const visits = { created: 0, updated: 0, unchanged: 0 };
      for (const kind of ['appointments', 'encounters'] as const) {
        if (!files[kind]) continue;
        progress.phase = `merging ${kind}`;
        const unmatched = await this.rejectUnmatched(kind, imp, tx, side);
        files[kind].accepted -= unmatched;
        files[kind].rejected += unmatched;
        const [r] = (await tx.query(upsertVisits(kind), [imp.practiceId, imp.id])).rows;
        visits.created += r.created;
        visits.updated += r.updated;
        visits.unchanged += r.distinct_visits - r.created - r.updated;
        reporter.check();
      }

      progress.phase = 'flagging possible duplicates';
      // After a big load the planner still believes the old row counts (a first import: none)
      // and picks nested loops over a million rows; fresh statistics, and hash joins rather
      // than sorting the expanded phone lists, took the check from 17 to 7 s at 1M patients.
      // (recall_analyze: ANALYZE as the table's owner, which the app role is not.)
      if (created + updated > 10_000) await tx.query(`SELECT recall_analyze('patient')`);
      await tx.query('SET LOCAL enable_mergejoin = off');
      const [dups] = (await tx.query(FLAG_DUPLICATES, [imp.practiceId, imp.id])).rows;
      reporter.check();

      const total = (k: keyof FileCounts) => Object.values(files).reduce((n, f) => n + f[k], 0);
      const summary: ImportSummary = {
        totalRows: total('totalRows'),
        accepted: total('accepted'),
        rejected: total('rejected'),
        created,
        updated,
        unchanged: distinct - created - updated,
        mergedRows: files.patients ? files.patients.accepted - distinct : 0,
        warnings: total('warnings'),
        possibleDuplicates: dups.flagged,
        files,
        visits,
      };
      await reporter.stop();
      await tx.query(imp.dryRun ? 'ROLLBACK' : 'COMMIT');
      return summary;
    } catch (error) {
      await reporter.stop();
      await tx.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await tx.end().catch(() => undefined);
      side.release();
      await pool.close();
    }
  }

  private context(
    imp: PatientImport,
    file: ImportFile,
    mapping: ImportMapping,
    today: string,
    zone: string,
  ): RowContext {
    const fileMapping = mapping[file.kind];
    if (!fileMapping) throw new ImportInputError(`${file.name}: no mapping for the ${file.kind} file`);
    const { index, problems } = resolveColumns(file.kind, fileMapping, file.format.headers);
    if (problems.length)
      throw new ImportInputError(`${file.name}: ${problems.map((p) => p.message).join('; ')}`);
    return rowContext(imp.id, file, mapping, index, today, zone, this.config.inputLimits);
  }

  /**
   * Streams one file into its staging table. Chunks are split on record boundaries found by
   * quote parity; if the parser disagrees (a bare quote fooled the split), the file is staged
   * again in one piece, where a real structural error then stops the import with its line.
   */
  private async stageFile(
    file: ImportFile,
    ctx: RowContext,
    pool: ChunkPool,
    tx: ClientBase,
    side: PoolClient,
    progress: ImportProgress,
    reporter: Reporter,
  ): Promise<FileCounts> {
    const rowsBefore = progress.rowsDone;
    const bytesBefore = progress.bytesDone;
    for (const whole of [false, true]) {
      progress.phase = `reading ${file.kind}`;
      progress.rowsDone = rowsBefore;
      progress.bytesDone = bytesBefore;
      pool.setContext(ctx);
      const counts: FileCounts = { totalRows: 0, accepted: 0, rejected: 0, warnings: 0 };
      const staging = new CopyWriter(tx, file.kind === 'patients' ? COPY_PATIENTS : copyVisits(file.kind));
      const issues = new CopyWriter(side, COPY_ISSUES);
      let parseError: ChunkOutput['parseError'] = null;
      try {
        const inFlight: Promise<PooledOutput>[] = [];
        const limit = Math.max(1, pool.threads) * IN_FLIGHT_PER_THREAD;
        const drain = async () => {
          const out = await inFlight.shift()!;
          if (out.parseError && !parseError) parseError = out.parseError;
          counts.totalRows += out.rows;
          counts.accepted += out.accepted;
          counts.rejected += out.rejected;
          counts.warnings += out.warnings;
          progress.rowsDone += out.rows;
          await Promise.all([staging.write(out.staging), issues.write(out.issues)]);
          reporter.check();
        };
        try {
          const { maxRowChars, maxRows } = this.config.inputLimits;
          const tooMany = () => {
            if (counts.totalRows > maxRows) {
              throw new ImportInputError(
                `${file.name}: more than ${maxRows} data rows (IMPORT_MAX_ROWS); split the export`,
              );
            }
          };
          try {
            for await (const chunk of readChunks(file.path, file.format, { whole, maxRowChars })) {
              inFlight.push(pool.process(chunk));
              progress.bytesDone = bytesBefore + chunk.endOffset;
              if (inFlight.length >= limit) await drain();
              tooMany();
              if (parseError) break;
            }
            // After a parse error the chunks still in flight only matter to a retry.
            while (inFlight.length && !parseError) await drain();
            tooMany();
          } catch (error) {
            if (error instanceof FormatError) throw new ImportInputError(`${file.name}: ${error.message}`);
            throw error;
          }
        } finally {
          // Stopping early (cancel, error): chunks still in the pool are abandoned, not unhandled.
          await Promise.allSettled(inFlight.splice(0));
        }
      } finally {
        await Promise.all([staging.end(), issues.end()]);
      }
      if (!parseError) {
        // A patients file of nothing (or of a million blank lines) is a broken export; an
        // empty appointments or encounters file can be a quiet week.
        if (counts.totalRows === 0 && file.kind === 'patients') {
          throw new ImportInputError(
            `${file.name}: no data rows below the header (only blank lines, or none)`,
          );
        }
        progress.bytesDone = bytesBefore + file.bytes;
        return counts;
      }
      const failure = parseError as { line: number; message: string; limit?: boolean };
      // A limit is a limit however the file is cut: no second pass.
      if (whole || failure.limit)
        throw new ImportInputError(`${file.name}: line ${failure.line}: ${failure.message}`);
      this.log.warn(
        `${file.name}: chunked parse disagreed near line ${failure.line}; staging it again in one piece`,
      );
      await tx.query(`TRUNCATE stg_${file.kind}`);
      await side.query(`DELETE FROM import_issue WHERE import_id = $1 AND file_kind = $2`, [
        ctx.importId,
        file.kind,
      ]);
    }
    throw new Error('unreachable');
  }

  /** Visits whose patient key matches no patient are rejected, row and all (cursor: flat memory). */
  private async rejectUnmatched(
    kind: 'appointments' | 'encounters',
    imp: PatientImport,
    tx: ClientBase,
    side: PoolClient,
  ): Promise<number> {
    await tx.query(`DECLARE unmatched NO SCROLL CURSOR FOR ${unmatchedVisits(kind)}`, [imp.practiceId]);
    let count = 0;
    const issues = new CopyWriter(side, COPY_ISSUES);
    try {
      for (;;) {
        const { rows } = await tx.query(`FETCH 5000 FROM unmatched`);
        if (rows.length === 0) break;
        count += rows.length;
        let text = '';
        for (const r of rows) {
          text += copyLine([
            imp.id,
            kind,
            r.line,
            null,
            'rejected',
            `no patient with key '${r.patient_key}' in this practice`,
            r.raw_row,
          ]);
        }
        await issues.write(text);
      }
    } finally {
      await issues.end();
      await tx.query(`CLOSE unmatched`);
    }
    return count;
  }

  /**
   * The import's transaction runs on a connection of its own, opened fresh so that its
   * session can size memory for bulk work before any temporary table exists: staging tables
   * stay in local buffers instead of spilling, sorts and hashes stay in memory, and no JIT
   * compilation (seconds per statement, for plans this simple).
   */
  private async transactionClient(): Promise<Client> {
    const client = new Client({
      connectionString: (this.db.options as { url: string }).url,
      application_name: 'recall-import',
    });
    client.on('error', (error) => this.log.warn(`import connection lost: ${error.message}`));
    await client.connect();
    await client.query(`SET temp_buffers = '1GB'; SET work_mem = '256MB'; SET jit = off`);
    await applyPracticeScope(client);
    return client;
  }

  /**
   * A connection of its own for the import's transaction or side writes. A dropped connection
   * fails the import (through the pending query), never the process (unhandled 'error').
   */
  private async client(): Promise<PoolClient> {
    const driver = this.db.driver as unknown as { master: { connect(): Promise<PoolClient> } };
    const client = await driver.master.connect();
    // Pooled connections come back: listen once per connection, not once per import.
    if (!this.listening.has(client)) {
      this.listening.add(client);
      client.on('error', (error) => this.log.warn(`import connection lost: ${error.message}`));
    }
    return client;
  }

  /** Publishes progress about once a second and notices a cancel request. */
  private startReporter(
    importId: string,
    progress: ImportProgress,
    onProgress?: (p: ImportProgress) => void,
  ): Reporter {
    let cancelled = false;
    let busy: Promise<void> = Promise.resolve();
    const flush = () => {
      onProgress?.({ ...progress });
      busy = this.db
        .query(
          `WITH u AS (
             UPDATE patient_import SET rows_done = $2, bytes_done = $3, bytes_total = $4, phase = $5
             WHERE id = $1 RETURNING cancel_requested_at)
           SELECT cancel_requested_at FROM u`,
          [importId, progress.rowsDone, progress.bytesDone, progress.bytesTotal, progress.phase],
        )
        .then((r: { cancel_requested_at: Date | null }[]) => {
          if (r[0]?.cancel_requested_at) cancelled = true;
        })
        .catch(() => undefined);
    };
    const timer = setInterval(flush, 1000);
    flush();
    return {
      check() {
        if (cancelled) throw new ImportCancelled();
      },
      async stop() {
        clearInterval(timer);
        await busy;
        onProgress?.({ ...progress });
      },
    };
  }
}

interface Reporter {
  check(): void;
  stop(): Promise<void>;
}

/** A raw `patient_import` row as the entity (snake_case → camelCase). */
export function toImport(row: Record<string, unknown>): PatientImport {
  return {
    id: row.id,
    practiceId: row.practice_id,
    status: row.status,
    dryRun: row.dry_run,
    requestedBy: row.requested_by,
    files: row.files,
    mapping: row.mapping,
    profileName: row.profile_name,
    rowsDone: row.rows_done,
    bytesDone: row.bytes_done,
    bytesTotal: row.bytes_total,
    phase: row.phase,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    cancelRequestedAt: row.cancel_requested_at,
    summary: row.summary,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } as PatientImport;
}
