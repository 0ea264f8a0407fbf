import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { RecallConfig } from '@recall/config';
import { DomainError } from '@recall/core';
import { PatientsService } from '@recall/patients';
import { JobQueue } from '@recall/queue';
import { rm } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import type { FileKind, ImportFile, ImportSummary, PatientImport } from '../entities/patient-import.entity';
import { FIELDS, type FieldSpec } from '../mapping/fields';
import { suggestImportMapping } from '../mapping/builtin-profiles';
import {
  parseMapping,
  resolveColumns,
  type FileMapping,
  type ImportMapping,
  type MappingProblem,
} from '../mapping/mapping';
import { ImportRunner, toImport, type ImportProgress } from '../pipeline/import-runner';
import { previewFile, type PreviewRow } from '../pipeline/preview';
import { FormatError, scanFile, sniffFile, type FileFormat } from '../reader/sniff';
import { csvLine, neutralize } from '../rows/copy-text';
import { rowContext } from '../pipeline/row-context-factory';
import { MappingProfilesService } from './mapping-profiles.service';

export interface IncomingFile {
  kind: FileKind;
  name: string;
  path: string;
  /** True for uploads (Recall deletes them after the import); false for a CLI user's own file. */
  owned: boolean;
}

export interface FilePreview {
  kind: FileKind;
  name: string;
  bytes: number;
  format: FileFormat;
  fields: FieldSpec[];
  mapping: FileMapping;
  problems: MappingProblem[];
  rows: PreviewRow[];
}

export interface ImportView {
  id: string;
  practiceId: string;
  status: PatientImport['status'];
  dryRun: boolean;
  files: { kind: FileKind; name: string; bytes: number; sha256: string; format: FileFormat }[];
  mapping: ImportMapping | null;
  profileName: string | null;
  suggestedProfile: string | null;
  progress: {
    phase: string | null;
    rowsDone: number;
    bytesDone: number;
    bytesTotal: number;
    startedAt: string | null;
    finishedAt: string | null;
  };
  summary: ImportSummary | null;
  error: string | null;
  createdAt: string;
}

export interface StartOptions {
  mapping: unknown;
  dryRun?: boolean;
  profileName?: string | null;
  /** Also save the mapping as this practice's profile. */
  saveProfileAs?: string | null;
  /** false: the caller runs it itself (`runInline`, the CLI) instead of queueing a job. */
  enqueue?: boolean;
}

const PREVIEW_ROWS = 20;

/**
 * The import workflow: files in (sniffed, hashed) → a draft with a suggested mapping and a
 * preview → start (queued job, or run inline by the CLI) → progress → summary and issues.
 */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: RecallConfig,
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
    private readonly runner: ImportRunner,
    private readonly profiles: MappingProfilesService,
    private readonly patients: PatientsService,
  ) {}

  /** Sniffs and hashes the files and records a draft import; bad files are refused whole. */
  async createDraft(
    practiceId: string,
    incoming: IncomingFile[],
    userId: string | null,
  ): Promise<ImportView> {
    if (!incoming.some((f) => f.kind === 'patients')) {
      await Promise.all(incoming.filter((f) => f.owned).map((f) => rm(f.path, { force: true })));
      throw DomainError.invalid('a patients file is required', { field: 'patients' });
    }
    const files: ImportFile[] = [];
    try {
      for (const f of incoming) {
        const scan = await scanFile(f.path);
        let format: FileFormat;
        try {
          format = await sniffFile(f.path, {}, scan, this.config.inputLimits);
        } catch (error) {
          if (error instanceof FormatError)
            throw DomainError.invalid(`${f.name}: ${error.message}`, { field: f.kind });
          throw error;
        }
        files.push({
          kind: f.kind,
          name: f.name,
          path: f.path,
          owned: f.owned,
          bytes: scan.bytes,
          sha256: scan.sha256,
          format,
        });
      }
    } catch (error) {
      await Promise.all(incoming.filter((f) => f.owned).map((f) => rm(f.path, { force: true })));
      throw error;
    }
    const [row] = await this.db.query(
      `INSERT INTO patient_import (practice_id, status, dry_run, requested_by, files, rows_done, bytes_done, bytes_total)
       VALUES ($1, 'draft', false, $2, $3, 0, 0, $4) RETURNING *`,
      [practiceId, userId, JSON.stringify(files), files.reduce((n, f) => n + f.bytes, 0)],
    );
    return this.view(toImport(row));
  }

  /** The mapping Recall proposes for a draft: a matching built-in or saved profile, else synonyms. */
  async suggest(
    practiceId: string,
    imp: PatientImport,
  ): Promise<{ mapping: ImportMapping; profile: string | null }> {
    const saved = (await this.profiles.list(practiceId)).filter((p) => !p.builtin);
    return suggestImportMapping(
      imp.files.map((f) => ({ kind: f.kind, headers: f.format.headers })),
      saved,
    );
  }

  async get(practiceId: string, importId: string): Promise<ImportView> {
    return this.view(await this.load(practiceId, importId));
  }

  async list(practiceId: string, limit = 50): Promise<ImportView[]> {
    const rows = await this.db.query(
      `SELECT * FROM patient_import WHERE practice_id = $1 ORDER BY created_at DESC LIMIT $2`,
      [practiceId, Math.min(Math.max(limit, 1), 200)],
    );
    return Promise.all(rows.map((r: Record<string, unknown>) => this.view(toImport(r))));
  }

  /** Parses the first rows of every file with `mapping` (or the suggestion) exactly as the import would. */
  async preview(
    practiceId: string,
    importId: string,
    mappingInput?: unknown,
  ): Promise<{ mapping: ImportMapping; files: FilePreview[] }> {
    const imp = await this.load(practiceId, importId);
    const mapping = mappingInput
      ? this.parse(mappingInput)
      : (imp.mapping ?? (await this.suggest(practiceId, imp)).mapping);
    const { today, zone } = await this.patients.practiceDay(practiceId);
    const files: FilePreview[] = [];
    for (const file of imp.files) {
      const fileMapping = mapping[file.kind] ?? { columns: {} };
      const { index, problems } = resolveColumns(file.kind, fileMapping, file.format.headers);
      const ctx = rowContext(imp.id, file, mapping, index, today, zone, this.config.inputLimits);
      const rows = problems.some((p) => ['patientId', 'patientKey', 'date'].includes(p.field ?? ''))
        ? []
        : await previewFile(file, ctx, PREVIEW_ROWS).catch((error: unknown) => {
            if (error instanceof FormatError)
              throw DomainError.invalid(`${file.name}: ${error.message}`, { field: file.kind });
            throw error;
          });
      files.push({
        kind: file.kind,
        name: file.name,
        bytes: file.bytes,
        format: file.format,
        fields: [...FIELDS[file.kind]],
        mapping: fileMapping,
        problems,
        rows,
      });
    }
    return { mapping, files };
  }

  /** Checks the mapping against every file, saves it (and the profile), and queues the run. */
  async start(
    practiceId: string,
    importId: string,
    opts: StartOptions,
    userId: string | null,
  ): Promise<ImportView> {
    const imp = await this.load(practiceId, importId);
    if (imp.status !== 'draft') throw DomainError.conflict(`the import is already ${imp.status}`);
    const mapping = this.parse(opts.mapping);
    const problems = imp.files.flatMap((f) => {
      const m = mapping[f.kind];
      return m
        ? resolveColumns(f.kind, m, f.format.headers).problems
        : [{ file: f.kind, field: null, message: `${f.kind}: no mapping for ${f.name}` }];
    });
    if (problems.length) {
      throw DomainError.invalid(problems.map((p) => p.message).join('; '), { problems });
    }
    if (opts.saveProfileAs) await this.profiles.save(practiceId, opts.saveProfileAs, mapping, userId);
    await this.db.query(
      `UPDATE patient_import SET status = 'queued', mapping = $3, dry_run = $4, profile_name = $5
       WHERE id = $1 AND practice_id = $2 AND status = 'draft'`,
      [
        importId,
        practiceId,
        JSON.stringify(mapping),
        opts.dryRun ?? false,
        opts.saveProfileAs ?? opts.profileName ?? null,
      ],
    );
    await this.audit.record({
      action: 'imports.started',
      practiceId,
      entityType: 'patient_import',
      entityId: importId,
      details: {
        dryRun: opts.dryRun ?? false,
        files: imp.files.map((f) => ({ kind: f.kind, name: f.name, sha256: f.sha256 })),
      },
    });
    if (opts.enqueue !== false) await this.queue.enqueue('imports.run', { importId });
    return this.get(practiceId, importId);
  }

  /** Runs a queued import in this process (the CLI), reporting progress as it goes. */
  async runInline(importId: string, onProgress?: (p: ImportProgress) => void): Promise<PatientImport> {
    return this.runner.run(importId, onProgress);
  }

  /**
   * Single-process mode keeps no queue across restarts: imports left queued or running by a
   * stop or a crash are queued again (each is one transaction, so a rerun starts clean).
   */
  async resumeInterrupted(): Promise<number> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM patient_import WHERE status IN ('queued', 'running') ORDER BY created_at`,
    );
    for (const r of rows) await this.queue.enqueue('imports.run', { importId: r.id });
    return rows.length;
  }

  /** Marks a queued or draft import cancelled at once; a running one stops at its next chunk. */
  async cancel(practiceId: string, importId: string): Promise<ImportView> {
    const imp = await this.load(practiceId, importId);
    if (!['draft', 'queued', 'running'].includes(imp.status)) {
      throw DomainError.conflict(`the import is already ${imp.status}`);
    }
    await this.db.query(
      `UPDATE patient_import SET cancel_requested_at = now(),
         status = CASE WHEN status IN ('draft', 'queued') THEN 'cancelled' ELSE status END,
         finished_at = CASE WHEN status IN ('draft', 'queued') THEN now() ELSE finished_at END
       WHERE id = $1`,
      [importId],
    );
    if (imp.status !== 'running' && !this.config.env.IMPORT_KEEP_FILES) {
      await Promise.all(imp.files.filter((f) => f.owned).map((f) => rm(f.path, { force: true })));
    }
    await this.audit.record({
      action: 'imports.cancelled',
      practiceId,
      entityType: 'patient_import',
      entityId: importId,
    });
    return this.get(practiceId, importId);
  }

  /** Rejected rows (or warnings) of an import, in file order, a page at a time. */
  async issues(
    practiceId: string,
    importId: string,
    opts: { severity?: 'rejected' | 'warning'; limit?: number; afterId?: string },
  ): Promise<
    {
      id: string;
      fileKind: string;
      line: number;
      column: string | null;
      severity: string;
      reason: string;
      rawRow: string | null;
    }[]
  > {
    await this.load(practiceId, importId);
    const rows = await this.db.query(
      `SELECT id, file_kind, line, column_name, severity, reason, raw_row FROM import_issue
       WHERE import_id = $1 AND severity = $2 AND id > $3
       ORDER BY id LIMIT $4`,
      [
        importId,
        opts.severity ?? 'rejected',
        opts.afterId ?? '0',
        Math.min(Math.max(opts.limit ?? 100, 1), 5000),
      ],
    );
    return rows.map((r: Record<string, string | number | null>) => ({
      id: String(r.id),
      fileKind: r.file_kind,
      line: r.line,
      column: r.column_name,
      severity: r.severity,
      reason: r.reason,
      rawRow: r.raw_row,
    }));
  }

  /**
   * The rejected-rows CSV: file, original line number, column, reason, original row. A cell a
   * spreadsheet would run as a formula (`=cmd|…`) gets a leading `'`, as in every export.
   */
  async *rejectedCsv(
    practiceId: string,
    importId: string,
    severity: 'rejected' | 'warning' = 'rejected',
  ): AsyncGenerator<string> {
    await this.load(practiceId, importId); // another practice's import is "not found" before the header
    yield 'file,line,column,reason,original_row\r\n';
    let afterId = '0';
    for (;;) {
      const page = await this.issues(practiceId, importId, { severity, limit: 5000, afterId });
      if (page.length === 0) return;
      let text = '';
      for (const i of page)
        text +=
          csvLine([i.fileKind, String(i.line), i.column ?? '', i.reason, i.rawRow ?? ''].map(neutralize)) +
          '\r\n';
      yield text;
      afterId = page[page.length - 1].id;
    }
  }

  parse(input: unknown): ImportMapping {
    try {
      return parseMapping(input);
    } catch (error) {
      throw DomainError.invalid((error as Error).message, { field: 'mapping' });
    }
  }

  private async load(practiceId: string, importId: string): Promise<PatientImport> {
    const [row] = await this.db.query(`SELECT * FROM patient_import WHERE id = $1 AND practice_id = $2`, [
      importId,
      practiceId,
    ]);
    if (!row) throw DomainError.notFound('import');
    return toImport(row);
  }

  private async view(imp: PatientImport): Promise<ImportView> {
    const suggested = imp.status === 'draft' ? await this.suggest(imp.practiceId, imp) : null;
    return {
      id: imp.id,
      practiceId: imp.practiceId,
      status: imp.status,
      dryRun: imp.dryRun,
      files: imp.files.map((f) => ({
        kind: f.kind,
        name: f.name,
        bytes: f.bytes,
        sha256: f.sha256,
        format: f.format,
      })),
      mapping: imp.mapping ?? suggested?.mapping ?? null,
      profileName: imp.profileName,
      suggestedProfile: suggested?.profile ?? null,
      progress: {
        phase: imp.phase,
        rowsDone: imp.rowsDone,
        bytesDone: Number(imp.bytesDone),
        bytesTotal: Number(imp.bytesTotal),
        startedAt: imp.startedAt ? new Date(imp.startedAt).toISOString() : null,
        finishedAt: imp.finishedAt ? new Date(imp.finishedAt).toISOString() : null,
      },
      summary: imp.summary,
      error: imp.error,
      createdAt: new Date(imp.createdAt).toISOString(),
    };
  }
}
