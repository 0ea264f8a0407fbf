import { PracticesService } from '@recall/auth';
import { DomainError, FixedClock, Role } from '@recall/core';
import { CyclesService } from '@recall/cycles';
import { SheetImportService } from '@recall/dispositions';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { randomBytes, xlsxBomb } from './support/hostile-files';
import { asSystem, importFiles, launchCampaign } from './support/scenario';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures/dispositions');
const PAYLOAD = "=cmd|' /C calc'!A0";

/**
 * Hostile cycle sheets: zip bombs, garbage and oversized cells end in a clear error and
 * record nothing; formula payloads that came in with the EMR export leave neutralised.
 */
describe('cycle sheet upload of hostile files', () => {
  let api: TestApi;
  let db: DataSource;
  let practiceId: string;
  let cycleId: string;
  const users: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi({ clock: new FixedClock('2026-06-16T22:00:00Z') });
    await seed(
      api,
      ['north'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.a1', role: Role.Agent, practices: ['north'] },
      ],
    );
    db = api.app.get(DataSource);
    practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    for (const u of await db.query(`SELECT id, login FROM app_user`)) users[u.login] = u.id;
    // The EMR export carries a formula in a patient's first name (stored as text).
    const dir = mkdtempSync(path.join(tmpdir(), 'recall-sheet-hostile-'));
    const patients = path.join(dir, 'patients.csv');
    const text = readFileSync(path.join(FIXTURES, 'patients.csv'), 'utf8');
    writeFileSync(patients, text.replace('K1,Kara,', `K1,"${PAYLOAD}",`));
    await importFiles(api, practiceId, [{ kind: 'patients', path: patients }]);
    cycleId = (
      await launchCampaign(api, practiceId, {
        type: 'reactivation',
        name: 'Hostile',
        agents: ['north.a1'],
        seed: 1,
      })
    ).cycleId!;
  });
  afterAll(() => api.close());

  const attempts = async () => (await db.query(`SELECT count(*)::int AS n FROM call_attempt`))[0].n as number;
  const upload = (name: string, body: Buffer) =>
    asSystem(() =>
      api.app
        .get(SheetImportService)
        .import(practiceId, cycleId, users['north.a1'], { name, body }, { actorId: users['north.manager'] }),
    );
  const exportSheet = (format: 'csv' | 'xlsx') =>
    asSystem(() => api.app.get(CyclesService).exportSheet(practiceId, cycleId, users['north.a1'], format));

  it('the patient name stored as text leaves neutralised in the CSV and XLSX exports', async () => {
    const [stored] = await db.query(`SELECT first_name FROM patient WHERE mrn = 'K1'`);
    expect(stored.first_name).toBe(PAYLOAD);
    const table: string[][] = parse((await exportSheet('csv')).body, { bom: true });
    const k1 = table.find((r) => r[table[0].indexOf('MRN')] === 'K1')!;
    expect(k1[table[0].indexOf('Patient')]).toMatch(/^'/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await exportSheet('xlsx')).body as unknown as ArrayBuffer);
    const texts: string[] = [];
    book.worksheets[0].eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    expect(texts.some((t) => t.includes('cmd|'))).toBe(true);
    expect(texts.filter((t) => /^[=+\-@]/.test(t))).toEqual([]);
    expect(book.worksheets[0].getCell('A1').formula).toBeUndefined();
  });

  it('an XLSX zip bomb over HTTP: a 400 naming the limit, nothing recorded', async () => {
    const before = await attempts();
    const token = await tokenFor(api, 'north.a1');
    const res = await api
      .http()
      .post(`/api/practices/${practiceId}/cycles/${cycleId}/sheets`)
      .set('Authorization', `Bearer ${token}`)
      .attach('file', xlsxBomb(2048), 'sheet.xlsx')
      .expect(400);
    expect(JSON.stringify(res.body)).toMatch(
      /sheet\.xlsx: not a readable XLSX file \(it would unzip to 2048 MB; at most 256 MB \(XLSX_MAX_UNZIPPED_MB\)\)/,
    );
    expect(await attempts()).toBe(before);
  });

  it('a bomb that lies about its size, garbage, and a CSV cut off in a quote: clear errors, nothing recorded', async () => {
    const before = await attempts();
    const refused = async (name: string, body: Buffer, message: RegExp) => {
      const err = await upload(name, body).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).message).toMatch(message);
    };
    await refused('sheet.xlsx', xlsxBomb(512, 100), /it unzips to more than 256 MB \(XLSX_MAX_UNZIPPED_MB\)/);
    await refused(
      'sheet.csv',
      randomBytes(100_000, 3),
      /^sheet\.csv: not a readable CSV file \(this is binary data/,
    );
    const good = (await exportSheet('csv')).body.toString('utf8');
    await refused(
      'sheet.csv',
      Buffer.from(`${good}K9,"NOANS`),
      /^sheet\.csv: not a readable CSV file \(Quote Not Closed/,
    );
    const xlsx = (await exportSheet('xlsx')).body;
    await refused(
      'sheet.xlsx',
      xlsx.subarray(0, xlsx.length - 200),
      /^sheet\.xlsx: not a readable XLSX file/,
    );
    expect(await attempts()).toBe(before);
  });

  it('a remark longer than IMPORT_MAX_FIELD_CHARS: refused by line and column, nothing recorded', async () => {
    const before = await attempts();
    const table: string[][] = parse((await exportSheet('csv')).body, { bom: true });
    const header = table[0];
    table[1][header.indexOf('Disposition')] = 'NOANS';
    table[1][header.indexOf('Last Call Date')] = '2026-06-16 10:05';
    table[1][header.indexOf('Remarks')] = 'r'.repeat(40_000);
    const body = Buffer.from(
      table.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n'),
    );
    const report = await upload('sheet.csv', body);
    expect(report).toMatchObject({ applied: false, recorded: 0 });
    expect(report.problems).toEqual([
      {
        line: 2,
        column: 'Remarks',
        message: 'a cell of 40000 characters; at most 32767 are allowed (IMPORT_MAX_FIELD_CHARS)',
      },
    ]);
    expect(await attempts()).toBe(before);
  });
});
