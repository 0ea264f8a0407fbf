import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { DEFAULT_SHEET_LIMITS, type SheetLimits } from '../../../config/src/input-limits';
import { unneutralize, type SheetColumn } from '../../../cycles/src/sheets/cycle-sheet';
import { describeBinary } from '../../../imports/src/reader/sniff';
import { isDispositionCode, type DispositionCode } from '../disposition-codes';
import { checkZipExpansion, ZipGuardError } from './xlsx-guard';

/** One filled-in row of a cycle sheet: what the agent wrote, times as practice wall clock. */
export interface SheetEntry {
  /** The row's line in the file (1 = the header). */
  line: number;
  mrn: string;
  code: DispositionCode;
  /** "Appt Date": the appointment (DONE, RECONFIRMED) or the callback (CBACK), `YYYY-MM-DDTHH:mm`. */
  appointment: string | null;
  remarks: string | null;
  /** "Last Call Date": when the call was made, `YYYY-MM-DDTHH:mm`. */
  callAt: string | null;
}

export interface SheetProblem {
  line: number;
  column: SheetColumn | null;
  mrn?: string | null;
  message: string;
}

export interface ReadSheet {
  entries: SheetEntry[];
  /** Rows without a disposition: nothing to record. */
  blank: number;
  problems: SheetProblem[];
}

/** Longest row of a CSV sheet, in characters: 18 columns of short values and a remark. */
const MAX_ROW_CHARS = 1024 * 1024;
const REQUIRED: SheetColumn[] = ['MRN', 'Disposition'];
const WALL_FORMATS = [
  'yyyy-MM-dd HH:mm',
  "yyyy-MM-dd'T'HH:mm",
  'yyyy-MM-dd HH:mm:ss',
  'M/d/yyyy H:mm',
  'M/d/yyyy h:mm a',
  'M/d/yy H:mm',
  'M/d/yyyy h:mm:ss a',
];

type Cell = string | Date | number | null;

/**
 * Reads a cycle sheet back (the XLSX or CSV `cycle export` wrote, filled in by an agent).
 * Columns are found by their header names, so a reordered sheet still reads; every problem
 * names its line and column, and nothing is recorded from a sheet with problems.
 */
export async function readCycleSheet(
  body: Buffer,
  filename: string,
  limits: SheetLimits = DEFAULT_SHEET_LIMITS,
): Promise<ReadSheet> {
  let table: Cell[][];
  let tooMany = false;
  try {
    table = /\.xlsx$/i.test(filename) || isZip(body) ? await xlsxTable(body, limits) : csvTable(body, limits);
  } catch (e) {
    if (!(e instanceof TooManyRows)) throw e;
    table = [];
    tooMany = true;
  }
  const problems: SheetProblem[] = [];
  if (table.length === 0 && !tooMany)
    return { entries: [], blank: 0, problems: [{ line: 1, column: null, message: 'the sheet is empty' }] };
  if (tooMany || table.length - 1 > limits.maxRows) {
    return {
      entries: [],
      blank: 0,
      problems: [
        {
          line: limits.maxRows + 2,
          column: null,
          message: `more than ${limits.maxRows} rows (SHEET_MAX_ROWS)`,
        },
      ],
    };
  }
  const tooLong = oversizedCell(table, limits);
  if (tooLong) return { entries: [], blank: 0, problems: [tooLong] };
  const header = table[0].map((h) => (typeof h === 'string' ? h.trim() : String(h ?? '')));
  const index = new Map(header.map((h, i) => [h.toLowerCase(), i]));
  for (const col of REQUIRED) {
    if (!index.has(col.toLowerCase()))
      problems.push({ line: 1, column: col, message: `the sheet has no "${col}" column` });
  }
  if (problems.length) return { entries: [], blank: 0, problems };
  const cell = (row: Cell[], col: SheetColumn): Cell => {
    const i = index.get(col.toLowerCase());
    return i === undefined ? null : (row[i] ?? null);
  };
  const entries: SheetEntry[] = [];
  let blank = 0;
  const seen = new Map<string, number>();
  for (let r = 1; r < table.length; r++) {
    const row = table[r];
    const line = r + 1;
    const code = text(cell(row, 'Disposition'))?.toUpperCase() ?? null;
    const mrn = text(cell(row, 'MRN'));
    if (!code) {
      blank++;
      continue;
    }
    if (!mrn) {
      problems.push({ line, column: 'MRN', message: 'a disposition without an MRN' });
      continue;
    }
    if (!isDispositionCode(code)) {
      problems.push({ line, column: 'Disposition', mrn, message: `not a disposition code: ${code}` });
      continue;
    }
    const earlier = seen.get(mrn);
    if (earlier) {
      problems.push({
        line,
        column: 'MRN',
        mrn,
        message: `the patient is also on line ${earlier}; one disposition per row and patient`,
      });
      continue;
    }
    seen.set(mrn, line);
    const appointment = wall(cell(row, 'Appt Date'));
    const callAt = wall(cell(row, 'Last Call Date'));
    if (appointment === undefined) {
      problems.push({
        line,
        column: 'Appt Date',
        mrn,
        message: 'not a date and time (e.g. 2026-06-22 09:30)',
      });
      continue;
    }
    if (callAt === undefined) {
      problems.push({
        line,
        column: 'Last Call Date',
        mrn,
        message: 'not a date and time (e.g. 2026-06-15 10:05)',
      });
      continue;
    }
    entries.push({ line, mrn, code, appointment, remarks: text(cell(row, 'Remarks')), callAt });
  }
  return { entries, blank, problems };
}

function isZip(body: Buffer): boolean {
  return body.length > 4 && body.readUInt32LE(0) === 0x04034b50;
}

/** The first cell past the column or length limits, as a problem (null when there is none). */
function oversizedCell(table: Cell[][], limits: SheetLimits): SheetProblem | null {
  for (let r = 0; r < table.length; r++) {
    const row = table[r];
    if (row.length > limits.maxColumns) {
      return {
        line: r + 1,
        column: null,
        message: `a row of ${row.length} columns; at most ${limits.maxColumns} are allowed (IMPORT_MAX_COLUMNS)`,
      };
    }
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (typeof v === 'string' && v.length > limits.maxFieldChars) {
        const name = table[0][c];
        return {
          line: r + 1,
          column: typeof name === 'string' ? (name.trim() as SheetColumn) : null,
          message: `a cell of ${v.length} characters; at most ${limits.maxFieldChars} are allowed (IMPORT_MAX_FIELD_CHARS)`,
        };
      }
    }
  }
  return null;
}

async function xlsxTable(body: Buffer, limits: SheetLimits): Promise<Cell[][]> {
  if (!isZip(body)) {
    const what = describeBinary(body.subarray(0, 64 * 1024));
    throw new SheetFormatError(
      `not a readable XLSX file (${what ? `this is ${what}` : 'not a zip archive'})`,
    );
  }
  try {
    await checkZipExpansion(body, limits.maxUnzippedBytes);
  } catch (e) {
    if (e instanceof ZipGuardError) throw new SheetFormatError(`not a readable XLSX file (${e.message})`);
    throw e;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
  } catch (e) {
    throw new SheetFormatError(`not a readable XLSX file (${(e as Error).message})`);
  }
  const sheet = workbook.worksheets.find((w) => w.name.toLowerCase() !== 'history') ?? workbook.worksheets[0];
  if (!sheet) return [];
  // Refuse before building the table: a sheet may name row 1,048,576 and column XFD.
  if (sheet.rowCount - 1 > limits.maxRows) throw new TooManyRows();
  if (sheet.columnCount > limits.maxColumns) {
    throw new SheetFormatError(
      `the sheet has ${sheet.columnCount} columns; at most ${limits.maxColumns} are allowed (IMPORT_MAX_COLUMNS)`,
    );
  }
  const rows: Cell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values: Cell[] = [];
    row.eachCell({ includeEmpty: true }, (c, col) => {
      values[col - 1] = cellValue(c.value);
    });
    rows[n - 1] = values;
  });
  return Array.from(rows, (r) => r ?? []);
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
  }
  return String(v);
}

/**
 * A CSV sheet: UTF-8 as exported, or Windows-1252 when Excel saved it as plain "CSV". At most
 * `maxRows` + 2 records are parsed (one past the limit, to report it), each bounded in size.
 */
function csvTable(body: Buffer, limits: SheetLimits): Cell[][] {
  const what = describeBinary(body.subarray(0, 64 * 1024));
  if (what) throw new SheetFormatError(`not a readable CSV file (this is ${what})`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = new TextDecoder('windows-1252').decode(body);
  }
  if (text.includes('\0'))
    throw new SheetFormatError('not a readable CSV file (it holds NUL bytes: binary data)');
  try {
    return parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: MAX_ROW_CHARS,
      to: limits.maxRows + 2,
    }) as string[][];
  } catch (e) {
    const error = e as Error & { code?: string; lines?: number };
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      throw new SheetFormatError(`line ${error.lines ?? '?'}: a row longer than ${MAX_ROW_CHARS / 1024} KB`);
    }
    throw new SheetFormatError(`not a readable CSV file (${error.message})`);
  }
}

function text(v: Cell): string | null {
  if (v === null) return null;
  const s = unneutralize(String(v instanceof Date ? v.toISOString() : v).trim());
  return s === '' ? null : s;
}

/** A date-time cell as practice wall clock `YYYY-MM-DDTHH:mm`; null when blank, undefined when unreadable. */
function wall(v: Cell): string | null | undefined {
  if (v === null || v === '') return null;
  // exceljs gives a Date whose UTC fields are the wall time Excel shows (Excel has no zones).
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 16);
  if (typeof v === 'number') {
    // An Excel serial day number (1900 system).
    const ms = Math.round((v - 25569) * 86_400_000);
    return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16) : undefined;
  }
  const s = unneutralize(v.trim());
  if (s === '') return null;
  for (const f of WALL_FORMATS) {
    const t = DateTime.fromFormat(s, f, { zone: 'utc' });
    if (t.isValid) return t.toFormat("yyyy-MM-dd'T'HH:mm");
  }
  return undefined;
}

export class SheetFormatError extends Error {}

class TooManyRows extends Error {}
