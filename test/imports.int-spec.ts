import { PracticesService } from '@recall/auth';
import { FixedClock, RequestContext, Role } from '@recall/core';
import { ImportsService, type ImportMapping, type IncomingFile } from '@recall/imports';
import { DuplicatesService, PatientsService, type PatientView } from '@recall/patients';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures/imports');
const SYNTHEA = path.join(__dirname, '../seeds/data/synthea');
const ok = (name: string) => path.join(FIXTURES, 'ok', name);
const notOk = (name: string) => path.join(FIXTURES, 'not-ok', name);

describe('EMR import', () => {
  let api: TestApi;
  let imports: ImportsService;
  let patients: PatientsService;
  let db: DataSource;
  const practiceIds: Record<string, string> = {};
  // 2026-06-15 10:00 in Chicago: "today" for every date rule below.
  const clock = new FixedClock('2026-06-15T15:00:00Z');
  let slugCounter = 0;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    await seed(
      api,
      ['north', 'south'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'south.manager', role: Role.Manager, practices: ['south'] },
      ],
    );
    imports = api.app.get(ImportsService);
    patients = api.app.get(PatientsService);
    db = api.app.get(DataSource);
    for (const p of await api.app.get(PracticesService).list()) practiceIds[p.slug] = p.id;
  });
  afterAll(() => api.close());

  /** A fresh practice per test, so tests don't see each other's patients. */
  async function newPractice(timezone = 'America/Chicago'): Promise<string> {
    const slug = `p${++slugCounter}`;
    const p = await RequestContext.run({ requestId: 't', channel: 'system' }, () =>
      api.app.get(PracticesService).create({ slug, timezone }),
    );
    return p.id;
  }

  function files(spec: Partial<Record<'patients' | 'appointments' | 'encounters', string>>): IncomingFile[] {
    return Object.entries(spec).map(([kind, file]) => ({
      kind: kind as IncomingFile['kind'],
      name: path.basename(file!),
      path: file!,
      owned: false,
    }));
  }

  async function runImport(
    practiceId: string,
    spec: Partial<Record<'patients' | 'appointments' | 'encounters', string>>,
    opts: { mapping?: (suggested: ImportMapping) => ImportMapping; dryRun?: boolean } = {},
  ) {
    const draft = await imports.createDraft(practiceId, files(spec), null);
    const mapping = opts.mapping ? opts.mapping(draft.mapping!) : draft.mapping;
    await imports.start(practiceId, draft.id, { mapping, dryRun: opts.dryRun, enqueue: false }, null);
    const done = await imports.runInline(draft.id);
    return { ...done, summary: done.summary!, draft };
  }

  const show = (practiceId: string, mrn: string): Promise<PatientView> => patients.findByMrn(practiceId, mrn);

  async function issues(practiceId: string, importId: string, severity: 'rejected' | 'warning' = 'rejected') {
    return (await imports.issues(practiceId, importId, { severity, limit: 1000 })).map((i) => ({
      line: i.line,
      column: i.column,
      reason: i.reason,
    }));
  }

  it('reads an Open Dental style export: BOM, semicolons, CRLF, title rows, trailing empty columns', async () => {
    const practice = await newPractice();
    const run = await runImport(practice, { patients: ok('opendental-semicolon-bom-crlf.csv') });
    expect(run.status).toBe('succeeded');
    const format = run.draft.files[0].format;
    expect(format).toMatchObject({
      encoding: 'utf-8',
      bom: true,
      delimiter: ';',
      lineBreak: '\r\n',
      headerLine: 4,
    });
    expect(format.skippedLines).toEqual([
      'Patient List Report',
      'Printed 11/20/2026 - Filter: Active patients',
    ]);
    expect(format.headers).toHaveLength(11); // the two trailing empty columns are dropped
    expect(run.summary).toMatchObject({ totalRows: 5, accepted: 5, rejected: 0, created: 5, updated: 0 });

    const jose = await show(practice, '1001');
    expect(jose.name).toEqual({ first: 'José', middle: 'M', last: 'Álvarez' });
    expect(jose.birthDate).toBe('1961-03-07');
    expect(jose.email).toBe('jose@example.com');
    // mobile first; the home number keeps its extension
    expect(jose.phones).toEqual([
      { e164: '+16195550142', extension: null, raw: '619.555.0142', type: 'mobile', valid: true },
      { e164: '+16195557823', extension: '251', raw: '(619) 555-7823 x251', type: 'home', valid: true },
    ]);
    expect(jose).toMatchObject({
      state: 'CA',
      zip: '92101',
      timeZone: 'America/Los_Angeles',
      timeZoneSource: 'zip',
    });

    const maeve = await show(practice, '1002');
    expect(maeve.zip).toBe('00501');
    expect(maeve.phones.map((p) => [p.type, p.e164, p.extension])).toEqual([
      ['mobile', '+12125550199', null],
      ['work', '+12125550100', '42'],
    ]);
    const thao = await show(practice, '1003');
    expect(thao).toMatchObject({ birthDate: '2000-02-29', state: 'MA', zip: '02155', callable: false });
    expect(thao.phones[0]).toMatchObject({ raw: '555-1234', valid: false });
    expect(thao.notCallableReasons).toEqual(['no_valid_phone']);
    const anna = await show(practice, '1004');
    expect(anna).toMatchObject({
      name: { first: 'Anna; Marie', last: 'Smith' },
      birthDate: null,
      zip: '02139-4307',
    });
    expect(anna.email).toBe('anna@example.com');

    // per line, in the order the fields are read
    expect(await issues(practice, run.id, 'warning')).toEqual([
      { line: 6, column: 'Zip', reason: "ZIP '501' lost its leading zero; read as 00501" },
      { line: 7, column: 'Zip', reason: "ZIP '2155' lost its leading zero; read as 02155" },
      { line: 7, column: 'HmPhone', reason: "too short: '555-1234'; kept, never dialled" },
      { line: 10, column: 'HmPhone', reason: "not a valid US number: '(000) 123-4567'; kept, never dialled" },
    ]);
  });

  it('reads an Epic style export: Windows-1252, tabs, one LAST,FIRST M name column, 12-hour timestamps', async () => {
    const practice = await newPractice('America/Denver');
    const run = await runImport(practice, { patients: ok('epic-tab-cp1252.tsv') });
    expect(run.draft.files[0].format).toMatchObject({ encoding: 'windows-1252', delimiter: '\t' });
    expect(run.summary).toMatchObject({ totalRows: 3, accepted: 3, rejected: 0, warnings: 0 });
    const muller = await show(practice, 'E100');
    expect(muller).toMatchObject({
      name: { first: 'FRANÇOIS', middle: 'J', last: 'MÜLLER' },
      birthDate: '1948-08-09',
      lastEncounterOn: '2023-06-15',
      callable: true,
    });
    const obrien = await show(practice, 'E101');
    expect(obrien).toMatchObject({
      name: { first: 'SEÁN', last: 'O’BRIEN' },
      deceased: true,
      deceasedOn: '2024-01-05',
    });
    expect(obrien.notCallableReasons).toEqual(['deceased']);
    expect((await show(practice, 'E102')).name).toEqual({ first: 'LUCÍA', middle: null, last: 'PEÑA' });
  });

  it('reads pipes, CR line ends, quoted delimiters and newlines, null markers and two-digit years', async () => {
    const practice = await newPractice('America/Denver');
    const run = await runImport(practice, { patients: ok('pipe-cr-quoted.txt') });
    expect(run.draft.files[0].format).toMatchObject({ delimiter: '|', lineBreak: '\r' });
    expect(run.summary).toMatchObject({ totalRows: 3, accepted: 3, rejected: 0 });
    const jane = await show(practice, 'P-1');
    expect(jane).toMatchObject({
      birthDate: '1985-07-04',
      address: '12 Main St | Apt 4 Building B',
      nextAppointmentOn: null,
    });
    expect(jane.phones[0]).toMatchObject({ type: 'mobile', e164: '+14065550111' });
    const richard = await show(practice, 'P-2');
    expect(richard).toMatchObject({
      birthDate: null,
      state: 'MT',
      nextAppointmentOn: '2027-01-15',
      callable: false,
    });
    expect(richard.phones[0]).toMatchObject({ type: 'home', extension: '9' });
    expect(richard.notCallableReasons).toEqual(['has_next_appointment']);
    const edgar = await show(practice, 'P-3');
    expect(edgar).toMatchObject({ zip: null, timeZone: 'America/Denver', timeZoneSource: 'state' });
    expect(edgar.phones).toEqual([
      expect.objectContaining({ raw: 'not a phone', valid: false, type: 'work' }),
    ]);
    // Lines are counted by the file's own line break (CR here): the LF inside P-1's
    // address does not start a new line, so P-3 is on line 4.
    expect(await issues(practice, run.id, 'warning')).toEqual([
      { line: 4, column: 'Phone', reason: "not a phone number: 'not a phone'; kept, never dialled" },
    ]);
  });

  it('merges repeated ids, keeps do-not-call and reads deceased codes; re-import changes nothing', async () => {
    const practice = await newPractice();
    const first = await runImport(practice, { patients: ok('comma-repeats-dnc.csv') });
    expect(first.summary).toMatchObject({
      totalRows: 5,
      accepted: 5,
      rejected: 0,
      created: 4,
      mergedRows: 1,
    });
    const ada = await show(practice, 'A1');
    expect(ada.phones.map((p) => p.e164)).toEqual(['+16195550101', '+16195550103']);
    expect(ada).toMatchObject({ provider: 'Dr. Byron', location: 'North' }); // newest non-empty wins
    expect((await show(practice, 'A2')).deceased).toBe(true);
    const grace = await show(practice, 'A3');
    expect(grace.doNotCall).toMatchObject({ reason: 'export' });
    expect((await show(practice, 'A4')).phones[0]).toMatchObject({ e164: '+16195550105', extension: '77' });

    const again = await runImport(practice, { patients: ok('comma-repeats-dnc.csv') });
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 4, mergedRows: 1 });

    // A newer export: Grace is no longer flagged DNC there, Alan has a new number.
    const dir = mkdtempSync(path.join(tmpdir(), 'recall-'));
    const newer = path.join(dir, 'newer.csv');
    writeFileSync(
      newer,
      [
        'Patient ID,First Name,Last Name,DOB,Cell Phone,Deceased,Do Not Call',
        'A2,Alan,Turing,1912-06-23,(619) 555-0199,Y,',
        'A3,Grace,Hopper,1906-12-09,16195550104,,',
      ].join('\n'),
    );
    const third = await runImport(practice, { patients: newer });
    expect(third.summary).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
    expect((await show(practice, 'A2')).phones.map((p) => p.e164)).toEqual(['+16195550199']);
    expect((await show(practice, 'A3')).doNotCall).not.toBeNull(); // never lifted by an import
  });

  it('joins appointments and encounters on a key other than the MRN and derives activity', async () => {
    const practice = await newPractice();
    const run = await runImport(
      practice,
      {
        patients: ok('openemr-patients.csv'),
        appointments: ok('openemr-appointments.csv'),
        encounters: ok('openemr-encounters.csv'),
      },
      {
        mapping: (m) => ({
          ...m,
          patients: { columns: { ...m.patients.columns, joinKey: 'pid' } },
          statusCodes: { '1': 'scheduled', '2': 'completed', '5': 'no_show', x: 'cancelled' },
        }),
      },
    );
    expect(run.status).toBe('succeeded');
    expect(run.summary.files.appointments).toEqual({ totalRows: 6, accepted: 5, rejected: 1, warnings: 1 });
    expect(run.summary.files.encounters).toEqual({ totalRows: 3, accepted: 3, rejected: 0, warnings: 0 });
    expect(run.summary).toMatchObject({ totalRows: 12, accepted: 11, rejected: 1 });
    expect(run.summary.accepted + run.summary.rejected).toBe(run.summary.totalRows);
    expect(await issues(practice, run.id)).toEqual([
      { line: 7, column: null, reason: "no patient with key '99' in this practice" },
    ]);
    expect(await issues(practice, run.id, 'warning')).toEqual([
      {
        line: 6,
        column: 'pc_apptstatus',
        reason: "unknown status '7': map it in the profile's status codes",
      },
    ]);

    const carla = await show(practice, 'MRN-001');
    expect(carla).toMatchObject({
      joinKey: '1',
      lastEncounterOn: '2026-01-10',
      lastAppointment: { on: '2026-03-05', status: 'no_show' },
      nextAppointmentOn: null,
      callable: true,
    });
    const ben = await show(practice, 'MRN-002');
    expect(ben).toMatchObject({
      lastAppointment: { on: '2026-02-01', status: 'cancelled' },
      nextAppointmentOn: '2026-12-20',
    });
    expect(ben.notCallableReasons).toEqual(['has_next_appointment']);
    expect((await show(practice, 'MRN-003')).lastEncounterOn).toBe('2024-05-05');

    const again = await runImport(
      practice,
      { patients: ok('openemr-patients.csv'), appointments: ok('openemr-appointments.csv') },
      { mapping: () => run.mapping! },
    );
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(again.summary.visits).toEqual({ created: 0, updated: 0, unchanged: 5 });
  });

  it('reads a Synthea export out of the box (built-in profile), and re-imports without duplicates', async () => {
    const practice = await newPractice('America/New_York');
    const spec = {
      patients: path.join(SYNTHEA, 'patients.csv'),
      encounters: path.join(SYNTHEA, 'encounters.csv'),
    };
    const draft = await imports.createDraft(practice, files(spec), null);
    expect(draft.suggestedProfile).toBe('synthea');
    const run = await runImport(practice, spec);
    expect(run.summary).toMatchObject({ totalRows: 116 + 5722, rejected: 0, created: 116 });
    expect(run.summary.visits.created).toBe(5722);
    const [{ deceased }] = await db.query(
      `SELECT count(*) FILTER (WHERE deceased)::int AS deceased FROM patient WHERE practice_id = $1`,
      [practice],
    );
    expect(deceased).toBe(16);
    const phil = await show(practice, '146ca7c8-be75-f1bc-9e9b-c56a5caa5842');
    expect(phil).toMatchObject({
      name: { first: 'Phil587', last: 'Pacocha935' },
      birthDate: '1995-12-30',
      state: 'MA',
    });
    expect(phil.timeZone).toBe('America/New_York');
    const again = await runImport(practice, spec);
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 116 });
    expect(again.summary.visits).toEqual({ created: 0, updated: 0, unchanged: 5722 });
  });

  it('rejects rows that cannot identify a patient or cannot be parsed, each with line, column and reason', async () => {
    const practice = await newPractice();
    const run = await runImport(practice, { patients: notOk('rejects.csv') });
    expect(run.status).toBe('succeeded');
    expect(run.summary).toMatchObject({ totalRows: 6, accepted: 3, rejected: 3 });
    const rejected = await imports.issues(practice, run.id, { severity: 'rejected' });
    expect(rejected.map((r) => [r.line, r.column, r.reason])).toEqual([
      [3, 'MRN', 'no patient id'],
      [4, 'Last Name', 'no name'],
      [5, null, 'row has 7 fields but the header has 5'],
    ]);
    // a stray quote is kept as written (relaxed quoting), not a reason to drop the row
    expect((await show(practice, 'R6')).name.last).toBe('"Broken"quote');
    expect(rejected[0].rawRow).toBe(',Noid,Nora,1/2/1970,312-555-0150');
    expect(await issues(practice, run.id, 'warning')).toEqual([
      { line: 6, column: 'DOB', reason: "not a date: '13/45/1970'; left empty" },
    ]);
    let csv = '';
    for await (const chunk of imports.rejectedCsv(practice, run.id)) csv += chunk;
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('file,line,column,reason,original_row');
    expect(lines[1]).toBe('patients,3,MRN,no patient id,",Noid,Nora,1/2/1970,312-555-0150"');
    expect(lines).toHaveLength(4);
  });

  it('refuses files it cannot read, saying what and where, and changes nothing', async () => {
    const practice = await newPractice();
    await expect(
      imports.createDraft(practice, files({ patients: notOk('empty.csv') }), null),
    ).rejects.toThrow('empty.csv: the file is empty');
    await expect(
      imports.createDraft(practice, files({ patients: notOk('no-header.csv') }), null),
    ).rejects.toThrow(/no-header\.csv: no delimited header row found/);
    const run = await runImport(practice, { patients: notOk('unclosed-quote.csv') });
    expect(run.status).toBe('failed');
    expect(run.error).toBe('unclosed-quote.csv: line 3: a quoted field is never closed');
    const [{ count }] = await db.query(`SELECT count(*)::int FROM patient WHERE practice_id = $1`, [
      practice,
    ]);
    expect(count).toBe(0);

    const draft = await imports.createDraft(practice, files({ patients: ok('comma-repeats-dnc.csv') }), null);
    await expect(
      imports.start(
        practice,
        draft.id,
        { mapping: { patients: { columns: { patientId: 'Chart #', lastName: 'Last Name' } } } },
        null,
      ),
    ).rejects.toThrow('patients.patientId: column "Chart #" is not in the file');
  });

  it('is all-or-nothing: a broken second file leaves the previous state intact', async () => {
    const practice = await newPractice();
    await runImport(practice, { patients: ok('openemr-patients.csv') });
    const before = await db.query(
      `SELECT mrn, content_hash FROM patient WHERE practice_id = $1 ORDER BY mrn`,
      [practice],
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'recall-'));
    const changed = path.join(dir, 'patients.csv');
    writeFileSync(changed, 'pid,pubpid,fname,lname\n1,MRN-001,Carla,Changed\n9,MRN-009,New,Person\n');
    const broken = path.join(dir, 'encounters.csv');
    copyFileSync(notOk('unclosed-quote.csv'), broken);
    const run = await runImport(
      practice,
      { patients: changed, encounters: broken },
      { mapping: (m) => ({ ...m, encounters: { columns: { patientKey: 'MRN', date: 'Last' } } }) },
    );
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^encounters\.csv: line 3:/);
    const after = await db.query(
      `SELECT mrn, content_hash FROM patient WHERE practice_id = $1 ORDER BY mrn`,
      [practice],
    );
    expect(after).toEqual(before);
  });

  it('a dry run counts everything and changes nothing; its rejected rows are still there to download', async () => {
    const practice = await newPractice();
    const run = await runImport(practice, { patients: notOk('rejects.csv') }, { dryRun: true });
    expect(run).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(run.summary).toMatchObject({ totalRows: 6, accepted: 3, rejected: 3, created: 3 });
    const [{ count }] = await db.query(`SELECT count(*)::int FROM patient WHERE practice_id = $1`, [
      practice,
    ]);
    expect(count).toBe(0);
    expect(await issues(practice, run.id)).toHaveLength(3);
  });

  it('flags possible duplicates for review, merges on request, and a re-import never resurrects the merged one', async () => {
    const practice = await newPractice();
    const dir = mkdtempSync(path.join(tmpdir(), 'recall-'));
    const file = path.join(dir, 'dups.csv');
    writeFileSync(
      file,
      [
        'MRN,First,Last,DOB,Cell',
        'D1,Zoë,Müller,1970-01-01,(312) 555-0101',
        'D2,Zoe,MULLER,1970-01-01,(312) 555-0102', // same normalised name + DOB
        'D3,Sam,Lee,1980-02-02,(312) 555-0103',
        'D4,Sam,Lee,1981-03-03,(312) 555-0103', // same name + phone, different DOB
        'D5,Sam,Lee,1990-04-04,(312) 555-0199', // same name only: not flagged
      ].join('\n'),
    );
    const run = await runImport(practice, { patients: file });
    expect(run.summary.possibleDuplicates).toBe(2);
    const duplicates = api.app.get(DuplicatesService);
    const open = await duplicates.list(practice);
    expect(open.map((d) => [d.reason, d.patients.map((p) => p.mrn).sort()]).sort()).toEqual([
      ['name_birth_date', ['D1', 'D2']],
      ['phone_name', ['D3', 'D4']],
    ]);
    const pair = open.find((d) => d.reason === 'name_birth_date')!;
    const survivor = pair.patients.find((p) => p.mrn === 'D1')!;
    const merged = await duplicates.merge(
      practice,
      pair.id,
      survivor.id,
      (await db.query('SELECT id FROM app_user LIMIT 1'))[0].id,
    );
    expect(merged.phones.map((p) => p.e164).sort()).toEqual(['+13125550101', '+13125550102']);
    expect((await show(practice, 'D2')).notCallableReasons).toContain('merged_duplicate');

    const again = await runImport(practice, { patients: file });
    expect(again.summary.possibleDuplicates).toBe(0); // nothing new; the merged pair is not re-flagged
    const d2 = await show(practice, 'D2');
    expect(d2.mergedIntoId).toBe(survivor.id);
    expect(d2.callable).toBe(false);
  });

  describe('over HTTP', () => {
    let token: string;
    beforeAll(async () => {
      token = await tokenFor(api, 'north.manager');
    });
    const auth = () => ({ Authorization: `Bearer ${token}` });

    it('uploads, previews, runs as a job, reports progress and serves the rejected rows', async () => {
      const base = `/api/practices/${practiceIds.north}/imports`;
      const upload = await api
        .http()
        .post(base)
        .set(auth())
        .attach('patients', notOk('rejects.csv'))
        .expect(201);
      expect(upload.body).toMatchObject({
        status: 'draft',
        files: [{ kind: 'patients', name: 'rejects.csv' }],
      });
      expect(upload.body.mapping.patients.columns).toMatchObject({ patientId: 'MRN', lastName: 'Last Name' });

      const preview = await api
        .http()
        .post(`${base}/${upload.body.id}/preview`)
        .set(auth())
        .send({})
        .expect(200);
      const rows = preview.body.files[0].rows;
      expect(rows[0]).toMatchObject({ line: 2, cells: ['R1', 'Good', 'Row', '1/2/1970', '312-555-0150'] });
      expect(rows[0].parsed).toMatchObject({ mrn: 'R1', birth_date: '1970-01-02', last_name: 'Good' });
      expect(rows[0].parsed.phones[0]).toMatchObject({ e164: '+13125550150' });
      expect(rows[1]).toMatchObject({
        line: 3,
        parsed: null,
        issues: [{ severity: 'rejected', column: 'MRN', reason: 'no patient id' }],
      });

      await api
        .http()
        .post(`${base}/${upload.body.id}/start`)
        .set(auth())
        .send({ mapping: preview.body.mapping, saveProfileAs: 'Front desk export' })
        .expect(202);
      let view = upload.body;
      for (let i = 0; i < 100 && !['succeeded', 'failed'].includes(view.status); i++) {
        await new Promise((r) => setTimeout(r, 100));
        view = (await api.http().get(`${base}/${upload.body.id}`).set(auth()).expect(200)).body;
      }
      expect(view).toMatchObject({
        status: 'succeeded',
        summary: { totalRows: 6, accepted: 3, rejected: 3 },
      });
      expect(view.progress.bytesDone).toBe(view.progress.bytesTotal);

      const csv = await api.http().get(`${base}/${upload.body.id}/rejected.csv`).set(auth()).expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.text.split('\r\n')[1]).toBe(
        'patients,3,MRN,no patient id,",Noid,Nora,1/2/1970,312-555-0150"',
      );

      const profiles = await api
        .http()
        .get(`/api/practices/${practiceIds.north}/mapping-profiles`)
        .set(auth())
        .expect(200);
      expect(profiles.body.items.map((p: { name: string }) => p.name)).toEqual([
        'synthea',
        'Front desk export',
      ]);

      const audit = await db.query(
        `SELECT details FROM audit_event WHERE action = 'imports.run' AND entity_id = $1`,
        [upload.body.id],
      );
      expect(audit[0].details).toMatchObject({
        status: 'succeeded',
        files: [{ name: 'rejects.csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
      });
      // the upload was Recall's copy: gone once imported
      const [row] = await db.query(`SELECT files FROM patient_import WHERE id = $1`, [upload.body.id]);
      expect(existsSync(row.files[0].path)).toBe(false);
    });

    it("keeps a manager out of another practice's imports and patients", async () => {
      const south = await tokenFor(api, 'south.manager');
      const upload = await api
        .http()
        .post(`/api/practices/${practiceIds.north}/imports`)
        .set(auth())
        .attach('patients', ok('comma-repeats-dnc.csv'))
        .expect(201);
      const as = (t: string) => ({ Authorization: `Bearer ${t}` });
      await api
        .http()
        .get(`/api/practices/${practiceIds.north}/imports/${upload.body.id}`)
        .set(as(south))
        .expect(404);
      await api
        .http()
        .get(`/api/practices/${practiceIds.south}/imports/${upload.body.id}`)
        .set(as(south))
        .expect(404);
      await api.http().get(`/api/practices/${practiceIds.north}/patients`).set(as(south)).expect(404);
      await api.http().get(`/api/practices/not-a-uuid/patients`).set(auth()).expect(404);
    });
  });
});
