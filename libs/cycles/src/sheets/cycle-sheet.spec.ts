import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import JSZip from 'jszip';
import { DateTime } from 'luxon';
import type { StoredPhone } from '../../../patients/src/entities/patient.entity';
import {
  DISPOSITION_CODES,
  formatPhones,
  neutralize,
  SHEET_COLUMNS,
  sheetName,
  toCsv,
  toXlsx,
  unneutralize,
  type SheetRow,
} from './cycle-sheet';
import { SHEET_ROWS_SQL } from './sheet-rows.sql';

const ZONE = 'America/Los_Angeles';

const phone = (p: Partial<StoredPhone>): StoredPhone => ({
  e164: null,
  extension: null,
  raw: '',
  type: 'mobile',
  valid: true,
  ...p,
});

const row = (r: Partial<SheetRow> = {}): SheetRow => ({
  assignedOn: '2025-03-10',
  dueOn: '2025-03-12',
  mrn: '000123',
  patient: 'Ana García',
  birthDate: '1961-07-04',
  phones: [
    phone({ e164: '+16195557823', extension: '251', type: 'mobile' }),
    phone({ raw: '555-1234', type: 'home', valid: false }),
    phone({ e164: '+18585550100', type: 'home' }),
  ],
  lastEncounterOn: '2023-11-02',
  lastAppointmentOn: '2023-12-01',
  nextAppointmentOn: null,
  disposition: null,
  appointmentAt: null,
  remarks: null,
  // 16:05 UTC is 09:05 in Los Angeles after the DST change of 2025-03-09, 08:05 before it.
  callDates: ['2025-03-08T16:05:00Z', '2025-03-10T16:05:00Z'],
  lastCallAt: '2025-03-10T16:05:00Z',
  ...r,
});

async function readBack(buffer: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  // exceljs's own Buffer type predates Node's generic Buffer.
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  expect(workbook.worksheets).toHaveLength(1);
  return workbook.worksheets[0];
}

const col = (name: (typeof SHEET_COLUMNS)[number]): number => SHEET_COLUMNS.indexOf(name) + 1;

describe('neutralize', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1 619', "'+1 619"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ['\uFF0B1', "'\uFF0B1"],
    ["'=1", "''=1"],
    ['a=1', 'a=1'],
    [' =1', ' =1'],
    ["'tis", "'tis"],
    ['', ''],
    ['NOANS', 'NOANS'],
  ])('%j → %j', (input, output) => {
    expect(neutralize(input)).toBe(output);
  });

  it('is undone by unneutralize, and never leaves a formula start', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('=', '+', '-', '@', "'", '\t', '\uFF1D', 'a', ' ') }),
        (s) => {
          const n = neutralize(s);
          expect(unneutralize(n)).toBe(s);
          expect(/^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/.test(n)).toBe(false);
        },
      ),
    );
  });
});

describe('formatPhones', () => {
  it('lists the valid numbers in stored order with extension and type', () => {
    expect(formatPhones(row().phones)).toBe('(619) 555-7823 x251 (mobile); (858) 555-0100 (home)');
  });

  it('writes other countries as dialled from the US, and nothing for no valid number', () => {
    expect(formatPhones([phone({ e164: '+442079460958', type: 'work' })])).toBe('011 44 20 7946 0958 (work)');
    expect(formatPhones([phone({ raw: '12', valid: false })])).toBe('');
  });
});

describe('sheetName', () => {
  it('drops what Excel forbids and keeps 31 characters', () => {
    expect(sheetName('jdoe [2025-03-10/2025-03-21]: *?\\')).toBe('jdoe 2025-03-10 2025-03-21');
    expect(sheetName('a'.repeat(40))).toHaveLength(31);
    expect(sheetName("'quoted'")).toBe('quoted');
    expect(sheetName('[]')).toBe('Cycle');
  });
});

describe('toXlsx', () => {
  const rows = [
    row(),
    row({
      mrn: '42',
      patient: 'Bob Smith',
      phones: [],
      disposition: 'NOANS',
      remarks: '=HYPERLINK("http://x")',
      callDates: [],
      lastCallAt: null,
      lastEncounterOn: null,
    }),
  ];
  let sheet: ExcelJS.Worksheet;
  beforeAll(async () => {
    sheet = await readBack(
      await toXlsx(rows, { zone: ZONE, title: 'jdoe 2025-03-10', dispositionCodes: DISPOSITION_CODES }),
    );
  });

  it('has the headers in order, bold, frozen and filterable', () => {
    expect(sheet.name).toBe('jdoe 2025-03-10');
    expect(sheet.getRow(1).values).toEqual([undefined, ...SHEET_COLUMNS]);
    expect(sheet.getCell(1, 1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:R3');
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getColumn(col('Patient')).width).toBeGreaterThan(20);
  });

  it('offers the disposition codes as a drop-down on every data row', () => {
    for (const r of [2, 3]) {
      expect(sheet.getCell(r, col('Disposition')).dataValidation).toMatchObject({
        type: 'list',
        allowBlank: true,
        formulae: [`"${DISPOSITION_CODES.join(',')}"`],
      });
      expect(sheet.getCell(r, col('Appt Date')).dataValidation).toMatchObject({ type: 'date' });
      expect(sheet.getCell(r, col('Appt Date')).numFmt).toBe('yyyy-mm-dd hh:mm');
    }
    expect(sheet.getCell(3, col('Disposition')).value).toBe('NOANS');
    expect(sheet.getCell(1, col('Disposition')).dataValidation).toBeUndefined();
  });

  it('writes dates as Excel dates and call times as the practice wall time', () => {
    const assigned = sheet.getCell(2, col('Assigned Date'));
    expect(assigned.value).toEqual(new Date(Date.UTC(2025, 2, 10)));
    expect(assigned.numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getCell(2, col('DOB')).value).toEqual(new Date(Date.UTC(1961, 6, 4)));
    const first = sheet.getCell(2, col('Call Date 1'));
    expect(first.value).toEqual(new Date(Date.UTC(2025, 2, 8, 8, 5)));
    expect(first.numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(sheet.getCell(2, col('Call Date 2')).value).toEqual(new Date(Date.UTC(2025, 2, 10, 9, 5)));
    expect(sheet.getCell(2, col('Last Call Date')).value).toEqual(new Date(Date.UTC(2025, 2, 10, 9, 5)));
    expect(sheet.getCell(2, col('Call Date 3')).value).toBeNull();
    expect(sheet.getCell(3, col('Last Encounter Date')).value).toBeNull();
  });

  it('keeps text as text and a formula as inert text', () => {
    expect(sheet.getCell(2, col('MRN')).value).toBe('000123');
    expect(sheet.getCell(3, col('MRN')).value).toBe('42');
    expect(sheet.getCell(2, col('Phone(s)')).value).toBe(
      '(619) 555-7823 x251 (mobile); (858) 555-0100 (home)',
    );
    expect(sheet.getCell(2, col('Patient')).value).toBe('Ana García');
    const remark = sheet.getCell(3, col('Remarks'));
    expect(remark.type).toBe(ExcelJS.ValueType.String);
    expect(remark.value).toBe('\'=HYPERLINK("http://x")');
    expect(unneutralize(remark.value as string)).toBe('=HYPERLINK("http://x")');
  });

  it('writes each validation once, as one range (overlapping ranges make Excel repair the file)', async () => {
    const many = Array.from({ length: 12 }, (_, i) => row({ mrn: String(i) }));
    const zip = await JSZip.loadAsync(
      await toXlsx(many, { zone: ZONE, title: 'x', dispositionCodes: DISPOSITION_CODES }),
    );
    const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect([...xml.matchAll(/sqref="([^"]+)"/g)].map((m) => m[1])).toEqual(['J2:J13', 'K2:K13']);
  });

  it('writes an empty sheet as just the header', async () => {
    const empty = await readBack(
      await toXlsx([], { zone: ZONE, title: 'x', dispositionCodes: DISPOSITION_CODES }),
    );
    expect(empty.rowCount).toBe(1);
    expect(empty.getRow(1).values).toEqual([undefined, ...SHEET_COLUMNS]);
  });

  it('refuses an unknown zone', async () => {
    await expect(toXlsx(rows, { zone: 'Mars/Olympus', title: 'x', dispositionCodes: [] })).rejects.toThrow(
      /time zone/,
    );
  });
});

describe('toCsv', () => {
  it('writes the header and the rows with CRLF, dates and zoned call times', () => {
    const csv = toCsv([row()], ZONE);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0]).toBe(SHEET_COLUMNS.join(','));
    expect(lines[1]).toBe(
      '2025-03-10,2025-03-12,000123,Ana García,1961-07-04,(619) 555-7823 x251 (mobile); (858) 555-0100 (home),' +
        '2023-11-02,2023-12-01,,,,,2025-03-08 08:05,2025-03-10 09:05,,,,2025-03-10 09:05',
    );
  });

  it('quotes commas, quotes and line breaks, and neutralises formulas', () => {
    const remarks = 'said "call back", later\r\nmaybe';
    const csv = toCsv(
      [row({ patient: 'Smith, Bob', remarks }), row({ patient: '@cmd', remarks: '-5', mrn: '+1' })],
      ZONE,
    );
    expect(csv).toContain('"Smith, Bob"');
    expect(csv).toContain('"said ""call back"", later\r\nmaybe"');
    const records: string[][] = parse(csv, { relax_column_count: false });
    expect(records).toHaveLength(3);
    for (const r of records) expect(r).toHaveLength(SHEET_COLUMNS.length);
    expect(records[1][col('Patient') - 1]).toBe('Smith, Bob');
    expect(records[1][col('Remarks') - 1]).toBe(remarks);
    expect(records[2][col('Patient') - 1]).toBe("'@cmd");
    expect(records[2][col('Remarks') - 1]).toBe("'-5");
    expect(records[2][col('MRN') - 1]).toBe("'+1");
  });

  it('shows instants as luxon would in the zone, across DST changes', () => {
    const zones = [
      'America/New_York',
      'America/Phoenix',
      'Pacific/Honolulu',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
    ];
    // Around the 2025 US and Lord Howe changes, and anywhere in 2020–2030.
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(2025, 2, 9, 5), max: Date.UTC(2025, 2, 9, 12) }),
      fc.integer({ min: Date.UTC(2025, 3, 5, 14), max: Date.UTC(2025, 3, 5, 16) }),
      fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(instant, { minLength: 1, maxLength: 40 }),
        (zone, times) => {
          const rows = times.map((ms) => row({ lastCallAt: new Date(ms).toISOString() }));
          const shown = (parse(toCsv(rows, zone)) as string[][])
            .slice(1)
            .map((r) => r[col('Last Call Date') - 1]);
          expect(shown).toEqual(
            times.map((ms) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm')),
          );
        },
      ),
    );
  });

  it('takes an instant with another offset, or none (the wall time itself)', () => {
    const [, line] = parse(
      toCsv(
        [
          row({
            callDates: ['2025-03-10T12:00:00-05:00', '2025-03-10T09:30'],
            appointmentAt: '2025-03-14T10:15',
          }),
        ],
        ZONE,
      ),
    ) as string[][];
    expect(line[col('Call Date 1') - 1]).toBe('2025-03-10 10:00');
    expect(line[col('Call Date 2') - 1]).toBe('2025-03-10 09:30');
    expect(line[col('Appt Date') - 1]).toBe('2025-03-14 10:15');
  });

  it('keeps only the first five call dates', () => {
    const times = ['01', '02', '03', '04', '05', '06'].map((d) => `2025-01-${d}T20:00:00Z`);
    const [, line] = parse(toCsv([row({ callDates: times })], 'America/New_York')) as string[][];
    expect(line.slice(col('Call Date 1') - 1, col('Call Date 5'))).toEqual(
      ['01', '02', '03', '04', '05'].map((d) => `2025-01-${d} 15:00`),
    );
  });
});

describe('SHEET_ROWS_SQL', () => {
  it('takes exactly $1..$4 (the activity query is moved onto $4 as its as-of date)', () => {
    const params = new Set(SHEET_ROWS_SQL.match(/\$\d+/g));
    expect([...params].sort()).toEqual(['$1', '$2', '$3', '$4']);
    expect(SHEET_ROWS_SQL).toMatch(/v\.occurs_on <= \$4/);
  });

  it('returns every SheetRow field', () => {
    const fields: (keyof SheetRow)[] = [
      'assignedOn',
      'dueOn',
      'mrn',
      'patient',
      'birthDate',
      'phones',
      'lastEncounterOn',
      'lastAppointmentOn',
      'nextAppointmentOn',
      'disposition',
      'appointmentAt',
      'remarks',
      'callDates',
      'lastCallAt',
    ];
    for (const f of fields)
      expect(SHEET_ROWS_SQL).toMatch(new RegExp(`AS "?${f}"?[,\\s]|^\\s*pa\\.${f},`, 'm'));
  });
});
