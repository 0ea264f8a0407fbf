import ExcelJS, { type DataValidation } from 'exceljs';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { DateTime, IANAZone } from 'luxon';
import { csvLine, neutralize, unneutralize } from '../../../imports/src/rows/copy-text';
import type { StoredPhone } from '../../../patients/src/entities/patient.entity';

/** The sheet's columns, in order; the import reads them back by these names. */
export const SHEET_COLUMNS = [
  'Assigned Date',
  'Due Date',
  'MRN',
  'Patient',
  'DOB',
  'Phone(s)',
  'Last Encounter Date',
  'Last Appt Date',
  'Next Appt Date',
  'Disposition',
  'Appt Date',
  'Remarks',
  'Call Date 1',
  'Call Date 2',
  'Call Date 3',
  'Call Date 4',
  'Call Date 5',
  'Last Call Date',
] as const;
export type SheetColumn = (typeof SHEET_COLUMNS)[number];

/** The codes offered in the Disposition drop-down (DOMAIN.md §5). */
export const DISPOSITION_CODES: string[] = [
  'DONE',
  'NOANS',
  'LVM',
  'WNUM',
  'CBACK',
  'LOST',
  'DCONN',
  'UNAVLBL',
  'HUNGUP',
  'DNC',
  'RECONFIRMED',
  'DUPLICATE',
];

/** One assignment as the sheet shows it. Dates are `YYYY-MM-DD`; instants are ISO with an offset. */
export interface SheetRow {
  assignedOn: string;
  dueOn: string;
  mrn: string | null;
  patient: string;
  birthDate: string | null;
  phones: StoredPhone[];
  lastEncounterOn: string | null;
  lastAppointmentOn: string | null;
  nextAppointmentOn: string | null;
  disposition: string | null;
  appointmentAt: string | null;
  remarks: string | null;
  /** ISO instants, oldest first, up to 5 (more are ignored). */
  callDates: string[];
  lastCallAt: string | null;
}

export interface XlsxOptions {
  /** The practice's IANA zone: instants are shown as its wall time. */
  zone: string;
  /** Names the worksheet (the agent and the cycle); cut to Excel's rules by `sheetName`. */
  title: string;
  dispositionCodes: string[];
}

// Formula neutralisation lives beside the CSV writer every export uses.
export { neutralize, unneutralize };

const NANP = /^\+1(\d{3})(\d{3})(\d{4})$/;

function formatNumber(e164: string): string {
  const nanp = NANP.exec(e164);
  if (nanp) return `(${nanp[1]}) ${nanp[2]}-${nanp[3]}`;
  // As dialled from the US (011 …): also keeps the cell from starting with `+`.
  return parsePhoneNumberFromString(e164)?.format('IDD', { fromCountry: 'US' }) || e164;
}

/** Valid numbers in stored order (best first): "(619) 555-7823 x251 (mobile); (858) 555-0100 (home)". */
export function formatPhones(phones: readonly StoredPhone[]): string {
  return phones
    .filter((p) => p.valid && p.e164)
    .map((p) => `${formatNumber(p.e164!)}${p.extension ? ` x${p.extension}` : ''} (${p.type})`)
    .join('; ');
}

/** A worksheet name Excel accepts: no `[]:*?/\`, no quote at either end, at most 31 characters. */
export function sheetName(title: string): string {
  const name = title
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 31)
    .replace(/^'+|'+$/g, '')
    .trim();
  return name === '' || name.toLowerCase() === 'history' ? 'Cycle' : name;
}

type Kind = 'date' | 'instant' | 'text';
interface ColumnSpec {
  width: number;
  kind: Kind;
  value: (row: SheetRow) => string | null;
}

const COLUMN_SPECS: Record<SheetColumn, ColumnSpec> = {
  'Assigned Date': { width: 13, kind: 'date', value: (r) => r.assignedOn },
  'Due Date': { width: 12, kind: 'date', value: (r) => r.dueOn },
  MRN: { width: 12, kind: 'text', value: (r) => r.mrn },
  Patient: { width: 28, kind: 'text', value: (r) => r.patient },
  DOB: { width: 12, kind: 'date', value: (r) => r.birthDate },
  'Phone(s)': { width: 44, kind: 'text', value: (r) => formatPhones(r.phones) },
  'Last Encounter Date': { width: 19, kind: 'date', value: (r) => r.lastEncounterOn },
  'Last Appt Date': { width: 15, kind: 'date', value: (r) => r.lastAppointmentOn },
  'Next Appt Date': { width: 15, kind: 'date', value: (r) => r.nextAppointmentOn },
  Disposition: { width: 14, kind: 'text', value: (r) => r.disposition },
  'Appt Date': { width: 17, kind: 'instant', value: (r) => r.appointmentAt },
  Remarks: { width: 40, kind: 'text', value: (r) => r.remarks },
  'Call Date 1': { width: 17, kind: 'instant', value: (r) => r.callDates[0] ?? null },
  'Call Date 2': { width: 17, kind: 'instant', value: (r) => r.callDates[1] ?? null },
  'Call Date 3': { width: 17, kind: 'instant', value: (r) => r.callDates[2] ?? null },
  'Call Date 4': { width: 17, kind: 'instant', value: (r) => r.callDates[3] ?? null },
  'Call Date 5': { width: 17, kind: 'instant', value: (r) => r.callDates[4] ?? null },
  'Last Call Date': { width: 17, kind: 'instant', value: (r) => r.lastCallAt },
};
const COLUMNS = SHEET_COLUMNS.map((header) => ({ header, ...COLUMN_SPECS[header] }));

const DATE_FORMAT = 'yyyy-mm-dd';
const INSTANT_FORMAT = 'yyyy-mm-dd hh:mm';
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Instants as one zone's wall time, in a Date whose UTC fields are that wall time. Offsets are
 * memoised per quarter hour (luxon's per-instant lookup was most of an export's time); a
 * quarter hour whose two ends disagree holds a transition and is looked up exactly.
 */
class WallClock {
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number | null>();

  constructor(private readonly name: string) {
    if (!IANAZone.isValidZone(name)) throw new Error(`not a time zone: ${name}`);
    this.zone = IANAZone.create(name);
  }

  /** An ISO instant; one without an offset is taken as the zone's wall time already. */
  wall(iso: string): Date | null {
    const ms = UTC_INSTANT.test(iso) ? Date.parse(iso) : NaN;
    if (Number.isNaN(ms)) {
      const t = DateTime.fromISO(iso, { zone: this.name });
      return t.isValid ? new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)) : null;
    }
    const bucket = Math.floor(ms / QUARTER_HOUR);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const start = this.zone.offset(bucket * QUARTER_HOUR);
      offset = start === this.zone.offset((bucket + 1) * QUARTER_HOUR) ? start : null;
      this.offsets.set(bucket, offset);
    }
    return new Date(ms + (offset ?? this.zone.offset(ms)) * 60_000);
  }
}
const QUARTER_HOUR = 15 * 60_000;
/** What SHEET_ROWS_SQL and `toISOString` write; anything else goes through luxon. */
const UTC_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z$/;
const pad = (n: number) => String(n).padStart(2, '0');

/** Header and rows, CRLF after each line, quoted as RFC 4180 says; instants as "YYYY-MM-DD HH:mm" in `zone`. */
export function toCsv(rows: readonly SheetRow[], zone: string): string {
  const clock = new WallClock(zone);
  let out = csvLine(SHEET_COLUMNS) + '\r\n';
  for (const row of rows) {
    const cells = COLUMNS.map(({ kind, value }) => {
      const v = value(row);
      if (v === null) return '';
      if (kind === 'instant') {
        const t = clock.wall(v);
        if (t)
          return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
      }
      return neutralize(v);
    });
    out += csvLine(cells) + '\r\n';
  }
  return out;
}

/**
 * The value of a date column as Excel stores it: exceljs writes a Date by its UTC fields, and
 * Excel has no zones, so the cell gets a Date whose UTC fields are the wall time shown.
 */
function excelValue(kind: Kind, v: string, clock: WallClock): Date | string {
  if (kind === 'date') {
    const d = ISO_DATE.exec(v);
    if (d) return new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])));
  } else if (kind === 'instant') {
    const t = clock.wall(v);
    if (t) return t;
  }
  return neutralize(v);
}

/**
 * One worksheet: bold frozen header with an auto-filter, real Excel dates, a drop-down of
 * `dispositionCodes` on every Disposition cell and a date-time Appt Date for the agent to fill.
 */
export async function toXlsx(rows: readonly SheetRow[], opts: XlsxOptions): Promise<Buffer> {
  const clock = new WallClock(opts.zone);
  const list = opts.dispositionCodes.join(',');
  // An inline list is all Excel needs here; it caps one at 255 characters.
  if (list.length > 255 || opts.dispositionCodes.some((c) => /[,"]/.test(c)))
    throw new Error('dispositionCodes: too long or not plain codes for an inline drop-down list');

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Recall';
  const sheet = workbook.addWorksheet(sheetName(opts.title), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
  });
  sheet.columns = COLUMNS.map(({ header, width, kind }) => ({
    header,
    key: header,
    width,
    style: kind === 'text' ? {} : { numFmt: kind === 'date' ? DATE_FORMAT : INSTANT_FORMAT },
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows.length + 1, column: COLUMNS.length } };

  for (let i = 0; i < rows.length; i++) {
    const row = sheet.getRow(i + 2);
    COLUMNS.forEach(({ kind, value }, c) => {
      const v = value(rows[i]);
      const cell = row.getCell(c + 1);
      if (v !== null) cell.value = excelValue(kind, v, clock);
    });
  }
  if (rows.length > 0) {
    // One range per column: exceljs's per-cell validations get merged into overlapping
    // ranges (J10:J13 and J2:J13), which Excel reports as a damaged file.
    const validations = (
      sheet as unknown as { dataValidations: { add(address: string, v: DataValidation): void } }
    ).dataValidations;
    const last = rows.length + 1;
    validations.add(`${columnLetter('Disposition')}2:${columnLetter('Disposition')}${last}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${list}"`],
      showErrorMessage: true,
      errorTitle: 'Disposition',
      error: 'Pick a code from the list.',
    });
    validations.add(`${columnLetter('Appt Date')}2:${columnLetter('Appt Date')}${last}`, {
      type: 'date',
      operator: 'greaterThan',
      allowBlank: true,
      formulae: [new Date(Date.UTC(2000, 0, 1))],
      showErrorMessage: true,
      errorTitle: 'Appt Date',
      error: 'Enter the appointment date and time, e.g. 2025-03-14 09:30.',
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A–Z is enough: the sheet has 18 columns. */
function columnLetter(column: SheetColumn): string {
  return String.fromCharCode(65 + SHEET_COLUMNS.indexOf(column));
}
