import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsv } from '../rows/csv';
import { lastRecordBoundary, readChunks } from './chunks';
import { sniffFile, type Delimiter, type LineBreak } from './sniff';

const dir = mkdtempSync(path.join(tmpdir(), 'recall-chunks-'));
let n = 0;

/** A cell as an exporter writes it: quoted when it must be (or at random), quotes doubled. */
function render(cell: string, delimiter: string, forceQuote: boolean): string {
  const must = /["\r\n]/.test(cell) || cell.includes(delimiter) || cell !== cell.trim();
  return must || forceQuote ? `"${cell.replace(/"/g, '""')}"` : cell;
}

const cellArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    'José',
    "O'Brien",
    'Smith, Jr',
    'a "quoted" word',
    'two\nlines',
    'cr\r\nlf',
    'x|y;z\tw',
    '',
  ),
);

/** Lines a cell spans beyond its first, as an editor counts them for this file's line break. */
function breaks(cell: string, lineBreak: LineBreak): number {
  return cell.split(lineBreak === '\r' ? '\r' : '\n').length - 1;
}

async function parseAll(file: string, chunkBytes: number, whole = false) {
  const format = await sniffFile(file);
  const records: { line: number; cells: string[] }[] = [];
  for await (const chunk of readChunks(file, format, { chunkBytes, whole })) {
    const error = parseCsv(chunk.buffer, format, {
      record(cells, line) {
        if (cells.every((c) => c.trim() === '')) return;
        records.push({ line: chunk.startLine - 1 + line, cells });
      },
      skip(error) {
        throw error;
      },
    });
    if (error) throw error.error;
  }
  return { format, records };
}

describe('chunked reading', () => {
  it('sniffs the record line break, not the line breaks inside quoted fields', async () => {
    const file = path.join(dir, 'cr-with-lf-inside.csv');
    writeFileSync(file, 'MRN,First,Last\r0,"a\na","b\nb"\rA,aa,"c\nc"\r');
    const { format, records } = await parseAll(file, 1024);
    expect(format.lineBreak).toBe('\r');
    expect(records).toEqual([
      { line: 2, cells: ['0', 'a\na', 'b\nb'] },
      { line: 3, cells: ['A', 'aa', 'c\nc'] },
    ]);
  });

  it('finds the last line break outside quotes', () => {
    expect(lastRecordBoundary(Buffer.from('a,b\nc,"d\ne"\nf'), 0x0a)).toBe(12);
    expect(lastRecordBoundary(Buffer.from('a,"b\nc'), 0x0a)).toBe(-1);
    expect(lastRecordBoundary(Buffer.from('a,"b""\n"\n'), 0x0a)).toBe(9);
  });

  it('round-trips generated rows whatever the quoting, delimiter, line ends and chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Delimiter>(',', ';', '\t', '|'),
        fc.constantFrom<LineBreak>('\n', '\r\n', '\r'),
        fc.array(fc.array(cellArb, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 16, max: 512 }),
        async (delimiter, lineBreak, rows, quoteAll, chunkBytes) => {
          const header = ['Id', 'Name', 'Note', 'Other'];
          // every row starts with a non-empty id, so none is blank
          const data = rows.map((r, i) => [`id${i}`, ...r.slice(1)]);
          const text = [header, ...data]
            .map((r) => r.map((c) => render(c, delimiter, quoteAll)).join(delimiter))
            .join(lineBreak);
          const file = path.join(dir, `f${n++}.csv`);
          writeFileSync(file, text + lineBreak);
          const { format, records } = await parseAll(file, chunkBytes);
          expect(format.delimiter).toBe(delimiter);
          expect(records.map((r) => r.cells)).toEqual(data);
          // line numbers count the header and every line break inside earlier cells
          let line = 2;
          records.forEach((r, i) => {
            expect(r.line).toBe(line);
            line += 1 + data[i].reduce((sum, c) => sum + breaks(c, lineBreak), 0);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
