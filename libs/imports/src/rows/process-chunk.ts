import { CsvError } from 'csv-parse';
import { copyLine, csvLine } from './copy-text';
import { CsvLimitError, parseCsv } from './csv';
import { PatientRows } from './patient-rows';
import type { ChunkOutput, RowContext } from './row-context';
import { VisitRows } from './visit-rows';

/** Problems found on one row: a rejection (the row is dropped, with its reason) or warnings. */
export interface RowIssues {
  reject(column: string | null, reason: string): void;
  warn(column: string | null, reason: string): void;
}

export interface RowHandler {
  /** Turns one record into a staging line, or reports why it cannot. */
  handle(cells: string[], line: number, issues: RowIssues): string | null;
}

export function rowHandler(ctx: RowContext): RowHandler {
  return ctx.kind === 'patients' ? new PatientRows(ctx) : new VisitRows(ctx);
}

/**
 * Parses one chunk and normalises its rows. Pure: the same bytes give the same output, in
 * the main thread or a worker thread alike.
 */
export function processChunk(
  buffer: Buffer,
  startLine: number,
  ctx: RowContext,
  handler = rowHandler(ctx),
): ChunkOutput {
  const out: ChunkOutput = {
    rows: 0,
    accepted: 0,
    rejected: 0,
    warnings: 0,
    staging: '',
    issues: '',
    parseError: null,
  };
  const lineOffset = startLine - 1;
  const headerCount = ctx.headers.length;
  let rowLine = 0;
  let cellsHere: string[] = [];
  let rejection: string | null = null;
  let warnings: string[] = [];
  const issueLine = (
    severity: 'rejected' | 'warning',
    column: string | null,
    reason: string,
    raw: string | null,
  ) => copyLine([ctx.importId, ctx.kind, rowLine, column, severity, reason, raw]);
  const issues: RowIssues = {
    reject(column, reason) {
      rejection ??= issueLine('rejected', column, reason, csvLine(cellsHere, ctx.format.delimiter));
    },
    warn(column, reason) {
      warnings.push(issueLine('warning', column, reason, null));
    },
  };
  // NUL cannot be stored in PostgreSQL text: such rows are rejected (looked for only when present).
  const hasNul = buffer.indexOf(0) !== -1;
  const fatal = parseCsv(
    buffer,
    ctx.format,
    {
      record(cells, line) {
        rowLine = lineOffset + line;
        if (isBlank(cells)) return;
        out.rows++;
        cellsHere = cells;
        rejection = null;
        warnings = [];
        let staged: string | null = null;
        const nul = hasNul ? cells.findIndex((c) => c.includes('\0')) : -1;
        if (nul >= 0) {
          issues.reject(ctx.headers[nul] ?? null, 'contains a NUL character (binary data), not text');
        } else if (cells.length > headerCount && !isBlank(cells.slice(headerCount))) {
          issues.reject(null, `row has ${cells.length} fields but the header has ${headerCount}`);
        } else {
          staged = handler.handle(cells, rowLine, issues);
          if (staged === null) issues.reject(null, 'row could not be read');
          else if (cells.length < headerCount) {
            issues.warn(null, `row has ${cells.length} of ${headerCount} fields; the missing ones are empty`);
          }
        }
        if (rejection !== null) {
          // A rejected row's warnings are noise: its rejection says what to fix.
          out.issues += rejection;
          out.rejected++;
        } else if (staged !== null) {
          out.staging += staged;
          out.accepted++;
          for (const w of warnings) out.issues += w;
          out.warnings += warnings.length;
        }
      },
      skip(error, from, to) {
        out.rows++;
        out.rejected++;
        rowLine = lineOffset + from;
        const raw = linesOf(buffer, from, to, ctx.format.lineBreak);
        out.issues += issueLine('rejected', null, `not valid CSV: ${describe(error)}`, raw);
      },
    },
    ctx.limits,
  );
  if (fatal) {
    const column = fatal.error instanceof CsvLimitError ? fatal.error.column : null;
    const name = column === null ? null : (ctx.headers[column] ?? `column ${column + 1}`);
    out.parseError = {
      line: lineOffset + fatal.line,
      message: name ? `column ${name}: ${describe(fatal.error)}` : describe(fatal.error),
      limit: fatal.error instanceof CsvLimitError,
    };
  }
  return out;
}

export function isBlank(cells: string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i].trim() !== '') return false;
  return true;
}

function describe(error: Error): string {
  const code = (error as CsvError).code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by more text in the same field';
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text after a closing quote';
    default:
      return error.message.replace(/ at line \d+/, '');
  }
}

/** Lines `from`..`to` (1-based within the buffer) as text, for a record the parser skipped. */
function linesOf(buffer: Buffer, from: number, to: number, lineBreak: string): string {
  const nl = lineBreak === '\r' ? 0x0d : 0x0a;
  let start = 0;
  for (let i = 1; i < from && start !== -1; i++) {
    const at = buffer.indexOf(nl, start);
    start = at === -1 ? -1 : at + 1;
  }
  if (start === -1) return '';
  let end = start;
  for (let i = from; i <= to; i++) {
    const at = buffer.indexOf(nl, end);
    if (at === -1) {
      end = buffer.length;
      break;
    }
    end = at + 1;
  }
  return buffer
    .subarray(start, end)
    .toString('latin1')
    .replace(/\r?\n$|\r$/, '');
}
