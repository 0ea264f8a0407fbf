import { PracticesService } from '@recall/auth';
import { FixedClock, Role } from '@recall/core';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { asSystem, importFiles, launchCampaign } from './support/scenario';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const PATIENTS = path.join(__dirname, 'fixtures/dispositions/patients.csv');
const WEEKDAYS_9_TO_5 = { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' };

/**
 * Warm transfers and de-escalation (issue 10, protocols 000 and 001): the transfer directory,
 * the groups a call may go to, warm then blind transfers, the callback ticket when a queue is
 * unavailable, practice walls, and each practice's de-escalation guide.
 */
describe('transfers and de-escalation', () => {
  let api: TestApi;
  let db: DataSource;
  // Monday 2026-06-15, 10:00 in Chicago: the calling window and weekday groups are open.
  const clock = new FixedClock('2026-06-15T15:00:00Z');
  const practice: Record<'north' | 'south', string> = { north: '', south: '' };
  const token: Record<string, string> = {};
  const group: Record<string, string> = {};
  let seq = 0;

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000', MFA_REQUIRED_ROLES: 'none' } });
    db = api.app.get(DataSource);
    await seed(
      api,
      ['north', 'south'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.admin', role: Role.Admin, practices: ['north'] },
        { login: 'north.a1', role: Role.Agent, practices: ['north'] },
        { login: 'north.a2', role: Role.Agent, practices: ['north'] },
        { login: 'south.manager', role: Role.Manager, practices: ['south'] },
        { login: 'south.agent', role: Role.Agent, practices: ['south'] },
      ],
    );
    const practices = api.app.get(PracticesService);
    practice.north = (await practices.findBySlug('north')).id;
    practice.south = (await practices.findBySlug('south')).id;
    for (const p of ['north', 'south'] as const) {
      await importFiles(api, practice[p], [{ kind: 'patients', path: PATIENTS }]);
      await launchCampaign(api, practice[p], {
        type: 'reactivation',
        name: `${p} recall`,
        agents: [p === 'north' ? 'north.a1' : 'south.agent'],
        seed: 7,
      });
    }
    // Every patient due today, so each is in the agent's queue now.
    await asSystem(() => db.query(`UPDATE cycle_assignment SET due_on = '2026-06-15'`));
    for (const login of [
      'north.manager',
      'north.admin',
      'north.a1',
      'north.a2',
      'south.manager',
      'south.agent',
    ])
      token[login] = await tokenFor(api, login);
  });
  afterAll(() => api.close());

  const base = (p: 'north' | 'south' = 'north') => `/api/practices/${practice[p]}`;
  const as = (login: string) => ({ Authorization: `Bearer ${token[login]}` });
  const get = (url: string, login: string) => api.http().get(url).set(as(login));
  const post = (url: string, login: string, body: object) => api.http().post(url).set(as(login)).send(body);
  const startCall = async (mrn: string, login = 'north.a1', p: 'north' | 'south' = 'north') => {
    const [m] = await asSystem(() =>
      db.query(
        `SELECT m.id, a.id AS assignment_id FROM campaign_member m JOIN patient p ON p.id = m.patient_id
         JOIN cycle_assignment a ON a.member_id = m.id WHERE p.mrn = $1 AND m.practice_id = $2`,
        [mrn, practice[p]],
      ),
    );
    const res = await post(`${base(p)}/queue/${m.assignment_id}/start`, login, {}).expect(200);
    return { memberId: m.id as string, callStartId: res.body.callStartId as string };
  };
  const transfer = (callStartId: string, body: object, login = 'north.a1', p: 'north' | 'south' = 'north') =>
    post(`${base(p)}/calls/${callStartId}/transfers`, login, body);
  const createGroup = async (body: object, p: 'north' | 'south' = 'north') => {
    const res = await post(`${base(p)}/transfer-groups`, `${p}.manager`, body).expect(201);
    return res.body as { id: string; name: string };
  };

  describe('the transfer directory', () => {
    it('managers create groups; every calling role of the practice reads them', async () => {
      const billing = await createGroup({
        name: 'Billing escalations',
        whenToTransfer: 'Asks for a supervisor about a payment or a missing statement',
        phone: '+1 312 555 0100',
        extension: '2201',
        hours: WEEKDAYS_9_TO_5,
        allowedRoles: ['agent', 'manager', 'admin'],
        situations: ['supervisor_payment', 'financial'],
      });
      group.billing = billing.id;
      group.resolutions = (
        await createGroup({ name: 'Resolutions', phone: '+13125550110', situations: ['supervisor_other'] })
      ).id;
      // "Don't transfer here as a level 1!"
      group.sales = (
        await createGroup({ name: 'Sales', phone: '+13125550120', allowedRoles: ['manager', 'admin'] })
      ).id;
      // Saturdays only: closed on Monday morning.
      group.clinical = (
        await createGroup({
          name: 'Clinical triage',
          extension: '3300',
          hours: { days: [6], open: '09:00', close: '12:00' },
        })
      ).id;

      const list = await get(`${base()}/transfer-groups`, 'north.a1').expect(200);
      expect(list.body.items.map((g: { name: string }) => g.name)).toEqual([
        'Billing escalations',
        'Clinical triage',
        'Resolutions',
        'Sales',
      ]);
      expect(list.body.items[0]).toMatchObject({
        phone: '+1 312 555 0100',
        extension: '2201',
        hours: WEEKDAYS_9_TO_5,
        allowedRoles: ['agent', 'manager', 'admin'],
        situations: ['financial', 'supervisor_payment'],
        active: true,
      });
      // The other practice's directory is its own.
      expect((await get(`${base('south')}/transfer-groups`, 'south.agent').expect(200)).body.items).toEqual(
        [],
      );
    });

    it('refuses bad entries with 400 naming the field, a repeated name with 409, agents with 403', async () => {
      const url = `${base()}/transfer-groups`;
      const refused = async (body: object, status: number, field: string) => {
        const res = await post(url, 'north.manager', body);
        expect(res.status).toBe(status);
        expect(res.text).toMatch(new RegExp(`\\b${field}\\b`));
      };
      await refused({ phone: '+13125550100' }, 400, 'name');
      await refused({ name: '  ', phone: '+13125550100' }, 400, 'name');
      await refused({ name: 'No number' }, 400, 'phone');
      await refused({ name: 'Letters', phone: 'call Bob' }, 400, 'phone');
      await refused(
        { name: 'Bad hours', phone: '12', hours: { days: [8], open: '09:00', close: '17:00' } },
        400,
        'hours',
      );
      await refused(
        { name: 'Late', phone: '12', hours: { days: [1], open: '17:00', close: '09:00' } },
        400,
        'hours',
      );
      await refused({ name: 'Owners', phone: '12', allowedRoles: ['owner'] }, 400, 'allowedRoles');
      await refused({ name: 'Nobody', phone: '12', allowedRoles: [] }, 400, 'allowedRoles');
      await refused({ name: 'Weather', phone: '12', situations: ['weather'] }, 400, 'situations');
      await refused({ name: 'Resolutions', phone: '12' }, 409, 'name');
      const agent = await post(url, 'north.a1', { name: 'Mine', phone: '12' });
      expect(agent.status).toBe(403);
    });

    it('updates an entry (the fields sent), archives it out of the agents’ list, restores it', async () => {
      const temp = await createGroup({ name: 'Temporary', phone: '+13125550130' });
      const patched = await api
        .http()
        .patch(`${base()}/transfer-groups/${temp.id}`)
        .set(as('north.manager'))
        .send({ whenToTransfer: 'Overflow', extension: '44' })
        .expect(200);
      expect(patched.body).toMatchObject({
        name: 'Temporary',
        phone: '+13125550130',
        whenToTransfer: 'Overflow',
        extension: '44',
      });
      const bad = await api
        .http()
        .patch(`${base()}/transfer-groups/${temp.id}`)
        .set(as('north.manager'))
        .send({ phone: '', extension: null });
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('phone');

      await post(`${base()}/transfer-groups/${temp.id}/deactivate`, 'north.manager', {}).expect(200);
      const names = async (login: string, q = '') =>
        (await get(`${base()}/transfer-groups${q}`, login).expect(200)).body.items.map(
          (g: { name: string }) => g.name,
        );
      expect(await names('north.a1')).not.toContain('Temporary');
      expect(await names('north.a1', '?includeArchived=true')).not.toContain('Temporary');
      expect(await names('north.manager', '?includeArchived=true')).toContain('Temporary');
      // Archived, its name is free again.
      await createGroup({ name: 'Temporary', phone: '+13125550131' });
      const restore = await api
        .http()
        .patch(`${base()}/transfer-groups/${temp.id}`)
        .set(as('north.manager'))
        .send({ active: true });
      expect(restore.status).toBe(409);
    });

    it("another practice's manager cannot read or change the directory", async () => {
      // A practice the user is not in is not there for them.
      expect((await get(`${base()}/transfer-groups`, 'south.manager')).status).toBe(404);
      const patch = await api
        .http()
        .patch(`${base('south')}/transfer-groups/${group.billing}`)
        .set(as('south.manager'))
        .send({ name: 'Hijacked' });
      expect(patch.status).toBe(404);
      expect(
        (await post(`${base('south')}/transfer-groups/${group.billing}/deactivate`, 'south.manager', {}))
          .status,
      ).toBe(404);
    });
  });

  describe('transfers on a call', () => {
    let call: { memberId: string; callStartId: string };

    it('lists the groups this role may use, the situation’s first, open or not, with the scripts', async () => {
      call = await startCall('K1');
      const res = await get(
        `${base()}/calls/${call.callStartId}/transfer-options?situations=financial,hot_call&topic=a missing statement`,
        'north.a1',
      ).expect(200);
      expect(res.body.waitSeconds).toBe(60);
      const options = res.body.options as {
        name: string;
        suggested: boolean;
        open: boolean;
        scripts: Record<string, string>;
      }[];
      // "Not as a level 1": Sales is not offered to an agent.
      expect(options.map((o) => [o.name, o.suggested, o.open])).toEqual([
        ['Billing escalations', true, true],
        ['Clinical triage', false, false],
        ['Resolutions', false, true],
        ['Temporary', false, true],
      ]);
      expect(options[0].scripts.toCaller).toBe(
        "Since this is a question regarding a missing statement, I will need to transfer you to a Billing escalations representative. I'll speak to them first, so you won't have to repeat that information again.",
      );
      expect(options[0].scripts.toRep).toMatch(
        /^Hi, ____\. This is .+\. I have a patient on the line calling regarding a missing statement\.$/,
      );
      expect(options[0].scripts.noAnswer).toContain(
        'Do you mind if I transfer you without speaking to them first?',
      );

      const bad = await get(
        `${base()}/calls/${call.callStartId}/transfer-options?situations=weather`,
        'north.a1',
      );
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('situations');
    });

    it('refuses a group the role may not use, and another agent’s call', async () => {
      const sales = await transfer(call.callStartId, {
        groupId: group.sales,
        kind: 'warm',
        outcome: 'connected',
      });
      expect(sales.status).toBe(403);
      expect(sales.body.message).toMatch(/Sales.*agent/);
      const other = await transfer(
        call.callStartId,
        { groupId: group.billing, kind: 'warm', outcome: 'connected' },
        'north.a2',
      );
      expect(other.status).toBe(403);
      expect((await get(`${base()}/calls/${call.callStartId}/transfer-options`, 'north.a2')).status).toBe(
        403,
      );
    });

    it('records a warm transfer nobody answered, then the blind one with permission', async () => {
      const blindFirst = await transfer(call.callStartId, {
        groupId: group.billing,
        kind: 'blind',
        outcome: 'connected',
      });
      expect(blindFirst.status).toBe(400);
      expect(blindFirst.body.field).toBe('kind');

      const warm = await transfer(call.callStartId, {
        groupId: group.billing,
        kind: 'warm',
        outcome: 'no_answer',
      }).expect(201);
      expect(warm.body).toMatchObject({
        kind: 'warm',
        outcome: 'no_answer',
        groupName: 'Billing escalations',
        ticket: null,
        attemptId: null,
      });

      const blindNoAnswer = await transfer(call.callStartId, {
        groupId: group.billing,
        kind: 'blind',
        outcome: 'no_answer',
      });
      expect(blindNoAnswer.status).toBe(400);
      expect(blindNoAnswer.body.field).toBe('outcome');
      // The unanswered warm transfer was to Billing: a blind one elsewhere still needs its own.
      const elsewhere = await transfer(call.callStartId, {
        groupId: group.resolutions,
        kind: 'blind',
        outcome: 'connected',
      });
      expect(elsewhere.status).toBe(400);

      const blind = await transfer(call.callStartId, {
        groupId: group.billing,
        kind: 'blind',
        outcome: 'connected',
      }).expect(201);
      expect(blind.body).toMatchObject({ kind: 'blind', outcome: 'connected' });

      const options = await get(`${base()}/calls/${call.callStartId}/transfer-options`, 'north.a1').expect(
        200,
      );
      expect(
        options.body.transfers.map((t: { kind: string; outcome: string }) => `${t.kind}:${t.outcome}`),
      ).toEqual(['warm:no_answer', 'blind:connected']);
    });

    it('the attempt saved for the call takes its transfers; the saved call takes no more', async () => {
      const saved = await post(`${base()}/dispositions`, 'north.a1', {
        memberId: call.memberId,
        callStartId: call.callStartId,
        code: 'LVM',
        idempotencyKey: `transfers-${++seq}`,
      }).expect(201);
      const rows = await asSystem(() =>
        db.query(
          `SELECT kind, outcome, attempt_id FROM call_transfer WHERE call_start_id = $1 ORDER BY created_at, kind DESC`,
          [call.callStartId],
        ),
      );
      expect(rows).toEqual([
        { kind: 'warm', outcome: 'no_answer', attempt_id: saved.body.attemptId },
        { kind: 'blind', outcome: 'connected', attempt_id: saved.body.attemptId },
      ]);
      const late = await transfer(call.callStartId, {
        groupId: group.billing,
        kind: 'warm',
        outcome: 'connected',
      });
      expect(late.status).toBe(409);

      const list = await get(`${base()}/transfers`, 'north.manager').expect(200);
      expect(list.body.items.slice(0, 2)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            groupName: 'Billing escalations',
            kind: 'blind',
            outcome: 'connected',
            attemptCode: 'LVM',
            mrn: 'K1',
            agentLogin: 'north.a1',
          }),
          expect.objectContaining({ kind: 'warm', outcome: 'no_answer', attemptCode: 'LVM' }),
        ]),
      );
      expect((await get(`${base()}/transfers`, 'north.a1')).status).toBe(403);
    });

    it("an unavailable queue files a callback ticket in the managers' inbox", async () => {
      const second = await startCall('K2');
      const res = await transfer(second.callStartId, {
        groupId: group.resolutions,
        kind: 'warm',
        outcome: 'unavailable',
        note: 'wants a call about her statement',
      }).expect(201);
      expect(res.body.outcome).toBe('unavailable');
      expect(res.body.ticket).toEqual({ id: res.body.escalationId, category: 'transfer_callback' });

      const inbox = await get(`${base()}/escalations`, 'north.manager').expect(200);
      const ticket = inbox.body.items.find((e: { id: string }) => e.id === res.body.escalationId);
      expect(ticket).toMatchObject({
        category: 'transfer_callback',
        status: 'open',
        mrn: 'K2',
        agentLogin: 'north.a1',
        reason:
          'Patient callback: Resolutions was unavailable for a warm transfer. wants a call about her statement',
      });
      // Not the other practice's inbox.
      const south = await get(`${base('south')}/escalations`, 'south.manager').expect(200);
      expect(south.body.items.some((e: { id: string }) => e.id === res.body.escalationId)).toBe(false);
    });

    it('a group outside its hours is unavailable whatever the agent chose, with a ticket', async () => {
      const third = await startCall('K4');
      const res = await transfer(third.callStartId, {
        groupId: group.clinical,
        kind: 'warm',
        outcome: 'connected',
      }).expect(201);
      expect(res.body.outcome).toBe('unavailable');
      expect(res.body.ticket?.category).toBe('transfer_callback');
      const [esc] = await asSystem(() =>
        db.query(`SELECT reason FROM escalation WHERE id = $1`, [res.body.escalationId]),
      );
      expect(esc.reason).toContain('(outside its hours)');
    });

    it('refuses another practice: its path with this call, this path for its user', async () => {
      const south = await transfer(
        call.callStartId,
        { groupId: group.billing, kind: 'warm', outcome: 'connected' },
        'south.agent',
        'south',
      );
      expect(south.status).toBe(404);
      expect(
        (await get(`${base('south')}/calls/${call.callStartId}/transfer-options`, 'south.agent')).status,
      ).toBe(404);
      const guard = await transfer(
        call.callStartId,
        { groupId: group.billing, kind: 'warm', outcome: 'connected' },
        'south.agent',
        'north',
      );
      expect(guard.status).toBe(404);
      // A call of its own, with a group of north's: not a group of that practice.
      const own = await startCall('K1', 'south.agent', 'south');
      const foreign = await transfer(
        own.callStartId,
        { groupId: group.billing, kind: 'warm', outcome: 'connected' },
        'south.agent',
        'south',
      );
      expect(foreign.status).toBe(400);
      expect(foreign.body.field).toBe('groupId');
    });

    it('the database holds the rules: no blind "no answer", no unavailable queue without its ticket', async () => {
      const [row] = await asSystem(() =>
        db.query(`SELECT * FROM call_transfer WHERE practice_id = $1 ORDER BY created_at LIMIT 1`, [
          practice.north,
        ]),
      );
      const insert = (kind: string, outcome: string) =>
        asSystem(() =>
          db.query(
            `INSERT INTO call_transfer (practice_id, call_start_id, member_id, group_id, agent_id, kind, outcome, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
            [row.practice_id, row.call_start_id, row.member_id, row.group_id, row.agent_id, kind, outcome],
          ),
        );
      await expect(insert('blind', 'no_answer')).rejects.toThrow(/call_transfer_blind_answer_check/);
      await expect(insert('warm', 'unavailable')).rejects.toThrow(/call_transfer_ticket_check/);
      await expect(
        asSystem(() => db.query(`DELETE FROM transfer_group WHERE id = $1`, [row.group_id])),
      ).rejects.toThrow(/call_transfer_group_fk/);
    });
  });

  describe('the de-escalation guide', () => {
    const url = (p: 'north' | 'south' = 'north') => `${base(p)}/protocol/deescalation`;

    it("is protocol 000's by default, for every calling role", async () => {
      const res = await get(url(), 'north.a1').expect(200);
      expect(res.body.customized).toBe(false);
      expect(res.body.guide.strategies.map((s: { name: string }) => s.name)).toEqual([
        'Low & slow',
        'Name it to tame it',
        'Regulate over educate',
        'Swift shift',
        'Pause with purpose',
      ]);
      expect(res.body.guide.situations.map((s: { name: string }) => s.name)).toEqual([
        'Claim denial',
        'IT issues',
        'Review delays',
        'No network',
      ]);
    });

    it('managers edit it for their practice only; agents may not; bad guides name the field', async () => {
      const mine = {
        strategies: [{ name: 'Low & slow', say: 'Lower your voice; slow down.' }],
        situations: [
          {
            name: 'Statement never arrived',
            actions: ['Resend the statement by email.', 'Offer a payment plan.'],
          },
        ],
        reminder: 'You are not alone: a manager is one ticket away.',
      };
      expect((await api.http().put(url()).set(as('north.a1')).send(mine)).status).toBe(403);
      const bad = await api
        .http()
        .put(url())
        .set(as('north.manager'))
        .send({ ...mine, situations: [{ name: 'x', actions: [' '] }] });
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('situations.0');
      const missing = await api.http().put(url()).set(as('north.manager')).send({ reminder: 'x' });
      expect(missing.status).toBe(400);
      expect(missing.body.field).toBe('strategies');

      const saved = await api.http().put(url()).set(as('north.manager')).send(mine).expect(200);
      expect(saved.body).toMatchObject({ customized: true, guide: mine });
      expect((await get(url(), 'north.a1').expect(200)).body.guide).toEqual(mine);
      // South still reads the defaults; its manager cannot write north's.
      expect((await get(url('south'), 'south.agent').expect(200)).body.customized).toBe(false);
      expect((await api.http().put(url()).set(as('south.manager')).send(mine)).status).toBe(404);

      const reset = await api.http().put(url()).set(as('north.admin')).send({ reset: true }).expect(200);
      expect(reset.body.customized).toBe(false);
      expect(reset.body.guide).toEqual(reset.body.defaults);
    });
  });
});
