import { PracticesService } from '@recall/auth';
import { CampaignsService } from '@recall/campaigns';
import { FixedClock, RequestContext, Role } from '@recall/core';
import { CyclesService, QueueService } from '@recall/cycles';
import { ImportsService } from '@recall/imports';
import ExcelJS from 'exceljs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures/campaigns');

describe('cycles and the daily queue', () => {
  let api: TestApi;
  let campaigns: CampaignsService;
  let cycles: CyclesService;
  let queue: QueueService;
  let db: DataSource;
  let practiceId: string;
  const agentIds: Record<string, string> = {};
  // Monday 2026-06-15, 10:00 in Chicago (the practice and its patients).
  const clock = new FixedClock('2026-06-15T15:00:00Z');
  const system = <T>(fn: () => Promise<T>) => RequestContext.run({ requestId: 't', channel: 'system' }, fn);

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    await seed(
      api,
      ['north'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.a1', role: Role.Agent, practices: ['north'] },
        { login: 'north.a2', role: Role.Agent, practices: ['north'] },
        { login: 'north.a3', role: Role.Agent, practices: ['north'] },
      ],
    );
    campaigns = api.app.get(CampaignsService);
    cycles = api.app.get(CyclesService);
    queue = api.app.get(QueueService);
    db = api.app.get(DataSource);
    practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    for (const u of await db.query(`SELECT id, login FROM app_user`)) agentIds[u.login] = u.id;
    const imports = api.app.get(ImportsService);
    const draft = await imports.createDraft(
      practiceId,
      (['patients', 'appointments'] as const).map((kind) => ({
        kind,
        name: `${kind}.csv`,
        path: path.join(FIXTURES, `${kind}.csv`),
        owned: false,
      })),
      null,
    );
    await imports.start(practiceId, draft.id, { mapping: draft.mapping, enqueue: false }, null);
    await imports.runInline(draft.id);
  });
  afterAll(() => api.close());

  async function activeCampaign(type: string, name: string, agents: string[]) {
    return system(async () => {
      const c = await campaigns.create(practiceId, { type, name, agentLogins: agents }, null);
      await campaigns.savePlan(practiceId, c.id, {});
      return campaigns.transition(practiceId, c.id, 'launch');
    });
  }

  const assignmentsOf = async (cycleId: string) =>
    (await cycles.assignments(practiceId, cycleId)).filter((a) => a.state !== 'removed');

  it('builds a seeded, balanced cycle over the working days; rebuilding before it starts replaces it', async () => {
    const c = await activeCampaign('no_encounters', 'Never seen', ['north.a1', 'north.a2']);
    expect(c.members.open).toBe(4);
    await expect(system(() => cycles.build(practiceId, c.id, { start: '2026-06-01' }))).rejects.toThrow(
      'in the past',
    );
    const first = await system(() => cycles.build(practiceId, c.id, { start: '2026-06-16', seed: 7 }));
    expect(first).toMatchObject({ seq: 1, start: '2026-06-16', end: '2026-06-29', seed: 7, backlog: 0 });
    expect(first.days).toHaveLength(10);
    expect(first.days).not.toContain('2026-06-20'); // a Saturday
    expect(first.agents.map((a) => a.assigned).sort()).toEqual([2, 2]);
    const signature = async (id: string) =>
      (await assignmentsOf(id)).map((a) => `${a.memberId}:${a.agent}:${a.dueOn}`).sort();
    const firstSignature = await signature(first.cycleId);
    const again = await system(() => cycles.build(practiceId, c.id, { start: '2026-06-16', seed: 7 }));
    expect(again.seq).toBe(1);
    // Same seed, same inputs: the same cycle, and it replaced the first rather than joining it.
    expect(await signature(again.cycleId)).toEqual(firstSignature);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM call_cycle WHERE campaign_id = $1`, [
      c.id,
    ]);
    expect(n).toBe(1);
    await system(() => campaigns.transition(practiceId, c.id, 'complete'));
  });

  it('gives every carried-over patient a different agent in the next cycle', async () => {
    const c = await activeCampaign('reactivation', 'Reactivation', ['north.a1', 'north.a2', 'north.a3']);
    const first = await system(() => cycles.build(practiceId, c.id, { seed: 1 }));
    expect(first.start).toBe('2026-06-15');
    const before = new Map((await assignmentsOf(first.cycleId)).map((a) => [a.memberId, a.agent]));
    expect(before.size).toBe(c.members.open);
    clock.set('2026-06-29T15:00:00Z');
    const second = await system(() => cycles.build(practiceId, c.id, { seed: 2 }));
    expect(second.seq).toBe(2);
    const after = await assignmentsOf(second.cycleId);
    // R4 (last seen exactly 36 months before the first cycle) has aged out of the target.
    expect(after.length).toBe(before.size - 1);
    for (const a of after) {
      expect(before.has(a.memberId)).toBe(true);
      expect(a.agent).not.toBe(before.get(a.memberId));
    }
    expect(after.every((a) => a.reason === 'carried')).toBe(true);
    const [{ status }] = await db.query(`SELECT status FROM call_cycle WHERE id = $1`, [first.cycleId]);
    expect(status).toBe('closed');
    clock.set('2026-06-15T15:00:00Z');
    await system(() => campaigns.transition(practiceId, c.id, 'complete'));
  });

  it("an agent's queue shows only who may be called now, and the server refuses calls outside the window", async () => {
    const c = await activeCampaign('reactivation', 'Queue test', ['north.a1']);
    const cycle = await system(() => cycles.build(practiceId, c.id, { seed: 3 }));
    const mine = await assignmentsOf(cycle.cycleId);
    // Everything is due today or later; look at the last day of the cycle so all are due.
    const day = cycle.end;
    clock.set(`${day}T12:30:00Z`); // 7:30 in Chicago: before the campaign's 9:00 calling hours
    const early = await queue.queue(practiceId, agentIds['north.a1'], day);
    expect(early.items).toHaveLength(mine.length);
    expect(early.items.every((i) => i.section === 'later' && !i.window.open)).toBe(true);
    expect(early.items[0].opensAtLocal?.practice).toContain('9:00 AM');
    const item = early.items[0];
    await expect(queue.startCall(practiceId, item.assignmentId, agentIds['north.a1'])).rejects.toThrow(
      /outside the calling window.*opens/,
    );
    clock.set(`${day}T15:00:00Z`);
    const open = await queue.queue(practiceId, agentIds['north.a1'], day);
    expect(open.items.every((i) => i.section === 'open')).toBe(true);
    const started = await queue.startCall(practiceId, item.assignmentId, agentIds['north.a1']);
    expect(started.tel).toMatch(/^tel:\+1312555\d{4}/);
    // Another agent cannot start this patient's call.
    await expect(queue.startCall(practiceId, item.assignmentId, agentIds['north.a2'])).rejects.toThrow(
      'not found',
    );

    // A patient who calls in and books leaves the queue at once.
    const [patient] = await db.query(`SELECT patient_id FROM campaign_member WHERE id = $1`, [item.memberId]);
    await system(() => campaigns.markBooked(practiceId, patient.patient_id));
    const after = await queue.queue(practiceId, agentIds['north.a1'], day);
    expect(after.items.map((i) => i.memberId)).not.toContain(item.memberId);
    expect(after.items).toHaveLength(mine.length - 1);

    // Over HTTP an agent gets their own queue.
    const token = await tokenFor(api, 'north.a1');
    const res = await api
      .http()
      .get(`/api/practices/${practiceId}/queue?date=${day}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(res.body.items).toHaveLength(mine.length - 1);
    const refused = await api
      .http()
      .post(`/api/practices/${practiceId}/queue/${after.items[0].assignmentId}/start`)
      .set('Authorization', `Bearer ${token}`)
      .send({ phone: '+15550000000' })
      .expect(400);
    expect(refused.body.message).toContain('not a valid number');
    clock.set('2026-06-15T15:00:00Z');
    await system(() => campaigns.transition(practiceId, c.id, 'complete'));
  });

  it('a callback is its agent’s when due, and falls to whoever holds the patient once it is 4 hours late', async () => {
    const c = await activeCampaign('reactivation', 'Callback test', ['north.a1', 'north.a2']);
    const cycle = await system(() => cycles.build(practiceId, c.id, { seed: 6 }));
    const day = cycle.end;
    clock.set(`${day}T15:00:00Z`); // 10:00 in Chicago, inside the calling hours
    const held = (await assignmentsOf(cycle.cycleId)).find((a) => a.agent === 'north.a2')!;
    const promise = (agent: string, hoursAgo: number) =>
      db.query(`UPDATE campaign_member SET callback_at = $2, callback_agent_id = $3 WHERE id = $1`, [
        held.memberId,
        new Date(Date.parse(`${day}T15:00:00Z`) - hoursAgo * 3_600_000),
        agentIds[agent],
      ]);
    const sectionFor = async (agent: string) =>
      (await queue.queue(practiceId, agentIds[agent], day)).items.find((i) => i.memberId === held.memberId)
        ?.section;

    await promise('north.a2', 1);
    expect(await sectionFor('north.a2')).toBe('callback');
    // Promised by a1, held by a2: a2 sees an ordinary item until the callback is 4 hours late.
    await promise('north.a1', 1);
    expect(await sectionFor('north.a2')).toBe('open');
    expect(await sectionFor('north.a1')).toBeUndefined();
    await promise('north.a1', 4);
    expect(await sectionFor('north.a2')).toBe('callback');
    // The campaign's own fallback setting wins.
    await db.query(
      `UPDATE campaign SET settings = settings || '{"callbackFallbackHours": 8}' WHERE id = $1`,
      [c.id],
    );
    expect(await sectionFor('north.a2')).toBe('open');
    clock.set('2026-06-15T15:00:00Z');
    await system(() => campaigns.transition(practiceId, c.id, 'complete'));
  });

  it("an absence moves the agent's items on those days to the others", async () => {
    const c = await activeCampaign('reactivation', 'Absence test', ['north.a1', 'north.a2']);
    const cycle = await system(() => cycles.build(practiceId, c.id, { seed: 4 }));
    const a1Items = (await assignmentsOf(cycle.cycleId)).filter((a) => a.agent === 'north.a1');
    expect(a1Items.length).toBeGreaterThan(0);
    const result = await system(() =>
      cycles.markAbsent(practiceId, { userId: agentIds['north.a1'], from: cycle.start, to: cycle.end }, null),
    );
    expect(result.moved).toBe(a1Items.length);
    const after = await assignmentsOf(cycle.cycleId);
    expect(after.filter((a) => a.agent === 'north.a1')).toEqual([]);
    expect(after.filter((a) => a.movedFromAgent === 'north.a1')).toHaveLength(a1Items.length);
    expect((await cycles.get(practiceId, cycle.cycleId)).moved).toBe(a1Items.length);
    await system(() => campaigns.transition(practiceId, c.id, 'complete'));
  });

  it("exports an agent's cycle as XLSX (disposition drop-down) and CSV, over HTTP", async () => {
    const c = await activeCampaign('reactivation', 'Export test', ['north.a3']);
    const cycle = await system(() => cycles.build(practiceId, c.id, { seed: 5 }));
    const token = await tokenFor(api, 'north.manager');
    const url = `/api/practices/${practiceId}/cycles/${cycle.cycleId}/export?agentId=${agentIds['north.a3']}`;
    const xlsx = await api
      .http()
      .get(`${url}&format=xlsx`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('Assigned Date');
    expect(sheet.getRow(1).getCell(3).value).toBe('MRN');
    expect(sheet.rowCount - 1).toBe(cycle.agents[0].assigned);
    const mrns = new Set<string>();
    for (let r = 2; r <= sheet.rowCount; r++) mrns.add(String(sheet.getRow(r).getCell(3).value));
    const assigned = (await assignmentsOf(cycle.cycleId)).map((a) => a.mrn).sort();
    expect([...mrns].sort()).toEqual(assigned);
    const csv = await api.http().get(`${url}&format=csv`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(csv.text.split('\r\n')[0]).toContain('Assigned Date,Due Date,MRN,Patient,DOB');
    await api.http().get(`${url}&format=pdf`).set('Authorization', `Bearer ${token}`).expect(400);
    await system(() => campaigns.transition(practiceId, c.id, 'complete'));
  });

  it('rolls over on schedule: an active campaign without a current cycle gets one', async () => {
    const c = await activeCampaign('reactivation', 'Rollover', ['north.a2']);
    const first = await cycles.rollover();
    expect(first.built).toBeGreaterThanOrEqual(1);
    expect(await cycles.list(practiceId, c.id)).toHaveLength(1);
    expect((await cycles.rollover()).built).toBe(0);
    await system(() => campaigns.transition(practiceId, c.id, 'complete'));
  });
});
