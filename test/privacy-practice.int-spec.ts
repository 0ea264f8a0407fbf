import { PracticesService } from '@recall/auth';
import { ownedTables } from '@recall/audit';
import { FixedClock, Role } from '@recall/core';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { importFiles, launchCampaign } from './support/scenario';
import { binaryBody } from './support/routes';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('privacy: a practice exports all its data, and an admin erases it', () => {
  let api: TestApi;
  let db: DataSource;
  const practice: Record<string, string> = {};
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  let admin: string;
  let manager: string;

  /** Rows per practice in every table with a practice_id column (read from the catalogue). */
  const rowsOf = async (practiceId: string): Promise<Record<string, number>> => {
    const tables: { table_name: string }[] = await db.query(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name = 'practice_id'`,
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [r] = await db.query(`SELECT count(*)::int AS n FROM "${table_name}" WHERE practice_id = $1`, [
        practiceId,
      ]);
      if (r.n) counts[table_name] = r.n;
    }
    return counts;
  };

  beforeAll(async () => {
    const clock = new FixedClock('2026-06-15T15:00:00Z');
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    await seed(
      api,
      ['north', 'south'],
      [
        { login: 'north.admin', role: Role.Admin, practices: ['north', 'south'] },
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.agent', role: Role.Agent, practices: ['north'] },
        { login: 'south.agent', role: Role.Agent, practices: ['south'] },
      ],
    );
    db = api.app.get(DataSource);
    for (const slug of ['north', 'south']) {
      practice[slug] = (await api.app.get(PracticesService).findBySlug(slug)).id;
      await importFiles(api, practice[slug], [
        { kind: 'patients', path: path.join(FIXTURES, 'privacy/patients.csv') },
      ]);
      await launchCampaign(api, practice[slug], {
        type: 'reactivation',
        name: 'Reactivation',
        agents: [`${slug}.agent`],
        seed: 1,
      });
    }
    admin = await tokenFor(api, 'north.admin');
    manager = await tokenFor(api, 'north.manager');
    const agent = await tokenFor(api, 'north.agent');
    // A few calls, a correction, a wrong number and an escalation, so the attempt tables are not empty.
    const queue = await api.http().get(`/api/practices/${practice.north}/queue`).set(auth(agent)).expect(200);
    const [first] = queue.body.items;
    const [{ id: agentId }] = await db.query(`SELECT id FROM app_user WHERE login = 'north.agent'`);
    const [second] = await db.query(
      `SELECT m.id AS "memberId", p.phones FROM campaign_member m JOIN patient p ON p.id = m.patient_id
       WHERE m.practice_id = $1 AND m.id <> $2 LIMIT 1`,
      [practice.north, first.memberId],
    );
    const dispose = (memberId: string, code: string, extra: object, key: string) =>
      api
        .http()
        .post(`/api/practices/${practice.north}/dispositions`)
        .set(auth(manager))
        .send({ memberId, code, agentId, idempotencyKey: key, ...extra })
        .expect(201);
    const noans = await dispose(first.memberId, 'NOANS', {}, 'erase-test-1');
    await api
      .http()
      .post(`/api/practices/${practice.north}/attempts/${noans.body.attemptId}/corrections`)
      .set(auth(manager))
      .send({ code: 'LVM', agentId, idempotencyKey: 'erase-test-2' })
      .expect(201);
    await dispose(
      second.memberId,
      'WNUM',
      { phone: second.phones[0].e164, remarks: 'my lawyer will sue' },
      'erase-test-3',
    );
  });
  afterAll(() => api.close());

  it('finds every practice table in the catalogue, children ordered before parents', async () => {
    const tables = (await ownedTables(db)).map((t) => t.table);
    for (const t of [
      'patient',
      'visit',
      'campaign',
      'campaign_member',
      'call_attempt',
      'call_start',
      'import_issue',
      'campaign_agent',
      'audit_event',
    ])
      expect(tables).toContain(t);
    expect(tables.indexOf('call_attempt')).toBeLessThan(tables.indexOf('call_start'));
    expect(tables.indexOf('campaign_member')).toBeLessThan(tables.indexOf('campaign'));
    expect(tables.indexOf('visit')).toBeLessThan(tables.indexOf('patient'));
  });

  it('exports everything the practice owns as gzipped NDJSON, and nothing of another practice', async () => {
    const res = await api
      .http()
      .get(`/api/practices/${practice.north}/export`)
      .set(auth(manager))
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/gzip/);
    expect(res.headers['content-disposition']).toMatch(/recall-north-export\.ndjson\.gz/);
    const [header, ...lines] = gunzipSync(res.body as Buffer)
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(header).toMatchObject({
      format: 'recall-practice-export',
      version: 1,
      practice: { slug: 'north' },
    });
    const byTable: Record<string, Record<string, unknown>[]> = {};
    for (const l of lines) (byTable[l.table] ??= []).push(l.row);
    const stored = await rowsOf(practice.north);
    for (const [table, n] of Object.entries(stored)) {
      // the export's own audit row is written as it starts: it is in the file, or just after it
      if (table === 'audit_event') expect(byTable[table]?.length).toBeGreaterThanOrEqual(n - 1);
      else expect({ table, rows: byTable[table]?.length }).toEqual({ table, rows: n });
    }
    expect(byTable.patient.map((p) => p.last_name)).toContain('Quillbottom');
    expect(byTable.import_issue).toBeUndefined(); // the fixture is clean; none were written
    expect(byTable.campaign_agent).toHaveLength(1);
    expect(byTable.app_user.map((u) => u.login).sort()).toEqual([
      'north.admin',
      'north.agent',
      'north.manager',
    ]);
    expect(JSON.stringify(byTable.app_user)).not.toMatch(/password|argon/);
    const foreign = lines.filter((l) => l.row.practice_id && l.row.practice_id !== practice.north);
    expect(foreign).toEqual([]);
    const [audit] = await db.query(`SELECT * FROM audit_event WHERE action = 'practice.export'`);
    expect(audit).toMatchObject({ practice_id: practice.north, outcome: 'success' });

    const agent = await tokenFor(api, 'north.agent');
    await api.http().get(`/api/practices/${practice.north}/export`).set(auth(agent)).expect(403);
  });

  it('erases a practice whole, in one go, only with its slug typed again, and only by an admin', async () => {
    const before = await rowsOf(practice.north);
    expect(Object.keys(before).length).toBeGreaterThan(8);
    const southBefore = await rowsOf(practice.south);
    const url = `/api/practices/${practice.north}/erase`;

    await api.http().post(url).set(auth(manager)).send({ confirm: 'north' }).expect(403);
    const wrong = await api.http().post(url).set(auth(admin)).send({ confirm: 'south' }).expect(400);
    expect(wrong.body.message).toMatch(/type the practice's slug \(north\)/);
    expect(await rowsOf(practice.north)).toEqual({ ...before, audit_event: before.audit_event + 2 });

    const res = await api.http().post(url).set(auth(admin)).send({ confirm: 'north' }).expect(200);
    expect(res.body).toMatchObject({ slug: 'north', rows: { patient: 6 } });

    // Nothing of the practice is left in any table with a practice_id, except its audit trail.
    const after = await rowsOf(practice.north);
    expect(Object.keys(after)).toEqual(['audit_event']);
    expect(await db.query(`SELECT 1 FROM practice WHERE id = $1`, [practice.north])).toEqual([]);
    expect(
      await db.query(`SELECT count(*)::int AS n FROM import_issue i WHERE NOT EXISTS
        (SELECT 1 FROM patient_import p WHERE p.id = i.import_id)`),
    ).toEqual([{ n: 0 }]);
    const [erased] = await db.query(
      `SELECT * FROM audit_event WHERE action = 'practice.erased' AND outcome = 'success'`,
    );
    expect(erased).toMatchObject({
      practice_id: practice.north,
      outcome: 'success',
      actor_login: 'north.admin',
    });
    expect(erased.details).toMatchObject({ slug: 'north', rows: { patient: 6, call_attempt: 3 } });

    // The other practice is untouched, and the admin still finds the erasure in the audit log.
    const southAfter = await rowsOf(practice.south);
    expect({ ...southAfter, audit_event: 0 }).toEqual({ ...southBefore, audit_event: 0 });
    const search = await api
      .http()
      .get(`/api/admin/audit?action=practice.erased&outcome=success`)
      .set(auth(await tokenFor(api, 'north.admin')))
      .expect(200);
    expect(search.body.items).toHaveLength(1);
  });
});
