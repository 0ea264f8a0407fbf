import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fuzzRuns } from '../../../test/support/fuzz';
import { DEFAULT_INPUT_LIMITS } from '../../config/src/input-limits';
import { DEFAULT_DECEASED_CODES, DEFAULT_INACTIVE_CODES, DEFAULT_STATUS_CODES } from './mapping/mapping';
import { parseDate, parseDateTime } from './normalize/dates';
import { cleanName, splitFullName } from './normalize/names';
import { parsePhone } from './normalize/phones';
import { normalizeState, normalizeZip } from './normalize/places';
import { readChunks } from './reader/chunks';
import {
  describeBinary,
  FormatError,
  scanFile,
  sniffFile,
  sniffSample,
  type Delimiter,
  type Encoding,
} from './reader/sniff';
import { CsvLimitError, parseCsv } from './rows/csv';
import { copyLine, csvLine, neutralize, unneutralize } from './rows/copy-text';
import { processChunk } from './rows/process-chunk';
import type { RowContext } from './rows/row-context';

/**
 * Fuzzing the parsers with generated input: they either return a result or throw the domain's
 * own error (`FormatError` for a file, a reported parse error for a chunk); no row is lost
 * silently. `FUZZ_RUNS=N` runs each property N times instead of the small CI budget.
 */
const RUNS = fuzzRuns(150);
const dir = mkdtempSync(path.join(tmpdir(), 'recall-fuzz-'));
let n = 0;

/** Bytes that look like a messy export: CSV syntax, accents, control bytes, cp1252, NULs. */
const messyBytes = fc
  .array(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom('MRN', 'Last Name', 'First', 'DOB', 'Ann', '1/2/1970', '312-555-0101'),
      },
      { weight: 6, arbitrary: fc.constantFrom(',', ';', '\t', '|', '"', '""', '\n', '\r\n', '\r', ' ') },
      {
        weight: 2,
        arbitrary: fc.constantFrom('José', 'Zoë', '=cmd|x', '+1', '-', '@', '\0', '\x1a', '\ufeff'),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    ),
    { maxLength: 300 },
  )
  .chain((parts) => fc.boolean().map((latin1) => Buffer.from(parts.join(''), latin1 ? 'latin1' : 'utf8')));
const anyBytes = fc.oneof(
  messyBytes,
  fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
);

function context(headers: string[], delimiter: Delimiter, lineBreak: '\n' | '\r\n' | '\r'): RowContext {
  const index = Object.fromEntries(
    (['patientId', 'firstName', 'lastName', 'birthDate', 'mobilePhone'] as const)
      .map((f, i) => [f, i] as const)
      .filter(([, i]) => i < headers.length),
  );
  return {
    importId: 'fuzz',
    kind: 'patients',
    fileName: 'fuzz.csv',
    format: { delimiter, lineBreak, encoding: 'utf-8' },
    headers,
    index,
    mapping: { columns: {} },
    statusCodes: { ...DEFAULT_STATUS_CODES },
    deceasedCodes: [...DEFAULT_DECEASED_CODES],
    doNotCallCodes: [],
    inactiveCodes: [...DEFAULT_INACTIVE_CODES],
    today: '2026-06-15',
    practiceZone: 'America/Chicago',
  };
}

/** Text as an export holds it: tab, CR and LF are the only control characters. */
const withoutControls = (s: string) =>
  [...s].filter((c) => (c.charCodeAt(0) >= 0x20 ? c.charCodeAt(0) !== 0x7f : '\t\r\n'.includes(c))).join('');

describe('fuzz: file sniffing', () => {
  it('any bytes: a format or a FormatError, never another error', () => {
    fc.assert(
      fc.property(
        anyBytes,
        fc.boolean(),
        fc.constantFrom<Encoding>('utf-8', 'windows-1252'),
        (bytes, whole, encoding) => {
          try {
            const format = sniffSample(bytes, { whole, encoding, bom: false });
            expect(format.headers.length).toBeGreaterThanOrEqual(2);
            expect(format.headers.length).toBeLessThanOrEqual(DEFAULT_INPUT_LIMITS.maxColumns);
            expect(format.dataOffset).toBeLessThanOrEqual(bytes.length);
          } catch (e) {
            if (!(e instanceof FormatError)) throw e;
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('whole files of any bytes: scan and sniff end in a format or a FormatError', async () => {
    await fc.assert(
      fc.asyncProperty(anyBytes, async (bytes) => {
        const file = path.join(dir, `s${n++}.csv`);
        writeFileSync(file, bytes);
        const scan = await scanFile(file);
        expect(scan.bytes).toBe(bytes.length);
        if (scan.utf8) expect(scan.invalidUtf8).toBeUndefined();
        else expect(scan.invalidUtf8).toBeDefined();
        await sniffFile(file, {}, scan).catch((e: unknown) => {
          if (!(e instanceof FormatError)) throw e;
        });
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it('binary detection never flags a text export', () => {
    const text = fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { minLength: 1, maxLength: 100 });
    fc.assert(
      fc.property(text, fc.constantFrom(',', ';', '\t', '|'), (cells, d) => {
        const body = Buffer.from(cells.map(withoutControls).join(d) + '\n');
        expect(describeBinary(body)).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: CSV reading', () => {
  it('parseCsv never throws: records come in line order, or a fatal error with a line is returned', () => {
    fc.assert(
      fc.property(
        anyBytes,
        fc.constantFrom<Delimiter>(',', ';', '\t', '|'),
        fc.constantFrom<'\n' | '\r\n' | '\r'>('\n', '\r\n', '\r'),
        (bytes, delimiter, lineBreak) => {
          let last = 0;
          const limits = { ...DEFAULT_INPUT_LIMITS, maxFieldChars: 200, maxColumns: 50, maxRowChars: 1000 };
          const fatal = parseCsv(
            bytes,
            { delimiter, lineBreak, encoding: 'utf-8' },
            {
              record(cells, line) {
                expect(line).toBeGreaterThan(last - 1);
                expect(cells.length).toBeLessThanOrEqual(50);
                for (const c of cells) expect(c.length).toBeLessThanOrEqual(200);
                last = line;
              },
              skip(_error, from, to) {
                expect(to).toBeGreaterThanOrEqual(from);
              },
            },
            limits,
          );
          if (fatal) {
            expect(fatal.line).toBeGreaterThanOrEqual(1);
            expect(fatal.error).toBeInstanceOf(Error);
            if (fatal.error instanceof CsvLimitError) expect(fatal.error.message).toMatch(/IMPORT_MAX_/);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  const cell = fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.constantFrom('', 'José', 'O"Brien', 'a,b', 'two\nlines', '=cmd|x', '\0', '1/2/1970', '(312) 555-0101'),
  );

  it('no row is lost: accepted + rejected = rows, whole or in chunks of any size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 0, maxLength: 7 }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom<Delimiter>(',', ';', '\t', '|'),
        fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
        fc.integer({ min: 16, max: 4096 }),
        async (rows, delimiter, lineBreak, chunkBytes) => {
          const headers = ['MRN', 'First', 'Last', 'DOB', 'Cell'];
          const text = [headers, ...rows].map((r) => csvLine(r, delimiter)).join(lineBreak) + lineBreak;
          const ctx = context(headers, delimiter, lineBreak);
          const data = Buffer.from(text.slice(text.indexOf(lineBreak) + lineBreak.length));
          const whole = processChunk(data, 2, ctx);
          expect(whole.parseError).toBeNull();
          expect(whole.accepted + whole.rejected).toBe(whole.rows);
          const nonBlank = rows.filter((r) => r.some((c) => c.trim() !== '')).length;
          expect(whole.rows).toBe(nonBlank);
          // Staging and issue text must be loadable by COPY: one line per value row, no NUL.
          expect(whole.staging.split('\n').length - 1).toBe(whole.accepted);
          expect(whole.staging + whole.issues).not.toContain('\0');

          const file = path.join(dir, `c${n++}.csv`);
          writeFileSync(file, text);
          const format = await sniffFile(file, { delimiter }).catch(() => null);
          if (!format || format.headers.join() !== headers.join()) return; // sniffing is fuzzed above
          let rowsSeen = 0;
          let accepted = 0;
          for await (const chunk of readChunks(file, format, { chunkBytes })) {
            const out = processChunk(chunk.buffer, chunk.startLine, ctx);
            if (out.parseError) return; // the importer retries such a file in one piece
            rowsSeen += out.rows;
            accepted += out.accepted;
          }
          expect(rowsSeen).toBe(whole.rows);
          expect(accepted).toBe(whole.accepted);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('COPY text: one line per row, one field per value, whatever the value holds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.string({ unit: 'binary', maxLength: 30 })), { maxLength: 6 }),
        (values) => {
          const line = copyLine(values);
          expect(line.endsWith('\n')).toBe(true);
          expect(line.slice(0, -1)).not.toMatch(/[\n\r\0]/);
          expect(line.slice(0, -1).split('\t')).toHaveLength(Math.max(values.length, 1));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('neutralize leaves no formula start and unneutralize undoes it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        expect(neutralize(s)).not.toMatch(/^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/);
        expect(unneutralize(neutralize(s))).toBe(s);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: field parsers', () => {
  const raw = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .array(fc.constantFrom(...'0123456789/-.: APMTZ+,xext()'.split(''), 'FEB', '19', '20', 'x', ' '), {
        maxLength: 25,
      })
      .map((p) => p.join('')),
  );

  it('dates: a YYYY-MM-DD date, null, or a reason; never an exception', () => {
    fc.assert(
      fc.property(raw, fc.constantFrom('birth', 'event') as fc.Arbitrary<'birth' | 'event'>, (s, kind) => {
        const r = parseDate(s, { today: '2026-06-15', kind });
        if (r.ok && r.value !== null) expect(r.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
        const t = parseDateTime(s, { today: '2026-06-15', kind, zone: 'America/Chicago' });
        if (t.ok && t.value?.instant) expect(Number.isNaN(Date.parse(t.value.instant))).toBe(false);
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('phones: a valid E.164 number or an invalid one with a reason; never an exception', () => {
    fc.assert(
      fc.property(raw, (s) => {
        const p = parsePhone(s, 'mobile');
        if (p === null) return;
        if (p.valid) expect(p.e164).toMatch(/^\+[1-9]\d{3,14}$/);
        else expect(p.reason).toBeTruthy();
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('names, states and ZIPs: never an exception, and clean output', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const clean = cleanName(s);
        if (clean !== null) expect(clean).toBe(clean.trim());
        const split = splitFullName(s);
        for (const part of [split.first, split.middle, split.last])
          if (part !== null) expect(part).not.toBe('');
        const st = normalizeState(s);
        if (st.ok && st.value) expect(st.value).toMatch(/^[A-Z]{2}$/);
        const zip = normalizeZip(s);
        if (zip.ok && zip.value) expect(zip.value).toMatch(/^\d{5}$/);
      }),
      { numRuns: RUNS * 4 },
    );
  });
});
