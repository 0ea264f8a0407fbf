import { readChunks } from '../reader/chunks';
import type { ImportFile } from '../entities/patient-import.entity';
import { PATIENT_STAGING_COLUMNS } from '../rows/patient-rows';
import { parseCsv } from '../rows/csv';
import { isBlank, processChunk } from '../rows/process-chunk';
import type { RowContext } from '../rows/row-context';
import { VISIT_STAGING_COLUMNS } from '../rows/visit-rows';

export interface PreviewIssue {
  column: string | null;
  severity: 'rejected' | 'warning';
  reason: string;
}

export interface PreviewRow {
  line: number;
  /** Original cells, in header order. */
  cells: string[];
  /** The row as it would be stored (null when rejected). */
  parsed: Record<string, unknown> | null;
  issues: PreviewIssue[];
}

function unescapeCopy(value: string): string | null {
  if (value === '\\N') return null;
  return value.replace(/\\([\\tnr])/g, (_, c: string) => ({ '\\': '\\', t: '\t', n: '\n', r: '\r' })[c]!);
}

/**
 * The first rows of a file run through the very code an import runs, shown as parsed
 * values with their problems, so the mapping can be fixed before anything is written.
 */
export async function previewFile(file: ImportFile, ctx: RowContext, limit = 20): Promise<PreviewRow[]> {
  const columns: readonly string[] =
    ctx.kind === 'patients' ? PATIENT_STAGING_COLUMNS : VISIT_STAGING_COLUMNS;
  let chunkBytes = 64 * 1024;
  for (;;) {
    const first = await firstChunk(file, chunkBytes, ctx.limits?.maxRowChars);
    if (!first) return [];
    const out = processChunk(first.buffer, first.startLine, ctx);
    const original = new Map<number, string[]>();
    parseCsv(first.buffer, ctx.format, {
      record(cells, line) {
        if (!isBlank(cells)) original.set(first.startLine - 1 + line, cells);
      },
      skip() {},
    });
    if (out.rows < limit && first.buffer.length >= chunkBytes && chunkBytes < 8 << 20) {
      chunkBytes *= 4;
      continue;
    }
    const parsedByLine = new Map<number, Record<string, unknown>>();
    for (const line of out.staging.split('\n')) {
      if (!line) continue;
      const values = line.split('\t').map(unescapeCopy);
      const row: Record<string, unknown> = {};
      columns.forEach((c, i) => {
        const v = values[i];
        row[c] =
          c === 'phones' && v
            ? JSON.parse(v)
            : v === 'true'
              ? true
              : v === 'false'
                ? false
                : c === 'line'
                  ? Number(v)
                  : v;
      });
      delete row.raw_row;
      parsedByLine.set(Number(row.line), row);
    }
    const issuesByLine = new Map<number, (PreviewIssue & { raw: string | null })[]>();
    for (const line of out.issues.split('\n')) {
      if (!line) continue;
      const [, , lineNo, column, severity, reason, raw] = line.split('\t').map(unescapeCopy);
      const list = issuesByLine.get(Number(lineNo)) ?? [];
      list.push({ column, severity: severity as PreviewIssue['severity'], reason: reason ?? '', raw });
      issuesByLine.set(Number(lineNo), list);
    }
    const lines = [...new Set([...parsedByLine.keys(), ...issuesByLine.keys()])]
      .sort((a, b) => a - b)
      .slice(0, limit);
    return lines.map((line) => {
      const parsed = parsedByLine.get(line) ?? null;
      const issues = issuesByLine.get(line) ?? [];
      return {
        line,
        cells: original.get(line) ?? [],
        parsed,
        issues: issues.map(({ column, severity, reason }) => ({ column, severity, reason })),
      };
    });
  }
}

async function firstChunk(file: ImportFile, chunkBytes: number, maxRowChars?: number) {
  for await (const chunk of readChunks(file.path, file.format, { chunkBytes, maxRowChars })) return chunk;
  return null;
}
