import { PracticesService } from '@recall/auth';
import { FixedClock, RequestContext } from '@recall/core';
import { ImportsService } from '@recall/imports';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { startTestApi, TestApi } from './support/test-api';

/**
 * Generated exports, written with random delimiters, line ends and quoting, must import to
 * exactly the values written; every row is accepted or rejected; a second import is a no-op.
 */
describe('EMR import properties', () => {
  let api: TestApi;
  let imports: ImportsService;
  let db: DataSource;
  const dir = mkdtempSync(path.join(tmpdir(), 'recall-prop-'));
  let n = 0;

  beforeAll(async () => {
    api = await startTestApi({ clock: new FixedClock('2026-06-15T15:00:00Z') });
    imports = api.app.get(ImportsService);
    db = api.app.get(DataSource);
  });
  afterAll(() => api.close());

  const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéñüøÅÇ'.split(''), "'", '-');
  const word = fc.array(nameChar, { minLength: 1, maxLength: 8 }).map((c) => c.join(''));
  /** Names with spaces, commas, inner quotes and line breaks: all things a CSV must quote. */
  const name = fc
    .tuple(word, fc.constantFrom('', ' ', ', ', ' "x" ', '\n', '\r\n', ';', '|', '\t'), word)
    .map(([a, sep, b]) => `${a}${sep}${b}`);
  const row = fc.record({
    id: fc.oneof(
      { weight: 9, arbitrary: fc.stringMatching(/^[A-Z0-9]{1,8}$/) },
      { weight: 1, arbitrary: fc.constant('') },
    ),
    first: fc.oneof({ weight: 9, arbitrary: name }, { weight: 1, arbitrary: fc.constant('') }),
    last: fc.oneof({ weight: 9, arbitrary: name }, { weight: 1, arbitrary: fc.constant('') }),
    dob: fc.date({
      min: new Date('1930-01-01T00:00:00Z'),
      max: new Date('2020-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    iso: fc.boolean(),
    phone: fc.tuple(fc.integer({ min: 201, max: 989 }), fc.integer({ min: 0, max: 9999 })),
  });

  const cleaned = (s: string) => {
    const v = s.normalize('NFC').replace(/\s+/g, ' ').trim();
    return v === '' ? null : v;
  };

  it('round-trips values, accounts for every row, and re-imports as a no-op', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(row, { minLength: 1, maxLength: 25, selector: (r) => r.id || Math.random() }),
        fc.constantFrom(',', ';', '\t', '|'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        async (rows, delimiter, lineBreak, quoteAll) => {
          const quote = (c: string) =>
            quoteAll || /["\r\n]/.test(c) || c.includes(delimiter) || c !== c.trim()
              ? `"${c.replace(/"/g, '""')}"`
              : c;
          const lines = ['MRN', 'First Name', 'Last Name', 'DOB', 'Cell Phone'].join(delimiter);
          const body = rows.map((r) => {
            const [y, m, d] = r.dob.toISOString().slice(0, 10).split('-');
            const dob = r.iso ? `${y}-${m}-${d}` : `${Number(m)}/${Number(d)}/${y}`;
            const phone = `(${r.phone[0]}) 555-${String(r.phone[1]).padStart(4, '0')}`;
            return [r.id, r.first, r.last, dob, phone].map(quote).join(delimiter);
          });
          const file = path.join(dir, `p${n}.csv`);
          writeFileSync(file, [lines, ...body].join(lineBreak) + lineBreak);
          const practice = await RequestContext.run({ requestId: 't', channel: 'system' }, () =>
            api.app.get(PracticesService).create({ slug: `prop${n++}`, timezone: 'America/Chicago' }),
          );
          const run = async () => {
            const draft = await imports.createDraft(
              practice.id,
              [{ kind: 'patients', name: 'p.csv', path: file, owned: false }],
              null,
            );
            await imports.start(practice.id, draft.id, { mapping: draft.mapping, enqueue: false }, null);
            return (await imports.runInline(draft.id)).summary!;
          };
          const first = await run();
          const expectedAccepted = rows.filter((r) => r.id !== '' && (cleaned(r.first) || cleaned(r.last)));
          expect(first.totalRows).toBe(rows.length);
          expect(first.accepted + first.rejected).toBe(first.totalRows);
          expect(first.accepted).toBe(expectedAccepted.length);
          expect(first.created).toBe(expectedAccepted.length);

          const stored = await db.query(
            `SELECT mrn, first_name, last_name, birth_date, phones->0->>'e164' AS phone FROM patient WHERE practice_id = $1`,
            [practice.id],
          );
          const byMrn = new Map(stored.map((s: { mrn: string }) => [s.mrn, s]));
          for (const r of expectedAccepted) {
            expect(byMrn.get(r.id)).toEqual({
              mrn: r.id,
              first_name: cleaned(r.first),
              last_name: cleaned(r.last),
              birth_date: r.dob.toISOString().slice(0, 10),
              phone: `+1${r.phone[0]}555${String(r.phone[1]).padStart(4, '0')}`,
            });
          }
          const second = await run();
          expect(second).toMatchObject({ created: 0, updated: 0, unchanged: expectedAccepted.length });
        },
      ),
      { numRuns: 25 },
    );
  });
});
