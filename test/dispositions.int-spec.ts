import { PracticesService } from '@recall/auth';
import { FixedClock, Role } from '@recall/core';
import { QueueService } from '@recall/cycles';
import { DispositionsService, DoNotCallService, EscalationsService } from '@recall/dispositions';
import { PatientsService } from '@recall/patients';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { asSystem, importFiles, launchCampaign } from './support/scenario';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures/dispositions');

describe('dispositions: the attempt log, the cap, numbers, do-not-call, escalations', () => {
  let api: TestApi;
  let db: DataSource;
  let dispositions: DispositionsService;
  let practiceId: string;
  let campaignId: string;
  const users: Record<string, string> = {};
  let managerToken: string;
  // Monday 2026-06-15, 10:00 in Chicago (the practice and its patients).
  const clock = new FixedClock('2026-06-15T15:00:00Z');
  const system = asSystem;
  let keySeq = 0;
  const key = () => `test-key-${++keySeq}-${Date.now()}`;
  const manager = () => ({ id: users['north.manager'], role: Role.Manager });

  const importPatients = () =>
    importFiles(api, practiceId, [{ kind: 'patients', path: path.join(FIXTURES, 'patients.csv') }]);

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    await seed(
      api,
      ['north'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.admin', role: Role.Admin, practices: ['north'] },
        { login: 'north.a1', role: Role.Agent, practices: ['north'] },
        { login: 'north.a2', role: Role.Agent, practices: ['north'] },
      ],
    );
    db = api.app.get(DataSource);
    dispositions = api.app.get(DispositionsService);
    practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    for (const u of await db.query(`SELECT id, login FROM app_user`)) users[u.login] = u.id;
    await importPatients();
    const c = await launchCampaign(api, practiceId, {
      type: 'reactivation',
      name: 'Reactivation',
      agents: ['north.a1', 'north.a2'],
      seed: 5,
    });
    campaignId = c.campaignId;
    expect(c.open).toBe(12);
    managerToken = await tokenFor(api, 'north.manager');
  });
  afterAll(() => api.close());

  const member = (mrn: string) => dispositions.resolveMember(practiceId, { campaignId, mrn });
  const memberRow = async (mrn: string) =>
    (
      await db.query(
        `SELECT m.*, to_char(m.not_before, 'YYYY-MM-DD') AS not_before FROM campaign_member m
         JOIN patient p ON p.id = m.patient_id WHERE m.campaign_id = $1 AND p.mrn = $2`,
        [campaignId, mrn],
      )
    )[0];
  const record = async (mrn: string, code: string, extra: Record<string, unknown> = {}) =>
    system(async () =>
      dispositions.record(
        practiceId,
        {
          memberId: await member(mrn),
          agentId: users['north.a1'],
          code,
          idempotencyKey: key(),
          source: 'api',
          ...extra,
        },
        manager(),
      ),
    );
  const holder = async (mrn: string) =>
    (
      await db.query(
        `SELECT u.login FROM cycle_assignment a JOIN campaign_member m ON m.id = a.member_id
         JOIN patient p ON p.id = m.patient_id JOIN app_user u ON u.id = a.agent_id
         WHERE m.campaign_id = $1 AND p.mrn = $2 AND a.state <> 'removed'`,
        [campaignId, mrn],
      )
    )[0].login as string;

  it('records an immutable attempt, sets the retry day, and a repeated key replays instead of recording', async () => {
    const memberId = await member('K1');
    const idempotencyKey = key();
    const input = {
      memberId,
      agentId: users['north.a1'],
      code: 'NOANS',
      idempotencyKey,
      source: 'api' as const,
    };
    const first = await system(() => dispositions.record(practiceId, input, manager()));
    expect(first).toMatchObject({ code: 'NOANS', attemptNumber: 1, replayed: false });
    // NOANS returns after 7 days: Monday the 22nd.
    expect(first.member).toMatchObject({ state: 'open', attempts: 1, notBefore: '2026-06-22' });
    const again = await system(() => dispositions.record(practiceId, input, manager()));
    expect(again).toEqual({ ...first, replayed: true });
    await expect(
      system(() => dispositions.record(practiceId, { ...input, code: 'LVM' }, manager())),
    ).rejects.toThrow(/already used for a different disposition/);
    const rows = await db.query(`SELECT * FROM call_attempt WHERE member_id = $1`, [memberId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      code: 'NOANS',
      attempt_number: 1,
      patient_local_hour: 10,
      phone: '+13125550201',
    });
    await expect(
      db.query(`UPDATE call_attempt SET code = 'DONE' WHERE id = $1`, [rows[0].id]),
    ).rejects.toThrow(/immutable/);
    // Out of today's queue: the retry is next week.
    const queue = await api.app.get(QueueService).queue(practiceId, users[await holder('K1')]);
    expect(queue.items.some((i) => i.memberId === memberId)).toBe(false);
    const history = await dispositions.attempts(practiceId, { memberId });
    expect(history[0]).toMatchObject({ code: 'NOANS', agentLogin: 'north.a1', attemptNumber: 1 });
  });

  it('exhausts the patient at the fifth attempt, and the database refuses a sixth', async () => {
    for (const code of ['NOANS', 'LVM', 'NOANS', 'UNAVLBL']) await record('K4', code);
    const fifth = await record('K4', 'LVM');
    expect(fifth).toMatchObject({ attemptNumber: 5, member: { state: 'exhausted', attempts: 5 } });
    await expect(record('K4', 'NOANS')).rejects.toThrow(/no longer open.*exhausted/);
    const row = await memberRow('K4');
    expect(row.closed_at).not.toBeNull();
    await expect(db.query(`UPDATE campaign_member SET attempts = 6 WHERE id = $1`, [row.id])).rejects.toThrow(
      /campaign_member_attempts_within_cap/,
    );
    const [{ state }] = await db.query(`SELECT state FROM cycle_assignment WHERE member_id = $1`, [row.id]);
    expect(state).toBe('done');
  });

  it('holds the cap under 50 parallel requests, and a key replayed 20 times at once records once', async () => {
    const memberId = await member('K6');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api
          .http()
          .post(`/api/practices/${practiceId}/dispositions`)
          .set('Authorization', `Bearer ${managerToken}`)
          .set('Idempotency-Key', `parallel-${i}`)
          .send({ memberId, agentId: users['north.a1'], code: 'NOANS' }),
      ),
    );
    const ok = responses.filter((r) => r.status === 201);
    expect(responses.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(ok.length).toBeLessThanOrEqual(5);
    const [{ n, max }] = await db.query(
      `SELECT count(*)::int AS n, max(attempt_number) AS max FROM call_attempt WHERE member_id = $1`,
      [memberId],
    );
    expect(n).toBe(ok.length);
    expect(max).toBe(ok.length);
    expect((await memberRow('K6')).attempts).toBe(ok.length);
    const conflict = responses.find((r) => r.status === 409);
    expect(conflict?.body.message).toMatch(/being saved right now|no longer open/);

    const other = await member('K7');
    const replays = await Promise.all(
      Array.from({ length: 20 }, () =>
        api
          .http()
          .post(`/api/practices/${practiceId}/dispositions`)
          .set('Authorization', `Bearer ${managerToken}`)
          .set('Idempotency-Key', 'one-key-twenty-times')
          .send({ memberId: other, agentId: users['north.a1'], code: 'LVM' }),
      ),
    );
    expect(replays.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(replays.map((r) => r.body.attemptId)).size).toBe(1);
    expect(replays.filter((r) => !r.body.replayed)).toHaveLength(1);
    const [{ n: once }] = await db.query(`SELECT count(*)::int AS n FROM call_attempt WHERE member_id = $1`, [
      other,
    ]);
    expect(once).toBe(1);
  });

  it('a callback asked for on the fifth attempt is on record, but the exhausted patient keeps no callback', async () => {
    // K7 has the one attempt of the replay test above; bring it to four.
    while ((await memberRow('K7')).attempts < 4) await record('K7', 'NOANS');
    const fifth = await record('K7', 'CBACK', { callbackAt: '2026-06-16T14:00' });
    expect(fifth.member).toMatchObject({ state: 'exhausted', callbackAt: null });
    const [attempt] = await db.query(`SELECT callback_at FROM call_attempt WHERE id = $1`, [fifth.attemptId]);
    expect(new Date(attempt.callback_at).toISOString()).toBe('2026-06-16T19:00:00.000Z');
    const row = await memberRow('K7');
    expect(row.callback_at).toBeNull();
    expect(row.callback_agent_id).toBeNull();
  });

  it('WNUM marks the number bad for the practice, moves to the next number, and survives a re-import', async () => {
    const result = await record('K2', 'WNUM', { phone: '+13125550399' });
    expect(result).toMatchObject({ markedBad: '+13125550399', nextNumber: '+13125550202' });
    expect(result.member.state).toBe('open');
    const phones = async (mrn: string) =>
      (await db.query(`SELECT phones FROM patient WHERE mrn = $1`, [mrn]))[0].phones as {
        e164: string;
        valid: boolean;
        bad?: string;
      }[];
    expect((await phones('K2')).find((p) => p.e164 === '+13125550399')).toMatchObject({
      valid: false,
      bad: 'WNUM',
    });
    // The household member with the same home number is marked by the queued job.
    for (let i = 0; i < 50; i++) {
      if ((await phones('K3')).some((p) => p.bad)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await phones('K3')).find((p) => p.e164 === '+13125550399')).toMatchObject({
      valid: false,
      bad: 'WNUM',
    });
    await importPatients();
    expect((await phones('K2')).find((p) => p.e164 === '+13125550399')).toMatchObject({
      valid: false,
      bad: 'WNUM',
    });
    // A number not on the patient is refused, and DCONN on the last valid number leaves the patient unreachable.
    await expect(record('K2', 'DCONN', { phone: '+13125550999' })).rejects.toThrow(
      /not one of the patient's numbers/,
    );
    const last = await record('K2', 'DCONN', { phone: '+13125550202' });
    expect(last).toMatchObject({ nextNumber: null, member: { state: 'unreachable' } });
  });

  it('DNC closes the patient everywhere for good; only an admin lifts it, with a reason', async () => {
    const result = await record('K5', 'DNC', { remarks: 'please stop calling me' });
    expect(result.member.state).toBe('dnc');
    const [p] = await db.query(`SELECT id, do_not_call_at FROM patient WHERE mrn = 'K5'`);
    expect(p.do_not_call_at).not.toBeNull();
    await importPatients();
    const [after] = await db.query(`SELECT do_not_call_at FROM patient WHERE mrn = 'K5'`);
    expect(after.do_not_call_at).not.toBeNull();
    const list = await api.app.get(DoNotCallService).list(practiceId);
    expect(list.map((e) => e.mrn)).toContain('K5');
    const agentToken = await tokenFor(api, 'north.a1');
    await api
      .http()
      .post(`/api/practices/${practiceId}/do-not-call/${p.id}/lift`)
      .set('Authorization', `Bearer ${agentToken}`)
      .send({ reason: 'patient asked to be called again' })
      .expect(403);
    const adminToken = await tokenFor(api, 'north.admin');
    const noReason = await api
      .http()
      .post(`/api/practices/${practiceId}/do-not-call/${p.id}/lift`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ reason: '' })
      .expect(400);
    expect(noReason.body.message).toMatch(/reason/);
    await api
      .http()
      .post(`/api/practices/${practiceId}/do-not-call/${p.id}/lift`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ reason: 'patient wrote in asking to be called again' })
      .expect(204);
    const [lifted] = await db.query(`SELECT do_not_call_at FROM patient WHERE mrn = 'K5'`);
    expect(lifted.do_not_call_at).toBeNull();
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'dnc.lift' AND outcome = 'success'`,
    );
    expect(n).toBe(1);
    // The campaign membership stays closed: lifting does not put the patient back in a queue.
    expect((await memberRow('K5')).state).toBe('dnc');
  });

  it('DONE needs a future appointment, books the patient and closes the assignment', async () => {
    await expect(record('K8', 'DONE')).rejects.toThrow(/appointment.*required/);
    await expect(record('K8', 'DONE', { appointmentAt: '2026-06-14T09:00' })).rejects.toThrow(
      /in the future/,
    );
    const done = await record('K8', 'DONE', { appointmentAt: '2026-06-22T09:30' });
    expect(done.member.state).toBe('converted');
    const [attempt] = await db.query(`SELECT appointment_at FROM call_attempt WHERE id = $1`, [
      done.attemptId,
    ]);
    // 9:30 practice time in Chicago (CDT) is 14:30 UTC.
    expect(attempt.appointment_at.toISOString()).toBe('2026-06-22T14:30:00.000Z');
    const [p] = await db.query(`SELECT booked_at FROM patient WHERE mrn = 'K8'`);
    expect(p.booked_at).not.toBeNull();
  });

  it('CBACK must fall inside the calling window; the promising agent gets it at that time', async () => {
    await expect(record('KB', 'CBACK', { callbackAt: '2026-06-15T22:30' })).rejects.toThrow(
      /outside the calling window/,
    );
    const cb = await record('KB', 'CBACK', { callbackAt: '2026-06-16T14:00' });
    expect(cb.member).toMatchObject({
      state: 'open',
      callbackAt: '2026-06-16T19:00:00.000Z',
      notBefore: '2026-06-16',
    });
    expect(await holder('KB')).toBe('north.a1');
    clock.set('2026-06-16T19:05:00Z');
    try {
      const queue = await api.app.get(QueueService).queue(practiceId, users['north.a1']);
      const item = queue.items.find((i) => i.memberId === cb.member.id);
      expect(item?.section).toBe('callback');
      expect(queue.items[0].memberId).toBe(cb.member.id);
    } finally {
      clock.set('2026-06-15T15:00:00Z');
    }
  });

  it('refuses a back-office entry for a call outside the calling window, and agents outside their queue', async () => {
    await expect(record('KC', 'NOANS', { at: '2026-06-15T04:00:00Z' })).rejects.toThrow(
      /outside the calling window/,
    );
    const memberId = await member('KC');
    const owner = await holder('KC');
    const other = owner === 'north.a1' ? 'north.a2' : 'north.a1';
    await expect(
      system(() =>
        dispositions.record(
          practiceId,
          { memberId, agentId: users[other], code: 'NOANS', idempotencyKey: key(), source: 'workspace' },
          { id: users[other], role: Role.Agent },
        ),
      ),
    ).rejects.toThrow(/not in your queue/);
    const ok = await system(() =>
      dispositions.record(
        practiceId,
        { memberId, agentId: users[owner], code: 'HUNGUP', idempotencyKey: key(), source: 'workspace' },
        { id: users[owner], role: Role.Agent },
      ),
    );
    expect(ok.member.notBefore).toBe('2026-06-29'); // HUNGUP: two weeks
  });

  it('remarks with red flags and a patient reached three times open escalations in the inbox', async () => {
    const flagged = await record('K1', 'HUNGUP', {
      remarks: 'Said he will call his lawyer and post it on Facebook',
    });
    expect(flagged.escalations.map((e) => e.category).sort()).toEqual(['legal', 'social']);
    await record('K1', 'CBACK', { callbackAt: '2026-06-17T10:00' });
    const third = await record('K1', 'HUNGUP');
    expect(third.escalations.map((e) => e.category)).toEqual(['repeated_contact']);
    const escalations = api.app.get(EscalationsService);
    const inbox = await system(() => escalations.list(practiceId));
    const mine = inbox.filter((e) => e.mrn === 'K1');
    expect(mine.map((e) => e.category).sort()).toEqual(['legal', 'repeated_contact', 'social']);
    expect(mine.find((e) => e.category === 'legal')?.excerpt).toMatch(/lawyer/);
    const resolved = await system(() =>
      escalations.resolve(practiceId, mine[0].id, 'Called back, apologised', users['north.manager']),
    );
    expect(resolved.status).toBe('resolved');
    await expect(
      system(() => escalations.resolve(practiceId, mine[0].id, 'again', users['north.manager'])),
    ).rejects.toThrow(/already resolved/);
  });

  it('a correction supersedes the latest attempt and re-applies the rules from before it', async () => {
    const wrong = await record('K3', 'NOANS');
    const fixed = await system(() =>
      dispositions.correct(
        practiceId,
        wrong.attemptId,
        {
          agentId: users['north.a1'],
          code: 'DONE',
          appointmentAt: '2026-06-25T11:00',
          idempotencyKey: key(),
          source: 'api',
        },
        manager(),
      ),
    );
    expect(fixed).toMatchObject({
      code: 'DONE',
      attemptNumber: wrong.attemptNumber,
      member: { state: 'converted' },
    });
    const history = await dispositions.attempts(practiceId, { memberId: wrong.member.id });
    expect(history.find((a) => a.id === wrong.attemptId)?.supersededBy).toBe(fixed.attemptId);
    await expect(
      system(() =>
        dispositions.correct(
          practiceId,
          wrong.attemptId,
          { agentId: users['north.a1'], code: 'LVM', idempotencyKey: key(), source: 'api' },
          manager(),
        ),
      ),
    ).rejects.toThrow(/already corrected/);
  });

  it('DUPLICATE links the record to the surviving patient and is not an attempt', async () => {
    const [survivor] = await db.query(`SELECT id FROM patient WHERE mrn = 'K9'`);
    const dup = await record('KA', 'DUPLICATE', { survivorId: survivor.id });
    expect(dup).toMatchObject({ attemptNumber: null, member: { state: 'released', attempts: 0 } });
    const [loser] = await db.query(`SELECT merged_into_id FROM patient WHERE mrn = 'KA'`);
    expect(loser.merged_into_id).toBe(survivor.id);
    const shown = await api.app.get(PatientsService).findByMrn(practiceId, 'KA');
    expect(shown).toBeDefined();
  });

  it('a manager adding a patient to the do-not-call list closes them and drops their pending calls', async () => {
    const [target] = await db.query(
      `SELECT m.id AS member_id, m.patient_id FROM campaign_member m
       JOIN cycle_assignment a ON a.member_id = m.id AND a.state = 'pending'
       WHERE m.campaign_id = $1 AND m.state = 'open' ORDER BY m.id LIMIT 1`,
      [campaignId],
    );
    expect(target).toBeDefined();
    await api
      .http()
      .post(`/api/practices/${practiceId}/do-not-call`)
      .set('Authorization', `Bearer ${managerToken}`)
      .send({ patientId: target.patient_id, reason: 'asked by letter' })
      .expect(204);
    const [m] = await db.query(`SELECT state FROM campaign_member WHERE id = $1`, [target.member_id]);
    expect(m.state).toBe('dnc');
    const states = await db.query(`SELECT state FROM cycle_assignment WHERE member_id = $1`, [
      target.member_id,
    ]);
    expect(states.map((r: { state: string }) => r.state)).not.toContain('pending');
  });
});
