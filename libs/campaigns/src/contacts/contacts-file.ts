import { DomainError } from '@recall/core';
import { decode, FormatError, scanFile, sniffFile, type FileFormat } from '@recall/imports';
import type { CsvError } from 'csv-parse';
import { readFile } from 'node:fs/promises';
import { csvLine, neutralize } from '../../../imports/src/rows/copy-text';
import { parseCsv } from '../../../imports/src/rows/csv';
import { isBlank, type RowIssues } from '../../../imports/src/rows/process-chunk';
import {
  resolveContactColumns,
  suggestContactMapping,
  type ContactColumnIndex,
  type ContactMapping,
} from './contact-fields';
import { ContactRows, type ContactRow } from './contact-rows';

/** Contact lists hold thousands of rows; the file is read whole, so its size is bounded. */
export const MAX_CONTACTS_FILE_BYTES = 16 * 1024 * 1024;

/** A rejected row or a warning: where it is, what is wrong, and the row as the file had it. */
export interface ContactImportIssue {
  file: string;
  line: number;
  /** The header of the offending column; null when the row as a whole is at fault. */
  column: string | null;
  reason: string;
  originalRow: string;
}

export interface ContactsFile {
  name: string;
  bytes: number;
  sha256: string;
  format: FileFormat;
  /** The mapping used: the one given, else the suggested one. */
  mapping: ContactMapping;
  index: ContactColumnIndex;
  /** Non-blank data rows: `rows.length + rejected.length`. */
  totalRows: number;
  rows: ContactRow[];
  rejected: ContactImportIssue[];
  warnings: ContactImportIssue[];
}

/** Issues as the CSV a user downloads: `file,line,column,reason,original_row`. */
export function contactIssuesCsv(issues: readonly ContactImportIssue[]): string {
  let out = 'file,line,column,reason,original_row\n';
  for (const i of issues)
    out += csvLine([i.file, String(i.line), i.column ?? '', i.reason, i.originalRow].map(neutralize)) + '\n';
  return out;
}

function csvReason(error: Error): string {
  switch ((error as CsvError).code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by more text in the same field';
    default:
      return error.message.replace(/ at line \d+/, '');
  }
}

/**
 * Reads a whole contacts file: sniffs its layout (encoding, delimiter, line ends, header row)
 * the way the EMR importer does, checks the mapping, and sorts every data row into accepted or
 * rejected. A file that cannot be read as CSV throws a DomainError naming the file and line.
 */
export async function readContactsFile(
  path: string,
  opts: { name: string; mapping?: ContactMapping },
): Promise<ContactsFile> {
  const { name } = opts;
  const scan = await scanFile(path);
  if (scan.bytes > MAX_CONTACTS_FILE_BYTES) {
    throw DomainError.invalid(
      `${name}: a contacts list is limited to ${MAX_CONTACTS_FILE_BYTES / 1024 / 1024} MB ` +
        `(this file has ${(scan.bytes / 1024 / 1024).toFixed(1)} MB)`,
    );
  }
  let format: FileFormat;
  try {
    format = await sniffFile(
      path,
      { encoding: opts.mapping?.encoding, delimiter: opts.mapping?.delimiter },
      scan,
    );
  } catch (error) {
    if (error instanceof FormatError) throw DomainError.invalid(`${name}: ${error.message}`);
    if (!String((error as CsvError).code ?? '').startsWith('CSV_')) throw error;
    const line = (error as { lines?: number }).lines;
    throw DomainError.invalid(
      `${name}${line ? `, line ${line}` : ''}: ${csvReason(error as Error)}; nothing was imported`,
    );
  }

  const mapping = opts.mapping ?? { columns: suggestContactMapping(format.headers).columns };
  const { index, problems } = resolveContactColumns(mapping, format.headers);
  if (problems.length) throw DomainError.invalid(`${name}: ${problems.join('; ')}`);

  const buffer = (await readFile(path)).subarray(format.dataOffset);
  const lineOffset = format.dataLine - 1;
  const headerCount = format.headers.length;
  const reader = new ContactRows(format.headers, index);
  const rows: ContactRow[] = [];
  const rejected: ContactImportIssue[] = [];
  const warnings: ContactImportIssue[] = [];
  let totalRows = 0;
  let lines: string[] | null = null;

  const fatal = parseCsv(buffer, format, {
    record(cells, at) {
      if (isBlank(cells)) return;
      totalRows++;
      const line = lineOffset + at;
      // NUL cannot be stored in PostgreSQL text: such a row is rejected, shown with U+FFFD.
      const nul = cells.findIndex((c) => c.includes('\0'));
      const originalRow = csvLine(cells, format.delimiter).replace(/\0/g, '\uFFFD');
      let rejection: ContactImportIssue | null = null;
      const rowWarnings: ContactImportIssue[] = [];
      const issues: RowIssues = {
        reject(column, reason) {
          rejection ??= { file: name, line, column, reason, originalRow };
        },
        warn(column, reason) {
          rowWarnings.push({ file: name, line, column, reason, originalRow });
        },
      };
      let row: ContactRow | null = null;
      if (nul >= 0) {
        issues.reject(format.headers[nul] ?? null, 'contains a NUL character (binary data), not text');
      } else if (cells.length > headerCount && !isBlank(cells.slice(headerCount))) {
        issues.reject(null, `row has ${cells.length} fields but the header has ${headerCount}`);
      } else {
        row = reader.read(cells, line, issues);
        if (row !== null && cells.length < headerCount) {
          issues.warn(null, `row has ${cells.length} of ${headerCount} fields; the missing ones are empty`);
        }
      }
      // A rejected row's warnings are noise: its rejection says what to fix.
      if (rejection !== null) rejected.push(rejection);
      else if (row !== null) {
        rows.push(row);
        warnings.push(...rowWarnings);
      }
    },
    skip(error, from, to) {
      totalRows++;
      lines ??= decode(buffer, format.encoding).split(format.lineBreak);
      rejected.push({
        file: name,
        line: lineOffset + from,
        column: null,
        reason: `not valid CSV: ${csvReason(error)}`,
        originalRow: lines.slice(from - 1, to).join(format.lineBreak),
      });
    },
  });
  if (fatal) {
    throw DomainError.invalid(
      `${name}, line ${lineOffset + fatal.line}: ${csvReason(fatal.error)}; nothing was imported`,
    );
  }
  return {
    name,
    bytes: scan.bytes,
    sha256: scan.sha256,
    format,
    mapping,
    index,
    totalRows,
    rows,
    rejected,
    warnings,
  };
}
