import { PracticesService } from '@recall/auth';
import { FixedClock, Role } from '@recall/core';
import { CyclesService } from '@recall/cycles';
import { SheetImportService } from '@recall/dispositions';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { csvLine } from '../libs/imports/src/rows/copy-text';
import { asSystem, importFiles, launchCampaign } from './support/scenario';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures/dispositions');

describe('cycle sheets back in: filled-in spreadsheets recorded as dispositions', () => {
  let api: TestApi;
  let db: DataSource;
  let practiceId: string;
  let cycleId: string;
  const users: Record<string, string> = {};
  // Tuesday 2026-06-16, 17:00 in Chicago: the sheet's calls were made during the day.
  const clock = new FixedClock('2026-06-16T22:00:00Z');
  const system = asSystem;

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000' } });
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
    await importFiles(api, practiceId, [{ kind: 'patients', path: path.join(FIXTURES, 'patients.csv') }]);
    cycleId = (
      await launchCampaign(api, practiceId, {
        type: 'reactivation',
        name: 'Sheets',
        agents: ['north.a1'],
        seed: 1,
      })
    ).cycleId!;
  });
  afterAll(() => api.close());

  async function exportCsv(): Promise<string[][]> {
    const sheet = await system(() =>
      api.app.get(CyclesService).exportSheet(practiceId, cycleId, users['north.a1'], 'csv'),
    );
    return parse(sheet.body, { bom: true });
  }
  const fill = (table: string[][], mrn: string, values: Record<string, string>) => {
    const header = table[0];
    const row = table.find((r) => r[header.indexOf('MRN')] === mrn)!;
    for (const [k, v] of Object.entries(values)) row[header.indexOf(k)] = v;
  };
  const upload = (table: string[][], opts: { dryRun?: boolean } = {}) =>
    system(() =>
      api.app
        .get(SheetImportService)
        .import(
          practiceId,
          cycleId,
          users['north.a1'],
          { name: 'sheet.csv', body: Buffer.from(table.map((r) => csvLine(r)).join('\r\n')) },
          { actorId: users['north.manager'], ...opts },
        ),
    );
  const attempts = async () => (await db.query(`SELECT count(*)::int AS n FROM call_attempt`))[0].n as number;

  it('refuses the whole sheet when one row is wrong, naming line and column, and records nothing', async () => {
    const table = await exportCsv();
    expect(table[0]).toContain('Disposition');
    fill(table, 'K1', { Disposition: 'NOANS', 'Last Call Date': '2026-06-16 10:05' });
    fill(table, 'K2', { Disposition: 'DONE', 'Appt Date': '', 'Last Call Date': '2026-06-16 10:10' });
    fill(table, 'K4', { Disposition: 'MAYBE' });
    fill(table, 'K5', { Disposition: 'LVM', 'Last Call Date': '2026-06-16 06:30' });
    const report = await upload(table);
    expect(report.applied).toBe(false);
    expect(report.recorded).toBe(0);
    const line = (mrn: string) => table.findIndex((r) => r[table[0].indexOf('MRN')] === mrn) + 1;
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          line: line('K2'),
          column: 'Appt Date',
          message: expect.stringMatching(/appointment/),
        }),
        expect.objectContaining({
          line: line('K4'),
          column: 'Disposition',
          message: 'not a disposition code: MAYBE',
        }),
        expect.objectContaining({
          line: line('K5'),
          column: 'Last Call Date',
          message: expect.stringMatching(/outside the calling window/),
        }),
      ]),
    );
    expect(report.problems).toHaveLength(3);
    expect(await attempts()).toBe(0);
  });

  it('records a good sheet (XLSX too), and the same sheet uploaded again records nothing new', async () => {
    const table = await exportCsv();
    fill(table, 'K1', { Disposition: 'NOANS', 'Last Call Date': '2026-06-16 10:05' });
    fill(table, 'K2', {
      Disposition: 'DONE',
      'Appt Date': '2026-06-23 09:30',
      'Last Call Date': '2026-06-16 10:10',
    });
    fill(table, 'K4', {
      Disposition: 'CBACK',
      'Appt Date': '2026-06-17 15:00',
      'Last Call Date': '2026-06-16 11:00',
    });
    fill(table, 'K5', {
      Disposition: 'LOST',
      Remarks: 'moved to Denver',
      'Last Call Date': '2026-06-16 11:30',
    });
    const dry = await upload(table, { dryRun: true });
    expect(dry).toMatchObject({ applied: false, dryRun: true, recorded: 4, problems: [] });
    expect(await attempts()).toBe(0);
    const report = await upload(table);
    expect(report).toMatchObject({ applied: true, recorded: 4, unchanged: 0, problems: [] });
    const rows = await db.query(
      `SELECT p.mrn, a.code, a.ended_at, a.appointment_at, a.callback_at, a.reason, a.source FROM call_attempt a
       JOIN patient p ON p.id = a.patient_id ORDER BY p.mrn`,
    );
    expect(rows.map((r: { mrn: string; code: string }) => `${r.mrn}:${r.code}`)).toEqual([
      'K1:NOANS',
      'K2:DONE',
      'K4:CBACK',
      'K5:LOST',
    ]);
    // Sheet times are practice wall clock (Chicago, CDT = UTC-5).
    expect(rows[0].ended_at.toISOString()).toBe('2026-06-16T15:05:00.000Z');
    expect(rows[1].appointment_at.toISOString()).toBe('2026-06-23T14:30:00.000Z');
    expect(rows[2].callback_at.toISOString()).toBe('2026-06-17T20:00:00.000Z');
    expect(rows[3].reason).toBe('moved to Denver');
    expect(rows.every((r: { source: string }) => r.source === 'sheet')).toBe(true);

    expect(await upload(table)).toMatchObject({ applied: true, recorded: 0, unchanged: 4 });
    // A fresh export carries what was recorded; uploading it unchanged records nothing either.
    const again = await exportCsv();
    const header = again[0];
    const k1 = again.find((r) => r[header.indexOf('MRN')] === 'K1')!;
    expect(k1[header.indexOf('Disposition')]).toBe('NOANS');
    expect(k1[header.indexOf('Last Call Date')]).toBe('2026-06-16 10:05');
    expect(await upload(again)).toMatchObject({ recorded: 0, problems: [] });
    expect(await attempts()).toBe(4);

    // The XLSX the export writes, filled in with Excel dates, reads the same way.
    const xlsx = await system(() =>
      api.app.get(CyclesService).exportSheet(practiceId, cycleId, users['north.a1'], 'xlsx'),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const ws = book.worksheets[0];
    const cols = (ws.getRow(1).values as string[]).map(String);
    ws.eachRow((row, n) => {
      if (n > 1 && row.getCell(cols.indexOf('MRN')).value === 'K6') {
        row.getCell(cols.indexOf('Disposition')).value = 'LVM';
        row.getCell(cols.indexOf('Last Call Date')).value = new Date(Date.UTC(2026, 5, 16, 14, 0));
      }
    });
    const filled = Buffer.from(await book.xlsx.writeBuffer());
    const token = await tokenFor(api, 'north.a1');
    const res = await api
      .http()
      .post(`/api/practices/${practiceId}/cycles/${cycleId}/sheets`)
      .set('Authorization', `Bearer ${token}`)
      .attach('file', filled, 'sheet.xlsx')
      .expect(200);
    expect(res.body).toMatchObject({ applied: true, recorded: 1, problems: [] });
    const [k6] = await db.query(
      `SELECT a.ended_at FROM call_attempt a JOIN patient p ON p.id = a.patient_id WHERE p.mrn = 'K6'`,
    );
    expect(k6.ended_at.toISOString()).toBe('2026-06-16T19:00:00.000Z');
  });
});
