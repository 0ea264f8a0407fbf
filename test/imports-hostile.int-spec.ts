import { PracticesService } from '@recall/auth';
import { RecallConfig } from '@recall/config';
import { DomainError, FixedClock, RequestContext, Role } from '@recall/core';
import { ImportsService, type IncomingFile } from '@recall/imports';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { randomBytes, writeRepeated, zip } from './support/hostile-files';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

/**
 * Hostile files through the real importer: each ends with a clear error that names the file
 * (and the line and column where there is one), the import marked failed or refused at
 * upload, and nothing of it in the patient tables: the state before it stays as it was.
 * Big files are streamed to a temporary directory as the test runs.
 */
describe('EMR import of hostile files', () => {
  let api: TestApi;
  let imports: ImportsService;
  let db: DataSource;
  const dir = mkdtempSync(path.join(tmpdir(), 'recall-hostile-'));
  const GOOD = 'MRN,First Name,Last Name,DOB,Cell Phone\n';
  let n = 0;

  beforeAll(async () => {
    api = await startTestApi({
      clock: new FixedClock('2026-06-15T15:00:00Z'),
      // A low row limit keeps its test small; MFA off so the HTTP test can sign in with a password.
      env: { IMPORT_MAX_ROWS: '1000' },
    });
    await seed(api, ['north'], [{ login: 'north.manager', role: Role.Manager, practices: ['north'] }]);
    imports = api.app.get(ImportsService);
    db = api.app.get(DataSource);
  });
  afterAll(() => api.close());

  const file = (name: string, body: string | Buffer) => {
    const p = path.join(dir, `${n++}-${name}`);
    writeFileSync(p, body);
    return p;
  };
  const incoming = (kind: IncomingFile['kind'], p: string): IncomingFile => ({
    kind,
    name: path.basename(p).replace(/^\d+-/, ''),
    path: p,
    owned: false,
  });

  async function newPractice(): Promise<string> {
    const p = await RequestContext.run({ requestId: 't', channel: 'system' }, () =>
      api.app.get(PracticesService).create({ slug: `h${n++}`, timezone: 'America/Chicago' }),
    );
    return p.id;
  }

  async function run(practice: string, files: IncomingFile[]) {
    const draft = await imports.createDraft(practice, files, null);
    await imports.start(practice, draft.id, { mapping: draft.mapping, enqueue: false }, null);
    return imports.runInline(draft.id);
  }

  /** Everything an import can write for a practice, to compare before and after. */
  const snapshot = async (practice: string) => ({
    patients: await db.query(`SELECT mrn, content_hash FROM patient WHERE practice_id = $1 ORDER BY mrn`, [
      practice,
    ]),
    visits: (await db.query(`SELECT count(*)::int AS n FROM visit WHERE practice_id = $1`, [practice]))[0].n,
    duplicates: (
      await db.query(`SELECT count(*)::int AS n FROM duplicate_candidate WHERE practice_id = $1`, [practice])
    )[0].n,
  });

  /** A practice with one good import behind it, so "nothing changed" means something. */
  async function practiceWithData(): Promise<string> {
    const practice = await newPractice();
    const good = await run(practice, [
      incoming('patients', file('good.csv', `${GOOD}A1,Ann,Able,1970-01-02,312-555-0101\n`)),
    ]);
    expect(good.status).toBe('succeeded');
    return practice;
  }

  /** Runs a hostile patients file against a practice with data; the import must fail whole. */
  async function expectRunFails(p: string, error: RegExp | string) {
    const practice = await practiceWithData();
    const before = await snapshot(practice);
    const done = await run(practice, [incoming('patients', p)]);
    expect(done.status).toBe('failed');
    if (typeof error === 'string') expect(done.error).toBe(error);
    else expect(done.error).toMatch(error);
    expect(await snapshot(practice)).toEqual(before);
  }

  /** A file refused at upload: a DomainError naming it, and no draft recorded. */
  async function expectRefused(p: string, error: RegExp) {
    const practice = await newPractice();
    const err = await imports.createDraft(practice, [incoming('patients', p)], null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toMatch(error);
    const [{ count }] = await db.query(`SELECT count(*)::int FROM patient_import WHERE practice_id = $1`, [
      practice,
    ]);
    expect(count).toBe(0);
  }

  it('a 50 MB field without a line break: refused as a row over the limit, with its line', async () => {
    const p = path.join(dir, 'huge-field.csv');
    await writeRepeated(p, `${GOOD}B1,Bob,Baker,1970-01-02,312-555-0102\nB2,`, 'x'.repeat(1024), 50 * 1024);
    await expectRunFails(
      p,
      'huge-field.csv: line 3: a row of more than 1024 KB without a line break (IMPORT_MAX_ROW_KB): ' +
        'not a CSV file, or a field that never ends',
    );
  });

  it('a quoted field that never ends (a stream cut off midway): refused, with the line it starts on', async () => {
    // Cut inside a quote with 20 MB of lines after it: a row over the limit.
    const p = path.join(dir, 'cut-long.csv');
    await writeRepeated(p, `${GOOD}C1,Cy,Cole,1970-01-02,312-555-0103\nC2,"Dee`, 'more text\n', 2_000_000);
    await expectRunFails(p, 'cut-long.csv: line 3: a row of more than 1024 KB (IMPORT_MAX_ROW_KB)');
    // Cut a few bytes after the quote opened: the quote never closes.
    await expectRunFails(
      file('cut-short.csv', `${GOOD}C1,Cy,Cole,1970-01-02,312-555-0103\nC2,"Dee,Dale,1970-0`),
      'cut-short.csv: line 3: a quoted field is never closed',
    );
  });

  it('a field longer than IMPORT_MAX_FIELD_CHARS: refused, naming line and column', async () => {
    const p = file('long-field.csv', `${GOOD}D1,Dee,${'y'.repeat(40_000)},1970-01-02,312-555-0104\n`);
    await expectRunFails(
      p,
      'long-field.csv: line 2: column Last Name: a field of 40000 characters; at most 32767 are allowed (IMPORT_MAX_FIELD_CHARS)',
    );
  });

  it('a header of 1,000,000 columns, or of 5,000: refused at upload', async () => {
    const wide = path.join(dir, 'wide.csv');
    await writeRepeated(wide, 'MRN', ',column', 1_000_000, '\nE1\n');
    await expectRefused(
      wide,
      /^wide\.csv: no line break in the first 256 KB: not a CSV file, or a header row longer than that$/,
    );
    const p = file('wide-5000.csv', `MRN${',c'.repeat(4999)}\nE1\n`);
    await expectRefused(
      p,
      /^wide-5000\.csv: line 1: a row of 5000 columns; at most 2000 are allowed \(IMPORT_MAX_COLUMNS\)$/,
    );
  });

  it('a data row of a million fields, or of 3,000: the import fails, with the line', async () => {
    const million = path.join(dir, 'million.csv');
    await writeRepeated(million, `${GOOD}F1`, ',f', 1_000_000, '\n');
    await expectRunFails(
      million,
      'million.csv: line 2: a row of 1000001 fields; at most 2000 are allowed (IMPORT_MAX_COLUMNS)',
    );
    const big = path.join(dir, 'big-fields.csv');
    await writeRepeated(big, `${GOOD}F1`, ',ffff', 300_000, '\n');
    await expectRunFails(big, 'big-fields.csv: line 2: a row of more than 1024 KB (IMPORT_MAX_ROW_KB)');
    // Within the first 256 KB the upload itself is refused; further down, the import fails.
    const row = (cells: string) => `F1,Fay,Fox,1970-01-02,312-555-0106${cells}\n`;
    await expectRefused(
      file('fields.csv', GOOD + row(',z'.repeat(2995))),
      /^fields\.csv: line 2: a row of 3000 columns; at most 2000 are allowed \(IMPORT_MAX_COLUMNS\)$/,
    );
    const padding = Array.from({ length: 10 }, (_, i) => `P${i},Pat,${'p'.repeat(30_000)},1970-01-02,\n`);
    await expectRunFails(
      file('fields-later.csv', GOOD + padding.join('') + row(',z'.repeat(2995))),
      'fields-later.csv: line 12: a row of 3000 fields; at most 2000 are allowed (IMPORT_MAX_COLUMNS)',
    );
  });

  it('random binary bytes, gzip and zip archives named .csv: refused at upload, saying what they are', async () => {
    await expectRefused(
      file('garbage.csv', randomBytes(1 << 20, 42)),
      /^garbage\.csv: this is binary data \(\d+ control bytes in the first 64 KB\), not CSV text/,
    );
    const csv = Buffer.from(`${GOOD}G1,Gus,Gray,1970-01-02,312-555-0107\n`.repeat(1000));
    await expectRefused(
      file('export.csv', gzipSync(csv)),
      /^export\.csv: this is gzip-compressed data, not CSV text/,
    );
    await expectRefused(
      file('bomb.csv', zip([{ name: 'patients.csv', data: Buffer.alloc(16 << 20, 0x2c) }])),
      /^bomb\.csv: this is a ZIP archive \(an XLSX or other Office file\?\), not CSV text/,
    );
    const utf16 = Buffer.from(`\ufeff${GOOD}`, 'utf16le');
    await expectRefused(file('utf16.csv', utf16), /^utf16\.csv: this is UTF-16 text, not CSV text/);
    await expectRefused(file('utf16-nobom.csv', utf16.subarray(2)), /^utf16-nobom\.csv: this is UTF-16 text/);
  });

  it('mixed encodings and a UTF-8 file cut off mid-character: refused at upload, with the lines', async () => {
    const mixed = Buffer.concat([
      Buffer.from(`${GOOD}H1,José,Hale,1970-01-02,312-555-0108\n`),
      Buffer.from('H2,Jürgen,Hill,1970-01-02,312-555-0109\n', 'latin1'),
    ]);
    await expectRefused(
      file('mixed.csv', mixed),
      /^mixed\.csv: mixed encodings: the file has UTF-8 text on line 2 but line 3 is not valid UTF-8; save the whole file as UTF-8$/,
    );
    const bom = Buffer.concat([
      Buffer.from(`\ufeff${GOOD}`),
      Buffer.from('H2,Jürgen,Hill,1970-01-02,\n', 'latin1'),
    ]);
    await expectRefused(
      file('bom.csv', bom),
      /^bom\.csv: mixed encodings: the file starts with a UTF-8 byte-order mark but line 2/,
    );
    const whole = Buffer.from(`${GOOD}H1,Ann,Hale,1970-01-02,312-555-0108\nH2,José`);
    await expectRefused(
      file('cut.csv', whole.subarray(0, whole.length - 1)),
      /^cut\.csv: the file ends in the middle of a UTF-8 character on line 3: it was cut off/,
    );
    // A file entirely in Windows-1252 is still read as such.
    const practice = await newPractice();
    const cp1252 = file(
      'cp1252.csv',
      Buffer.from(`${GOOD}H2,Jürgen,Hill,1970-01-02,312-555-0109\n`, 'latin1'),
    );
    const done = await run(practice, [incoming('patients', cp1252)]);
    expect(done.status).toBe('succeeded');
    const [row] = await db.query(`SELECT first_name FROM patient WHERE practice_id = $1`, [practice]);
    expect(row.first_name).toBe('Jürgen');
  });

  it('NUL bytes in a row: that row is rejected with its column; the others import', async () => {
    const practice = await newPractice();
    const p = file(
      'nul.csv',
      `${GOOD}I1,Ivy,Ives,1970-01-02,312-555-0110\nI2,Ian\0x,Ives,1970-01-02,312-555-0111\n`,
    );
    const done = await run(practice, [incoming('patients', p)]);
    expect(done.status).toBe('succeeded');
    expect(done.summary).toMatchObject({ totalRows: 2, accepted: 1, rejected: 1 });
    const issues = await imports.issues(practice, done.id, { severity: 'rejected' });
    expect(issues).toMatchObject([
      { line: 3, column: 'First Name', reason: 'contains a NUL character (binary data), not text' },
    ]);
    expect(issues[0].rawRow).toBe('I2,Ian\ufffdx,Ives,1970-01-02,312-555-0111');
  });

  it('millions of empty lines: no rows is an error; rows between them keep their line numbers', async () => {
    const blank = path.join(dir, 'blank.csv');
    await writeRepeated(blank, GOOD, '\r\n', 3_000_000);
    await expectRunFails(blank, 'blank.csv: no data rows below the header (only blank lines, or none)');
    const practice = await newPractice();
    const sparse = path.join(dir, 'sparse.csv');
    await writeRepeated(
      sparse,
      `${GOOD}J1,Jo,Judd,1970-01-02,312-555-0112\n`,
      ',,,,\n',
      1_000_000,
      'J2,Jan,Judd,1970-01-02,\n',
    );
    const done = await run(practice, [incoming('patients', sparse)]);
    expect(done.summary).toMatchObject({ totalRows: 2, accepted: 2, rejected: 0 });
    const warnings = await imports.issues(practice, done.id, { severity: 'warning' });
    expect(warnings.every((w) => w.line === 1_000_003)).toBe(true);
  });

  it('more rows than IMPORT_MAX_ROWS: the import fails and nothing is stored', async () => {
    const p = path.join(dir, 'rows.csv');
    await writeRepeated(p, GOOD, 'K1,Kim,Kerr,1970-01-02,312-555-0113\n', 1001);
    await expectRunFails(p, 'rows.csv: more than 1000 data rows (IMPORT_MAX_ROWS); split the export');
  });

  it('formula payloads are stored as text, and the rejected-rows CSV neutralises them', async () => {
    const practice = await newPractice();
    const payloads = ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1)', '=HYPERLINK("http://x")'];
    const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const body =
      'First Name,MRN,Last Name,DOB,Cell Phone\n' +
      payloads.map((v, i) => `${q(v)},L${i},Lamb,1970-01-02,312-555-01${10 + i}\n`).join('') +
      `${q(payloads[0])},,NoId,1970-01-02,\n`;
    const done = await run(practice, [incoming('patients', file('formulas.csv', body))]);
    expect(done.summary).toMatchObject({ accepted: 5, rejected: 1 });
    const rows = await db.query(`SELECT first_name FROM patient WHERE practice_id = $1 ORDER BY mrn`, [
      practice,
    ]);
    expect(rows.map((r: { first_name: string }) => r.first_name)).toEqual(payloads);
    let csv = '';
    for await (const chunk of imports.rejectedCsv(practice, done.id)) csv += chunk;
    // The original row starts with the payload: a spreadsheet opening the download sees text.
    expect(csv.split('\r\n')[1]).toBe(`patients,7,MRN,no patient id,"'=cmd|' /C calc'!A0,,NoId,1970-01-02,"`);
  });

  describe('over HTTP', () => {
    it('an upload cut off midway (the connection drops): no draft, and no partial file left', async () => {
      const token = await tokenFor(api, 'north.manager');
      const practice = (await api.app.get(PracticesService).findBySlug('north')).id;
      const uploads = api.app.get(RecallConfig).importDir;
      const before = existsSync(uploads) ? readdirSync(uploads).length : 0;
      const server = api.app.getHttpServer().listen(0, '127.0.0.1') as Server;
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const boundary = 'recall-cut-off';
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/practices/${practice}/imports`,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': String(100 << 20),
        },
      });
      req.on('error', () => undefined);
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="patients"; filename="patients.csv"\r\n` +
          `Content-Type: text/csv\r\n\r\n${GOOD}`,
      );
      req.write('M1,Max,Moss,1970-01-02,312-555-0114\n'.repeat(50_000));
      // Wait until the server has started writing the upload to disk, then drop the connection.
      const count = () => (existsSync(uploads) ? readdirSync(uploads).length : 0);
      for (let i = 0; i < 60 && count() === before; i++) await new Promise((r) => setTimeout(r, 50));
      expect(count()).toBe(before + 1);
      req.destroy();
      // Multer removes what it wrote once the request errors.
      for (let i = 0; i < 50 && count() > before; i++) await new Promise((r) => setTimeout(r, 100));
      server.close();
      expect(count()).toBe(before);
      const [drafts] = await db.query(`SELECT count(*)::int FROM patient_import WHERE practice_id = $1`, [
        practice,
      ]);
      expect(drafts.count).toBe(0);
    });

    it('an upload of binary garbage is a 400 naming the file; no draft, and the upload is deleted', async () => {
      const token = await tokenFor(api, 'north.manager');
      const practice = (await api.app.get(PracticesService).findBySlug('north')).id;
      const uploads = api.app.get(RecallConfig).importDir;
      const before = readdirSync(uploads, { withFileTypes: true }).length;
      const res = await api
        .http()
        .post(`/api/practices/${practice}/imports`)
        .set({ Authorization: `Bearer ${token}` })
        .attach('patients', randomBytes(256 * 1024, 9), 'patients.csv')
        .expect(400);
      expect(JSON.stringify(res.body)).toMatch(/patients\.csv: this is binary data/);
      expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules/);
      expect(readdirSync(uploads).length).toBe(before);
      const [{ count }] = await db.query(`SELECT count(*)::int FROM patient_import WHERE practice_id = $1`, [
        practice,
      ]);
      expect(count).toBe(0);
    });
  });
});
