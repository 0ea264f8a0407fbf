import { PracticesService } from '@recall/auth';
import { FixedClock, Role } from '@recall/core';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { asSystem, importFiles, launchCampaign } from './support/scenario';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const PATIENTS = path.join(__dirname, 'fixtures/dispositions/patients.csv');

/**
 * The identity check (issue 10, protocol 001): the practice's fields, the check recorded once on
 * a started call, the card that waits for it, and the disposition write that refuses a booking
 * without it.
 */
describe('identity before patient details', () => {
  let api: TestApi;
  let db: DataSource;
  // Monday 2026-06-15, 10:00 in Chicago: the calling window is open.
  const clock = new FixedClock('2026-06-15T15:00:00Z');
  const practice: Record<'north' | 'south', string> = { north: '', south: '' };
  const token: Record<string, string> = {};
  const users: Record<string, string> = {};
  let campaignId: string;
  let seq = 0;

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000', MFA_REQUIRED_ROLES: 'none' } });
    db = api.app.get(DataSource);
    await seed(
      api,
      ['north', 'south'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.a1', role: Role.Agent, practices: ['north'] },
        { login: 'north.a2', role: Role.Agent, practices: ['north'] },
        { login: 'south.agent', role: Role.Agent, practices: ['south'] },
      ],
    );
    const practices = api.app.get(PracticesService);
    practice.north = (await practices.findBySlug('north')).id;
    practice.south = (await practices.findBySlug('south')).id;
    for (const u of await db.query(`SELECT id, login FROM app_user`)) users[u.login] = u.id;
    for (const p of ['north', 'south'] as const) {
      await importFiles(api, practice[p], [{ kind: 'patients', path: PATIENTS }]);
      const c = await launchCampaign(api, practice[p], {
        type: 'reactivation',
        name: `${p} recall`,
        agents: [p === 'north' ? 'north.a1' : 'south.agent'],
        seed: 7,
      });
      if (p === 'north') campaignId = c.campaignId;
    }
    // Every patient due today, so each is in the agent's queue now.
    await asSystem(() => db.query(`UPDATE cycle_assignment SET due_on = '2026-06-15'`));
    for (const login of ['north.manager', 'north.a1', 'north.a2', 'south.agent'])
      token[login] = await tokenFor(api, login);
  });
  afterAll(() => api.close());

  const base = (p: 'north' | 'south' = 'north') => `/api/practices/${practice[p]}`;
  const as = (login: string) => ({ Authorization: `Bearer ${token[login]}` });
  const member = async (mrn: string, p: 'north' | 'south' = 'north') =>
    (
      await asSystem(() =>
        db.query(
          `SELECT m.id, a.id AS assignment_id FROM campaign_member m JOIN patient p ON p.id = m.patient_id
           JOIN cycle_assignment a ON a.member_id = m.id WHERE p.mrn = $1 AND m.practice_id = $2`,
          [mrn, practice[p]],
        ),
      )
    )[0] as { id: string; assignment_id: string };
  const startCall = async (mrn: string, login = 'north.a1', p: 'north' | 'south' = 'north') => {
    const m = await member(mrn, p);
    const res = await api
      .http()
      .post(`${base(p)}/queue/${m.assignment_id}/start`)
      .set(as(login))
      .send({})
      .expect(200);
    return { memberId: m.id, callStartId: res.body.callStartId as string };
  };
  const check = (callStartId: string, checks: Record<string, unknown>, login = 'north.a1', p = base()) =>
    api.http().post(`${p}/calls/${callStartId}/identity`).set(as(login)).send({ checks });
  const dispose = (body: Record<string, unknown>, login = 'north.a1') =>
    api
      .http()
      .post(`${base()}/dispositions`)
      .set(as(login))
      .send({ idempotencyKey: `identity-test-${++seq}`, source: 'workspace', ...body });
  const card = async (memberId: string, login = 'north.a1') =>
    (await api.http().get(`${base()}/members/${memberId}/card`).set(as(login)).expect(200)).body;
  const attemptRow = async (attemptId: string) =>
    (
      await asSystem(() =>
        db.query(`SELECT identity_verified, call_start_id FROM call_attempt WHERE id = $1`, [attemptId]),
      )
    )[0];

  it("the practice's fields: name and date of birth by default; managers change them, validated", async () => {
    const got = await api.http().get(`${base()}/protocol/identity`).set(as('north.a1')).expect(200);
    expect(got.body.fields).toEqual(['name', 'dob']);
    expect(got.body.available.map((a: { field: string }) => a.field)).toEqual([
      'name',
      'dob',
      'zip',
      'phone',
    ]);
    await api
      .http()
      .put(`${base()}/protocol/identity`)
      .set(as('north.a1'))
      .send({ fields: ['name'] })
      .expect(403);
    const bad = await api
      .http()
      .put(`${base()}/protocol/identity`)
      .set(as('north.manager'))
      .send({ fields: ['name', 'ssn'] })
      .expect(400);
    expect(bad.body.message).toMatch(/^fields: unknown field ssn/);
    const empty = await api
      .http()
      .put(`${base()}/protocol/identity`)
      .set(as('north.manager'))
      .send({ fields: [] })
      .expect(400);
    expect(empty.body.message).toMatch(/fields: choose at least one/);
    const set = await api
      .http()
      .put(`${base()}/protocol/identity`)
      .set(as('north.manager'))
      .send({ fields: ['zip', 'name', 'dob'] })
      .expect(200);
    expect(set.body.fields).toEqual(['name', 'dob', 'zip']);
    // South keeps its own (the defaults).
    const south = await api
      .http()
      .get(`${base('south')}/protocol/identity`)
      .set(as('south.agent'))
      .expect(200);
    expect(south.body.fields).toEqual(['name', 'dob']);
    const [audit] = await asSystem(() =>
      db.query(
        `SELECT details FROM audit_event WHERE action = 'protocol.identity' AND practice_id = $1 AND outcome = 'success'
         ORDER BY occurred_at DESC, id DESC LIMIT 1`,
        [practice.north],
      ),
    );
    expect(audit.details).toEqual({ fields: ['name', 'dob', 'zip'] });

    // With ZIP required the refusal names it, and a check without it is incomplete.
    const call = await startCall('KC');
    const refused = await dispose({
      memberId: call.memberId,
      callStartId: call.callStartId,
      code: 'DONE',
      appointmentAt: '2026-06-22T09:30',
    }).expect(400);
    expect(refused.body.message).toBe(
      'identity not verified: confirm name, date of birth and ZIP code first',
    );
    const incomplete = await check(call.callStartId, { name: true, dob: true }).expect(400);
    expect(incomplete.body.message).toMatch(/checks\.zip: say whether it matches/);
    await check(call.callStartId, { name: true, dob: true, zip: true }).expect(200);
    await dispose({ memberId: call.memberId, callStartId: call.callStartId, code: 'NOANS' }).expect(201);

    await api
      .http()
      .put(`${base()}/protocol/identity`)
      .set(as('north.manager'))
      .send({ fields: ['name', 'dob'] })
      .expect(200);
  });

  it('DONE is refused until the identity is verified; the card shows details only after; the attempt records it', async () => {
    const call = await startCall('K2');
    const before = await card(call.memberId);
    expect(before.redacted).toBe(true);
    expect(before.identity).toMatchObject({
      callStartId: call.callStartId,
      status: 'unchecked',
      fields: ['name', 'dob'],
    });
    // What the agent needs to ask and dial: the name, the date of birth to compare, the phones.
    expect(before.patient).toMatchObject({
      name: { first: 'Kyle', last: 'Banks' },
      birthDate: '1972-07-08',
      lastVisitOn: null,
      lastAppointment: null,
      nextAppointmentOn: null,
    });
    expect(before.patient.phones.length).toBeGreaterThan(0);

    const refused = await dispose({
      memberId: call.memberId,
      callStartId: call.callStartId,
      code: 'DONE',
      appointmentAt: '2026-06-22T09:30',
    }).expect(400);
    expect(refused.body.message).toBe('identity not verified: confirm name and date of birth first');
    expect(refused.body.field ?? refused.body.details?.field).toBe('identityVerified');
    // Without naming the call the write finds it all the same (the agent's call in progress).
    await dispose({ memberId: call.memberId, code: 'RECONFIRMED', appointmentAt: '2026-06-22T09:30' }).expect(
      400,
    );

    const checked = await check(call.callStartId, { name: true, dob: true }).expect(200);
    expect(checked.body).toMatchObject({
      callStartId: call.callStartId,
      status: 'verified',
      allowedCodes: null,
    });
    const after = await card(call.memberId);
    expect(after.redacted).toBe(false);
    expect(after.identity.status).toBe('verified');
    expect(after.patient.lastVisitOn).toBe('2025-01-11');

    const done = await dispose({
      memberId: call.memberId,
      callStartId: call.callStartId,
      code: 'DONE',
      appointmentAt: '2026-06-22T09:30',
    }).expect(201);
    expect(await attemptRow(done.body.attemptId)).toEqual({
      identity_verified: true,
      call_start_id: call.callStartId,
    });
    const [stored] = await asSystem(() =>
      db.query(`SELECT identity_verified, identity_checks FROM call_start WHERE id = $1`, [call.callStartId]),
    );
    expect(stored).toEqual({ identity_verified: true, identity_checks: { name: true, dob: true } });
    const audits = await asSystem(() =>
      db.query(
        `SELECT actor_user_id, entity_type, details, outcome FROM audit_event
         WHERE action = 'call.identity' AND entity_id = $1`,
        [call.callStartId],
      ),
    );
    expect(audits).toEqual([
      {
        actor_user_id: users['north.a1'],
        entity_type: 'call_start',
        outcome: 'success',
        details: { memberId: call.memberId, verified: true, checks: { name: true, dob: true } },
      },
    ]);
    // The call has its outcome: no more checks on it.
    await check(call.callStartId, { name: true, dob: true }).expect(409);
  });

  it('a failed check: details stay hidden, DONE and other codes are refused, UNAVLBL closes the call', async () => {
    const call = await startCall('K3');
    const failed = await check(call.callStartId, { name: true, dob: false }).expect(200);
    expect(failed.body).toMatchObject({ status: 'failed', allowedCodes: ['UNAVLBL', 'WNUM'] });
    // Once per call: a second try does not overwrite the failure.
    const again = await check(call.callStartId, { name: true, dob: true }).expect(409);
    expect(again.body.message).toMatch(/already recorded/);

    const shown = await card(call.memberId);
    expect(shown.redacted).toBe(true);
    expect(shown.identity.status).toBe('failed');
    expect(shown.patient.lastVisitOn).toBeNull();

    const done = await dispose({
      memberId: call.memberId,
      callStartId: call.callStartId,
      code: 'DONE',
      appointmentAt: '2026-06-22T09:30',
    }).expect(400);
    expect(done.body.message).toMatch(
      /^identity not verified: the check on this call failed; close the call as UNAVLBL or WNUM/,
    );
    const hungUp = await dispose({
      memberId: call.memberId,
      callStartId: call.callStartId,
      code: 'HUNGUP',
    }).expect(400);
    expect(hungUp.body.message).toMatch(/identity check on this call failed/);
    const unavailable = await dispose({
      memberId: call.memberId,
      callStartId: call.callStartId,
      code: 'UNAVLBL',
    }).expect(201);
    expect(await attemptRow(unavailable.body.attemptId)).toMatchObject({ identity_verified: false });
  });

  it('no answer needs no check, and its attempt records the identity as unknown', async () => {
    const call = await startCall('K4');
    const noans = await dispose({
      memberId: call.memberId,
      callStartId: call.callStartId,
      code: 'NOANS',
    }).expect(201);
    expect(await attemptRow(noans.body.attemptId)).toMatchObject({ identity_verified: null });
  });

  it('checks are validated, naming the field', async () => {
    const call = await startCall('K5');
    const missing = await check(call.callStartId, { name: true }).expect(400);
    expect(missing.body.message).toMatch(/checks\.dob/);
    const extra = await check(call.callStartId, { name: true, dob: true, ssn: true }).expect(400);
    expect(extra.body.message).toMatch(/checks\.ssn: not one of the fields/);
    const notBoolean = await check(call.callStartId, { name: 'yes', dob: true }).expect(400);
    expect(notBoolean.body.message).toMatch(/checks\.name/);
    const notObject = await api
      .http()
      .post(`${base()}/calls/${call.callStartId}/identity`)
      .set(as('north.a1'))
      .send({ checks: 'yes' })
      .expect(400);
    expect(JSON.stringify(notObject.body.message)).toMatch(/checks must be an object/);
    // Nothing was stored by the refusals.
    const [stored] = await asSystem(() =>
      db.query(`SELECT identity_verified FROM call_start WHERE id = $1`, [call.callStartId]),
    );
    expect(stored.identity_verified).toBeNull();
  });

  it("an agent's card hides history until verified; a manager in the back office sees it all", async () => {
    const k6 = await member('K6');
    // A back-office entry by the manager (no call start): allowed, identity unknown.
    const entry = await dispose(
      {
        memberId: k6.id,
        agentId: users['north.a1'],
        code: 'LVM',
        remarks: 'knee pain, prefers mornings',
        at: '2026-06-15T09:30:00-05:00',
        source: 'api',
      },
      'north.manager',
    ).expect(201);
    expect(await attemptRow(entry.body.attemptId)).toEqual({ identity_verified: null, call_start_id: null });

    const agentView = await card(k6.id);
    expect(agentView.redacted).toBe(true);
    expect(agentView.identity).toMatchObject({ callStartId: null, status: 'unchecked' });
    expect(agentView.attempts).toEqual([
      expect.objectContaining({ code: 'LVM', remarks: null, reason: null, appointmentAt: null }),
    ]);
    expect(JSON.stringify(agentView)).not.toContain('knee pain');
    const managerView = await card(k6.id, 'north.manager');
    expect(managerView.redacted).toBe(false);
    expect(managerView.attempts[0].remarks).toBe('knee pain, prefers mornings');
    expect(managerView.patient.lastVisitOn).toBe('2025-01-15');
  });

  it('back-office bookings without a call start: a manager may; an agent on the API may not', async () => {
    const k7 = await member('K7');
    const agent = await dispose(
      { memberId: k7.id, code: 'DONE', appointmentAt: '2026-06-22T09:30', source: 'api' },
      'north.a1',
    ).expect(400);
    expect(agent.body.message).toMatch(
      /identity not verified: start the call and confirm name and date of birth first/,
    );
    const byManager = await dispose(
      {
        memberId: k7.id,
        agentId: users['north.a1'],
        code: 'DONE',
        appointmentAt: '2026-06-22T09:30',
        at: '2026-06-15T09:00:00-05:00',
        source: 'api',
      },
      'north.manager',
    ).expect(201);
    expect(await attemptRow(byManager.body.attemptId)).toEqual({
      identity_verified: null,
      call_start_id: null,
    });
  });

  it("another practice's or another agent's call is refused", async () => {
    const south = await startCall('K8', 'south.agent', 'south');
    // North's agent, north in the path, south's call: not found (row security hides it).
    await check(south.callStartId, { name: true, dob: true }, 'north.a1').expect(404);
    // South in the path: the practice guard refuses (a practice one is not in reads as not found).
    const refused = [
      await check(south.callStartId, { name: true, dob: true }, 'north.a1', base('south')),
      await api
        .http()
        .get(`${base('south')}/protocol/identity`)
        .set(as('north.manager')),
      await api
        .http()
        .put(`${base('south')}/protocol/identity`)
        .set(as('north.manager'))
        .send({ fields: ['name'] }),
    ].map((r) => r.status);
    for (const status of refused) expect([403, 404]).toContain(status);
    const north = await startCall('K9');
    // A colleague cannot answer for the agent on the call.
    await check(north.callStartId, { name: true, dob: true }, 'north.a2').expect(404);
    const [rows] = await asSystem(() =>
      db.query(
        `SELECT count(*)::int AS n FROM call_start WHERE id = ANY($1) AND identity_verified IS NOT NULL`,
        [[south.callStartId, north.callStartId]],
      ),
    );
    expect(rows.n).toBe(0);
    const refusals = await asSystem(() =>
      db.query(`SELECT outcome FROM audit_event WHERE action = 'call.identity' AND outcome <> 'success'`),
    );
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(campaignId).toBeTruthy();
  });
});
