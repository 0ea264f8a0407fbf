import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { fuzzRuns } from '../../../../test/support/fuzz';
import { randomBytes, xlsxBomb, zip } from '../../../../test/support/hostile-files';
import { DEFAULT_SHEET_LIMITS } from '../../../config/src/input-limits';
import { readCycleSheet, SheetFormatError } from './read-sheet';

const HEADER = 'MRN,Disposition,Appt Date,Remarks,Last Call Date';

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('readCycleSheet on hostile files', () => {
  it('stops an XLSX zip bomb before unzipping it: by its declared size', async () => {
    const bomb = xlsxBomb(2048); // 2 GB of one byte, about 2 MB zipped
    expect(bomb.length).toBeLessThan(4 << 20);
    await expect(readCycleSheet(bomb, 'sheet.xlsx')).rejects.toThrow(
      /not a readable XLSX file \(it would unzip to 2048 MB; at most 256 MB \(XLSX_MAX_UNZIPPED_MB\)\)/,
    );
  });

  it('and when the zip lies about its size, by counting while inflating, with flat memory', async () => {
    const bomb = xlsxBomb(1024, 1000);
    const before = process.memoryUsage().rss;
    await expect(readCycleSheet(bomb, 'sheet.xlsx')).rejects.toThrow(
      /not a readable XLSX file \(it unzips to more than 256 MB \(XLSX_MAX_UNZIPPED_MB\)\)/,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(128 << 20);
  });

  it('refuses a zip of many files, a zip cut off midway, and other files named .xlsx', async () => {
    const many = zip(Array.from({ length: 1500 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    await expect(readCycleSheet(many, 's.xlsx')).rejects.toThrow(/a zip of 1500 files, not an XLSX file/);
    const good = await xlsx([HEADER.split(','), ['K1', 'NOANS', '', '', '2026-06-16 10:05']]);
    await expect(readCycleSheet(good.subarray(0, good.length >> 1), 's.xlsx')).rejects.toThrow(
      SheetFormatError,
    );
    await expect(readCycleSheet(gzipSync(Buffer.from(HEADER)), 's.xlsx')).rejects.toThrow(
      /not a readable XLSX file \(this is gzip-compressed data\)/,
    );
    await expect(readCycleSheet(Buffer.from(`${HEADER}\n`), 's.xlsx')).rejects.toThrow(/not a zip archive/);
  });

  it('refuses an XLSX naming a far row or column before building its table', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet');
    ws.addRow(HEADER.split(','));
    ws.getCell('A1048576').value = 'K1';
    const far = Buffer.from(await wb.xlsx.writeBuffer());
    expect((await readCycleSheet(far, 's.xlsx')).problems).toEqual([
      { line: 50_002, column: null, message: 'more than 50000 rows (SHEET_MAX_ROWS)' },
    ]);
    const wb2 = new ExcelJS.Workbook();
    const ws2 = wb2.addWorksheet('Sheet');
    ws2.addRow(HEADER.split(','));
    ws2.getCell('XFD2').value = 'x';
    const wide = Buffer.from(await wb2.xlsx.writeBuffer());
    await expect(readCycleSheet(wide, 's.xlsx')).rejects.toThrow(
      'the sheet has 16384 columns; at most 2000 are allowed (IMPORT_MAX_COLUMNS)',
    );
  });

  it('reads a good XLSX within the limits', async () => {
    const good = await xlsx([HEADER.split(','), ['K1', 'NOANS', '', '=1+1', '2026-06-16 10:05']]);
    const read = await readCycleSheet(good, 's.xlsx');
    expect(read.problems).toEqual([]);
    expect(read.entries).toMatchObject([{ line: 2, mrn: 'K1', code: 'NOANS', remarks: '=1+1' }]);
  });

  it('refuses CSV garbage, NUL bytes, gzip and oversized rows and cells, naming the line', async () => {
    await expect(readCycleSheet(randomBytes(64 * 1024, 7), 'sheet.csv')).rejects.toThrow(
      /not a readable CSV file \(this is binary data/,
    );
    await expect(readCycleSheet(gzipSync(Buffer.from(HEADER)), 'sheet.csv')).rejects.toThrow(/gzip/);
    await expect(readCycleSheet(Buffer.from(`${HEADER}\nK1,NO\0ANS\n`), 'sheet.csv')).rejects.toThrow(
      /NUL bytes/,
    );
    const wide = Buffer.from(`${HEADER}\nK1,NOANS${',xxxx'.repeat(300_000)}\n`);
    await expect(readCycleSheet(wide, 'sheet.csv')).rejects.toThrow(/line 2: a row longer than 1024 KB/);
    const limits = { ...DEFAULT_SHEET_LIMITS, maxRows: 10, maxColumns: 20, maxFieldChars: 100 };
    const long = await readCycleSheet(
      Buffer.from(`${HEADER}\nK1,NOANS,,${'r'.repeat(101)}\n`),
      's.csv',
      limits,
    );
    expect(long.problems).toEqual([
      {
        line: 2,
        column: 'Remarks',
        message: 'a cell of 101 characters; at most 100 are allowed (IMPORT_MAX_FIELD_CHARS)',
      },
    ]);
    const columns = await readCycleSheet(Buffer.from(`${HEADER}${',x'.repeat(20)}\n`), 's.csv', limits);
    expect(columns.problems[0]).toMatchObject({
      line: 1,
      message: expect.stringMatching(/25 columns; at most 20/),
    });
    const rows = Buffer.from(`${HEADER}\n${'K1,,,,\n'.repeat(1_000_000)}`);
    const many = await readCycleSheet(rows, 's.csv', limits);
    expect(many.problems).toEqual([
      { line: 12, column: null, message: 'more than 10 rows (SHEET_MAX_ROWS)' },
    ]);
  });

  it('reads a sheet Excel saved as Windows-1252 CSV', async () => {
    const body = Buffer.from(`${HEADER}\nK1,LOST,,Moved to M\xfcnchen,2026-06-16 10:05\n`, 'latin1');
    const read = await readCycleSheet(body, 'sheet.csv');
    expect(read.entries[0].remarks).toBe('Moved to München');
  });

  it('fuzz: any bytes, as CSV or as XLSX, give a result or a SheetFormatError, nothing else', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc
        .array(
          fc.constantFrom('MRN', 'Disposition', ',', '"', '\n', '\r\n', 'NOANS', 'K1', '=', '\0', 'é', ' '),
          {
            maxLength: 200,
          },
        )
        .map((parts) => new TextEncoder().encode(parts.join(''))),
    );
    await fc.assert(
      fc.asyncProperty(bytes, fc.constantFrom('s.csv', 's.xlsx'), fc.boolean(), async (data, name, asZip) => {
        const body = asZip
          ? zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.from(data) }])
          : Buffer.from(data);
        try {
          const read = await readCycleSheet(body, name);
          expect(read.entries.length + read.blank).toBeLessThanOrEqual(DEFAULT_SHEET_LIMITS.maxRows);
        } catch (e) {
          if (!(e instanceof SheetFormatError)) throw e;
        }
      }),
      { numRuns: fuzzRuns(200) },
    );
  });
});
