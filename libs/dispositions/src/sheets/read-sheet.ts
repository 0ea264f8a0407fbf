import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { unneutralize, type SheetColumn } from '../../../cycles/src/sheets/cycle-sheet';
import { isDispositionCode, type DispositionCode } from '../disposition-codes';

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

const MAX_ROWS = 50_000;
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
export async function readCycleSheet(body: Buffer, filename: string): Promise<ReadSheet> {
  const table = /\.xlsx$/i.test(filename) || isZip(body) ? await xlsxTable(body) : csvTable(body);
  const problems: SheetProblem[] = [];
  if (table.length === 0)
    return { entries: [], blank: 0, problems: [{ line: 1, column: null, message: 'the sheet is empty' }] };
  const header = table[0].map((h) => (typeof h === 'string' ? h.trim() : String(h ?? '')));
  const index = new Map(header.map((h, i) => [h.toLowerCase(), i]));
  for (const col of REQUIRED) {
    if (!index.has(col.toLowerCase()))
      problems.push({ line: 1, column: col, message: `the sheet has no "${col}" column` });
  }
  if (problems.length) return { entries: [], blank: 0, problems };
  if (table.length - 1 > MAX_ROWS) {
    return {
      entries: [],
      blank: 0,
      problems: [{ line: MAX_ROWS + 2, column: null, message: `more than ${MAX_ROWS} rows` }],
    };
  }
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

async function xlsxTable(body: Buffer): Promise<Cell[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
  } catch (e) {
    throw new SheetFormatError(`not a readable XLSX file (${(e as Error).message})`);
  }
  const sheet = workbook.worksheets.find((w) => w.name.toLowerCase() !== 'history') ?? workbook.worksheets[0];
  if (!sheet) return [];
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

function csvTable(body: Buffer): Cell[][] {
  try {
    return parse(body, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new SheetFormatError(`not a readable CSV file (${(e as Error).message})`);
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
