import { PracticesService } from '@recall/auth';
import { FixedClock, RequestContext } from '@recall/core';
import { ImportsService, type ImportMapping, type IncomingFile } from '@recall/imports';
import { PatientsService, type PatientView } from '@recall/patients';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { startTestApi, TestApi } from './support/test-api';

const ok = (name: string) => path.join(__dirname, 'fixtures/imports/ok', name);
const TEXT = ok('opendental-patstatus.csv');
const NUMERIC = ok('opendental-patstatus-numeric.csv');

describe('EMR import: patient status', () => {
  let api: TestApi;
  let imports: ImportsService;
  let patients: PatientsService;
  let db: DataSource;
  const clock = new FixedClock('2026-06-15T15:00:00Z');
  let slugCounter = 0;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    imports = api.app.get(ImportsService);
    patients = api.app.get(PatientsService);
    db = api.app.get(DataSource);
  });
  afterAll(() => api.close());

  async function newPractice(): Promise<string> {
    const slug = `status${++slugCounter}`;
    const p = await RequestContext.run({ requestId: 't', channel: 'system' }, () =>
      api.app.get(PracticesService).create({ slug, timezone: 'America/Los_Angeles' }),
    );
    return p.id;
  }

  const files = (patientsFile: string): IncomingFile[] => [
    { kind: 'patients', name: path.basename(patientsFile), path: patientsFile, owned: false },
  ];

  async function runImport(
    practiceId: string,
    patientsFile: string,
    mapping?: (suggested: ImportMapping) => ImportMapping,
  ) {
    const draft = await imports.createDraft(practiceId, files(patientsFile), null);
    const chosen = mapping ? mapping(draft.mapping!) : draft.mapping;
    await imports.start(practiceId, draft.id, { mapping: chosen, enqueue: false }, null);
    const done = await imports.runInline(draft.id);
    expect(done.status).toBe('succeeded');
    return { ...done, summary: done.summary!, draft };
  }

  async function stored(practiceId: string): Promise<Record<string, boolean>> {
    const rows: { mrn: string; inactive: boolean }[] = await db.query(
      `SELECT mrn, inactive FROM patient WHERE practice_id = $1 ORDER BY mrn`,
      [practiceId],
    );
    return Object.fromEntries(rows.map((r) => [r.mrn, r.inactive]));
  }

  const show = (practiceId: string, mrn: string): Promise<PatientView> => patients.findByMrn(practiceId, mrn);

  /** A copy of a fixture with some PatStatus values changed (the last column). */
  function withStatuses(fixture: string, statuses: Record<string, string>): string {
    const lines = readFileSync(fixture, 'utf8').split('\r\n');
    const out = lines.map((line) => {
      const cells = line.split(',');
      const status = statuses[cells[0]];
      if (status === undefined) return line;
      cells[cells.length - 1] = status;
      return cells.join(',');
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'recall-status-')), path.basename(fixture));
    writeFileSync(file, out.join('\r\n'));
    return file;
  }

  it('reads a text PatStatus column; re-importing it changes nothing', async () => {
    const practice = await newPractice();
    const first = await runImport(practice, TEXT);
    expect(first.draft.mapping!.patients.columns).toEqual({
      patientId: 'PatNum',
      lastName: 'LName',
      firstName: 'FName',
      birthDate: 'Birthdate',
      mobilePhone: 'WirelessPhone',
      lastAppointmentStatus: 'LastApptStatus',
      patientStatus: 'PatStatus',
    });
    expect(first.summary).toMatchObject({
      totalRows: 10,
      accepted: 10,
      rejected: 0,
      created: 8,
      mergedRows: 2,
      warnings: 0,
    });
    expect(await stored(practice)).toEqual({
      '3001': false, // Patient
      '3002': true, // Inactive
      '3003': true, // Archived
      '3004': true, // NonPatient
      '3005': false, // Deceased: a deceased code, not an inactive one
      '3006': false, // no status
      '3007': true, // Inactive, then a repeat without status: the newest non-empty wins
      '3008': false, // Inactive, then Patient in the newer row
    });

    const ben = await show(practice, '3002');
    expect(ben).toMatchObject({ inactive: true, callable: false, notCallableReasons: ['inactive'] });
    expect(ben.callability).toBe('not callable: marked inactive in the EMR');
    expect(await show(practice, '3001')).toMatchObject({ inactive: false, callable: true });

    const again = await runImport(practice, TEXT);
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 8, mergedRows: 2 });
  });

  it('shows the status in the preview as it will be stored', async () => {
    const practice = await newPractice();
    const draft = await imports.createDraft(practice, files(TEXT), null);
    const preview = await imports.preview(practice, draft.id);
    expect(preview.files[0].rows.slice(0, 6).map((r) => [r.cells[6], r.parsed?.inactive])).toEqual([
      ['Patient', false],
      ['Inactive', true],
      ['Archived', true],
      ['NonPatient', true],
      ['Deceased', false],
      ['', null],
    ]);
  });

  it('follows a newer export: a patient shown active again is callable; a file without status keeps it', async () => {
    const practice = await newPractice();
    await runImport(practice, TEXT);

    const newer = withStatuses(TEXT, { '3002': 'Patient', '3001': 'Archived' });
    const second = await runImport(practice, newer);
    expect(second.summary).toMatchObject({ created: 0, updated: 2, unchanged: 6 });
    expect(await show(practice, '3002')).toMatchObject({ inactive: false, callable: true });
    expect((await show(practice, '3001')).notCallableReasons).toEqual(['inactive']);

    // An empty status says nothing: the stored status stays and the row is unchanged.
    const blank = withStatuses(newer, { '3003': '' });
    const third = await runImport(practice, blank);
    expect(third.summary).toMatchObject({ updated: 0, unchanged: 8 });
    expect((await show(practice, '3003')).inactive).toBe(true);

    const dir = mkdtempSync(path.join(tmpdir(), 'recall-status-'));
    const noStatus = path.join(dir, 'no-status.csv');
    writeFileSync(noStatus, 'PatNum,LName,FName\r\n3001,Reyes,Ana\r\n3002,Baker,Ben\r\n3003,Cole,Cara\r\n');
    await runImport(practice, noStatus);
    const after = await stored(practice);
    expect([after['3001'], after['3002'], after['3003']]).toEqual([true, false, true]);
  });

  it("reads numeric PatStatus codes only through the mapping's inactiveCodes", async () => {
    const practice = await newPractice();
    const plain = await runImport(practice, NUMERIC);
    expect(plain.draft.mapping!.patients.columns.patientStatus).toBe('PatStatus');
    expect(plain.summary).toMatchObject({ totalRows: 6, accepted: 6, created: 6 });
    expect(Object.values(await stored(practice))).toEqual([false, false, false, false, false, false]);

    // Open Dental: 0 Patient, 1 NonPatient, 2 Inactive, 3 Archived, 4 Deceased, 5 Deleted
    const coded = await runImport(practice, NUMERIC, (m) => ({ ...m, inactiveCodes: ['1', '2', '3', '5'] }));
    expect(coded.summary).toMatchObject({ created: 0, updated: 4, unchanged: 2 });
    expect(await stored(practice)).toEqual({
      '4000': false,
      '4001': true,
      '4002': true,
      '4003': true,
      '4004': false,
      '4005': true,
    });
    expect(coded.mapping!.inactiveCodes).toEqual(['1', '2', '3', '5']);
    const again = await runImport(practice, NUMERIC, () => coded.mapping!);
    expect(again.summary).toMatchObject({ updated: 0, unchanged: 6 });
  });

  it('reads Active and Inactive flags by their header, and one column can serve deceased too', async () => {
    const practice = await newPractice();
    const dir = mkdtempSync(path.join(tmpdir(), 'recall-status-'));
    const active = path.join(dir, 'active.csv');
    writeFileSync(active, 'MRN,Last,First,IsActive\nF1,Ames,Al,1\nF2,Bell,Bo,0\nF3,Card,Cy,N\n');
    await runImport(practice, active);
    expect(await stored(practice)).toEqual({ F1: false, F2: true, F3: true });

    const inactive = path.join(dir, 'inactive.csv');
    writeFileSync(inactive, 'MRN,Last,First,Inactive\nF1,Ames,Al,Y\nF2,Bell,Bo,N\nF3,Card,Cy,\n');
    await runImport(practice, inactive);
    expect(await stored(practice)).toEqual({ F1: true, F2: false, F3: true });

    const both = await runImport(practice, TEXT, (m) => ({
      ...m,
      patients: { columns: { ...m.patients.columns, deceasedStatus: 'PatStatus' } },
    }));
    expect(both.summary.rejected).toBe(0);
    const eli = await show(practice, '3005');
    expect(eli).toMatchObject({ deceased: true, inactive: false, notCallableReasons: ['deceased'] });
    expect(await show(practice, '3002')).toMatchObject({ deceased: false, inactive: true });
  });
});
