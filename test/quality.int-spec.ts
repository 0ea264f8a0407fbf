import { PracticesService } from '@recall/auth';
import { FixedClock, Role } from '@recall/core';
import { QueueService } from '@recall/cycles';
import { DispositionsService, IdentityService } from '@recall/dispositions';
import { QA_CRITERIA, QualityService, sampleContacts } from '@recall/quality';
import { ReportsService } from '@recall/reports';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { asSystem, importFiles, launchCampaign } from './support/scenario';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures/dispositions');
// The cycle starts Monday 2026-06-15; every assignment is due by its last day, Friday 2026-06-26.
const LAUNCH = '2026-06-15T15:00:00Z';
const DAY = '2026-06-26';
const WEEK = '2026-06-22';
const all = (n: number) => Object.fromEntries(QA_CRITERIA.map((c) => [c.key, n]));

/**
 * QA over the real stack: calls recorded through the services on one Friday (two of them started
 * from the agent's queue, so they have a handle time), the next morning's seeded sample, the
 * supervisors' scores over HTTP, what each agent may see, and the quality report counted by hand.
 */
describe('QA sampling, reviews and the quality report', () => {
  let api: TestApi;
  let db: DataSource;
  let quality: QualityService;
  let practiceId: string;
  let southId: string;
  let campaignId: string;
  const users: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const clock = new FixedClock(LAUNCH);
  /** attempt ids by label (see the scenario below) */
  const calls: Record<string, string> = {};
  const contactsOf: Record<string, string[]> = { 'north.a1': [], 'north.a2': [] };
  let seq = 0;

  const send = (method: 'get' | 'put' | 'post', url: string, login: string) =>
    api.http()[method](url).set('Authorization', `Bearer ${tokens[login]}`);
  const qa = (p = practiceId) => `/api/practices/${p}/qa`;

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    await seed(
      api,
      ['north', 'south'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.a1', role: Role.Agent, practices: ['north'] },
        { login: 'north.a2', role: Role.Agent, practices: ['north'] },
        { login: 'south.manager', role: Role.Manager, practices: ['south'] },
        { login: 'south.a1', role: Role.Agent, practices: ['south'] },
      ],
    );
    db = api.app.get(DataSource);
    quality = api.app.get(QualityService);
    practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    southId = (await api.app.get(PracticesService).findBySlug('south')).id;
    for (const u of await db.query(`SELECT id, login FROM app_user`)) users[u.login] = u.id;
    await importFiles(api, practiceId, [{ kind: 'patients', path: path.join(FIXTURES, 'patients.csv') }]);
    ({ campaignId } = await launchCampaign(api, practiceId, {
      type: 'reactivation',
      name: 'Reactivation',
      agents: ['north.a1', 'north.a2'],
      seed: 2,
    }));

    const dispositions = api.app.get(DispositionsService);
    const manager = { id: users['north.manager'], role: Role.Manager };
    const record = async (
      label: string,
      memberId: string,
      agent: string,
      code: string,
      extra: Record<string, string> = {},
    ) => {
      const r = await asSystem(() =>
        dispositions.record(
          practiceId,
          { memberId, agentId: users[agent], code, idempotencyKey: `qa-${++seq}`, source: 'api', ...extra },
          manager,
        ),
      );
      calls[label] = r.attemptId;
      if (['DONE', 'HUNGUP', 'RECONFIRMED'].includes(code) && (extra.at ?? '').slice(0, 10) !== '2026-06-19')
        contactsOf[agent].push(r.attemptId);
    };

    // Two calls a1 starts from the queue on the Friday: 150 s and 90 s from Start to the saved outcome.
    clock.set(`${DAY}T15:00:00Z`);
    const queue = api.app.get(QueueService);
    const items = (await queue.queue(practiceId, users['north.a1'], DAY)).items;
    expect(items.length).toBeGreaterThanOrEqual(2);
    const [h1, h2] = items;
    const s1 = await queue.startCall(practiceId, h1.assignmentId, users['north.a1']);
    // A booking follows a verified identity check on the call (protocol 001).
    await asSystem(() =>
      api.app
        .get(IdentityService)
        .recordCheck(practiceId, s1.callStartId, users['north.a1'], { name: true, dob: true }),
    );
    clock.set(`${DAY}T15:02:30Z`);
    await record('a1.h1', h1.memberId, 'north.a1', 'DONE', {
      callStartId: s1.callStartId,
      appointmentAt: '2026-07-06T09:00',
    });
    clock.set(`${DAY}T15:10:00Z`);
    const s2 = await queue.startCall(practiceId, h2.assignmentId, users['north.a1']);
    clock.set(`${DAY}T15:11:30Z`);
    await record('a1.h2', h2.memberId, 'north.a1', 'HUNGUP', { callStartId: s2.callStartId });

    // The rest entered from the back office that evening, each at the time it was made.
    clock.set(`${DAY}T23:00:00Z`);
    const others: { id: string }[] = await db.query(
      `SELECT id FROM campaign_member WHERE campaign_id = $1 AND id <> ALL($2) ORDER BY id`,
      [campaignId, [h1.memberId, h2.memberId]],
    );
    const [m3, m4, m5, m6, m7, m8, m9] = others.map((o) => o.id);
    await record('a2.m6.first', m6, 'north.a2', 'HUNGUP', { at: '2026-06-19T11:00:00-05:00' });
    await record('a1.m3', m3, 'north.a1', 'NOANS', { at: `${DAY}T13:00:00-05:00` });
    await record('a1.m4', m4, 'north.a1', 'HUNGUP', { at: `${DAY}T14:00:00-05:00` });
    await record('a2.m5', m5, 'north.a2', 'DONE', {
      at: `${DAY}T10:30:00-05:00`,
      appointmentAt: '2026-07-07T10:00',
    });
    await record('a2.m6', m6, 'north.a2', 'DONE', {
      at: `${DAY}T11:00:00-05:00`,
      appointmentAt: '2026-07-08T10:00',
    });
    await record('a2.m7', m7, 'north.a2', 'HUNGUP', { at: `${DAY}T11:30:00-05:00` });
    await record('a2.m8', m8, 'north.a2', 'LVM', { at: `${DAY}T12:00:00-05:00` });
    await record('a2.m9', m9, 'north.a2', 'RECONFIRMED', {
      at: `${DAY}T12:30:00-05:00`,
      appointmentAt: '2026-07-09T09:00',
    });
    // Saturday morning: the Friday is over.
    clock.set('2026-06-27T14:00:00Z');
    for (const login of Object.keys(users)) tokens[login] = await tokenFor(api, login);
  }, 120_000);
  afterAll(() => api.close());

  it('samples the configured share of each agent’s contacts, reproducibly from the stored seed', async () => {
    expect(contactsOf['north.a1']).toHaveLength(3);
    expect(contactsOf['north.a2']).toHaveLength(4);
    expect(await asSystem(() => quality.settings(practiceId))).toEqual({ sampleShare: 0.1 });
    await send('put', `${qa()}/settings`, 'north.manager').send({ sampleShare: 0.5 }).expect(200);
    // An agent may not change it, and a share past 100 % names the field.
    await send('put', `${qa()}/settings`, 'north.a1').send({ sampleShare: 0.2 }).expect(403);
    const bad = await send('put', `${qa()}/settings`, 'north.manager').send({ sampleShare: 1.5 }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('sampleShare');

    const res = await send('post', `${qa()}/samples`, 'north.manager')
      .send({ day: DAY, seed: 42 })
      .expect(200);
    expect(res.body).toMatchObject({
      day: DAY,
      seed: 42,
      share: 0.5,
      contacts: 7,
      sampled: 4,
      created: true,
    });
    // 50 % of 3 contacts rounds to 2; of 4, 2.
    expect(
      res.body.agents.map((a: { agent: string; contacts: number; sampled: number }) => [
        a.agent,
        a.contacts,
        a.sampled,
      ]),
    ).toEqual([
      ['north.a1', 3, 2],
      ['north.a2', 4, 2],
    ]);
    const reviews: { attempt_id: string; agent_id: string; source: string }[] = await db.query(
      `SELECT attempt_id, agent_id, source FROM qa_review WHERE practice_id = $1`,
      [practiceId],
    );
    // Re-drawing the stored seed over the day's contacts gives exactly the stored picks.
    const candidates = Object.entries(contactsOf).flatMap(([agent, ids]) =>
      ids.map((attemptId) => ({ attemptId, agentId: users[agent] })),
    );
    const redraw = sampleContacts({ candidates, share: 0.5, seed: 42 });
    expect(reviews.map((r) => r.attempt_id).sort()).toEqual([...redraw].sort());
    for (const r of reviews) {
      const agent = r.agent_id === users['north.a1'] ? 'north.a1' : 'north.a2';
      expect(contactsOf[agent]).toContain(r.attempt_id);
      expect(r.source).toBe('sample');
    }
    // Another seed draws (almost surely) other calls, but always the same counts per agent.
    for (const s of [1, 2, 3, 99, 2 ** 40]) {
      const picks = sampleContacts({ candidates, share: 0.5, seed: s });
      expect(picks.filter((id) => contactsOf['north.a1'].includes(id))).toHaveLength(2);
      expect(picks.filter((id) => contactsOf['north.a2'].includes(id))).toHaveLength(2);
      expect(sampleContacts({ candidates: [...candidates].reverse(), share: 0.5, seed: s })).toEqual(picks);
    }
    // Sampling the day again adds nothing and answers the stored draw.
    const again = await send('post', `${qa()}/samples`, 'north.manager')
      .send({ day: DAY, seed: 7 })
      .expect(200);
    expect(again.body).toMatchObject({ seed: 42, sampled: 4, created: false });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM qa_review WHERE practice_id = $1`, [
      practiceId,
    ]);
    expect(n).toBe(4);
    // The draw is audited with its seed.
    const [audit] = await db.query(
      `SELECT details FROM audit_event WHERE action = 'qa.sample' AND practice_id = $1 AND outcome = 'success'`,
      [practiceId],
    );
    expect(audit.details).toMatchObject({ day: DAY, seed: 42, share: 0.5, contacts: 7, sampled: 4 });
    // Today cannot be sampled yet.
    const today = await send('post', `${qa()}/samples`, 'north.manager')
      .send({ day: '2026-06-27' })
      .expect(400);
    expect(today.body.field).toBe('day');
  });

  it('the hourly job samples every practice’s yesterday once', async () => {
    // North's Friday is sampled already; South's (no calls) is drawn now, once.
    expect(await asSystem(() => quality.sampleDue())).toEqual({ sampled: 1, failed: 0 });
    expect(await asSystem(() => quality.sampleDue())).toEqual({ sampled: 0, failed: 0 });
    const south = await asSystem(() => quality.sample(southId, DAY));
    expect(south).toMatchObject({ contacts: 0, sampled: 0, share: 0.1 });
    expect(typeof south.seed).toBe('number');
  });

  it('managers score on the criteria; a bad sheet is refused naming the field', async () => {
    const queue = await send('get', `${qa()}/reviews`, 'north.manager').expect(200);
    expect(queue.body.items).toHaveLength(4);
    const a1Review = queue.body.items.find(
      (r: { agent: string; code: string }) => r.agent === 'north.a1' && r.code === 'HUNGUP',
    );
    const a2Review = queue.body.items.find(
      (r: { agent: string; code: string }) => r.agent === 'north.a2' && r.code !== 'HUNGUP',
    );
    // Of a1's contacts two of three hung up, and three of a2's four booked or reconfirmed: two
    // of each are drawn, so each kind is in the queue whatever the seed.
    expect(a1Review && a2Review).toBeTruthy();

    const score = (id: string, body: unknown, login = 'north.manager') =>
      send('put', `${qa()}/reviews/${id}/score`, login).send(body as object);
    const bad = async (id: string, body: unknown, field: string) => {
      const res = await score(id, body).expect(400);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toContain(field);
    };
    await bad(a1Review.id, { scores: { ...all(4), empathy: 7 }, codeCorrect: true }, 'scores.empathy');
    await bad(
      a1Review.id,
      { scores: { ...all(4), friendliness: 3 }, codeCorrect: true },
      'scores.friendliness',
    );
    const { compliance: _omit, ...missing } = all(4);
    await bad(a1Review.id, { scores: missing, codeCorrect: true }, 'scores.compliance');
    await bad(
      a1Review.id,
      { scores: all(4), codeCorrect: true, appointmentCorrect: true },
      'appointmentCorrect',
    );
    // A booked call needs the appointment check.
    await bad(a2Review.id, { scores: all(4), codeCorrect: true }, 'appointmentCorrect');
    const noCode = await score(a1Review.id, { scores: all(4) }).expect(400);
    expect(JSON.stringify(noCode.body)).toContain('codeCorrect');
    await score(a1Review.id, { scores: all(4), codeCorrect: true }, 'north.a1').expect(403);
    // Nothing was stored by the refusals.
    const [pending] = await db.query(`SELECT state FROM qa_review WHERE id = $1`, [a1Review.id]);
    expect(pending.state).toBe('pending');

    const first = await score(a1Review.id, {
      scores: all(4),
      codeCorrect: true,
      comments: '  Good opening; confirm the date twice.  ',
    }).expect(200);
    expect(first.body).toMatchObject({
      state: 'scored',
      score: 4,
      codeCorrect: true,
      appointmentCorrect: null,
      comments: 'Good opening; confirm the date twice.',
      reviewer: 'north.manager',
      scores: all(4),
    });
    const second = await score(a2Review.id, {
      scores: { ...all(5), compliance: 3 },
      codeCorrect: false,
      appointmentCorrect: true,
      comments: 'Wrong code: this was a reconfirmation.',
    }).expect(200);
    expect(second.body.score).toBe(4.71); // (6 × 5 + 3) / 7

    // Any call can be picked: a1's no-answer at 13:00, which no sample drew.
    const picked = await send('post', `${qa()}/reviews`, 'north.manager')
      .send({ attemptId: calls['a1.m3'] })
      .expect(200);
    expect(picked.body.created).toBe(true);
    const repick = await send('post', `${qa()}/reviews`, 'north.manager')
      .send({ attemptId: calls['a1.m3'] })
      .expect(200);
    expect(repick.body).toEqual({ reviewId: picked.body.reviewId, created: false });
    const list = await send(
      'get',
      `${qa()}/calls?day=${DAY}&agentId=${users['north.a1']}`,
      'north.manager',
    ).expect(200);
    expect(list.body.items).toHaveLength(4);
    expect(list.body.items.find((c: { attemptId: string }) => c.attemptId === calls['a1.m3'])).toMatchObject({
      reviewId: picked.body.reviewId,
      reviewState: 'pending',
      contact: false,
    });
    const third = await score(picked.body.reviewId, { scores: all(2), codeCorrect: true }).expect(200);
    expect(third.body).toMatchObject({ score: 2, source: 'pick', sample: null });
  });

  it('an agent sees only their own scored reviews; other practices see none of them', async () => {
    const mine = await send('get', `${qa()}/mine`, 'north.a1').expect(200);
    expect(mine.body.items.map((r: { score: number }) => r.score).sort()).toEqual([2, 4]);
    expect(mine.body.items.every((r: { agentId: string }) => r.agentId === users['north.a1'])).toBe(true);
    const withComment = mine.body.items.find((r: { score: number }) => r.score === 4);
    expect(withComment.comments).toBe('Good opening; confirm the date twice.');
    const theirs = await send('get', `${qa()}/mine`, 'north.a2').expect(200);
    expect(theirs.body.items).toHaveLength(1);
    expect(theirs.body.items[0]).toMatchObject({ score: 4.71, codeCorrect: false });

    // a1 cannot open a2's review, nor their own still pending one, nor the queue.
    await send('get', `${qa()}/reviews/${theirs.body.items[0].id}`, 'north.a1').expect(404);
    const [ownPending] = await db.query(
      `SELECT id FROM qa_review WHERE agent_id = $1 AND state = 'pending'`,
      [users['north.a1']],
    );
    expect(ownPending).toBeDefined();
    await send('get', `${qa()}/reviews/${ownPending.id}`, 'north.a1').expect(404);
    await send('get', `${qa()}/reviews/${withComment.id}`, 'north.a1').expect(200);
    await send('get', `${qa()}/reviews`, 'north.a1').expect(403);
    await send('get', `${qa()}/calls`, 'north.a1').expect(403);

    // South's people: north's routes answer as if north did not exist, and south's own show nothing of north.
    await send('get', `${qa()}/reviews/${withComment.id}`, 'south.manager').expect(404);
    await send('get', `${qa()}/mine`, 'south.a1').expect(404);
    await send('get', `${qa(southId)}/reviews/${withComment.id}`, 'south.manager').expect(404);
    const southQueue = await send('get', `${qa(southId)}/reviews?state=all`, 'south.manager').expect(200);
    expect(southQueue.body.items).toEqual([]);
    await send('post', `${qa(southId)}/reviews`, 'south.manager')
      .send({ attemptId: calls['a1.m4'] })
      .expect(404);
    await send('put', `${qa(southId)}/reviews/${withComment.id}/score`, 'south.manager')
      .send({ scores: all(1), codeCorrect: false })
      .expect(404);
    const [after] = await db.query(`SELECT score FROM qa_review WHERE id = $1`, [withComment.id]);
    expect(Number(after.score)).toBe(4);
  });

  it('the quality report equals the hand count: conversion, handle time, first-contact resolution, QA', async () => {
    // Two transfers tried on a1's second call (the table's trigger marks their day for the refresh).
    await asSystem(async () => {
      const [group] = await db.query(
        `INSERT INTO transfer_group (practice_id, name, phone) VALUES ($1, 'Billing', '+13125550199') RETURNING id`,
        [practiceId],
      );
      const [h] = await db.query(`SELECT member_id, call_start_id FROM call_attempt WHERE id = $1`, [
        calls['a1.h2'],
      ]);
      await db.query(
        `INSERT INTO call_transfer (practice_id, call_start_id, member_id, group_id, agent_id, attempt_id, kind, outcome,
                                    created_at)
         SELECT $1, $2, $3, $4, $5, $6, k.kind, k.outcome, $7::timestamptz
         FROM (VALUES ('warm', 'connected'), ('blind', 'declined')) k(kind, outcome)`,
        [
          practiceId,
          h.call_start_id,
          h.member_id,
          group.id,
          users['north.a1'],
          calls['a1.h2'],
          `${DAY}T15:11:00Z`,
        ],
      );
    });
    const r = await asSystem(() =>
      api.app.get(ReportsService).report(practiceId, 'quality', { from: DAY, to: DAY }),
    );
    expect(r.rows).toEqual([
      {
        week: WEEK,
        agent: 'north.a1',
        name: expect.any(String),
        dials: 4,
        contacts: 3,
        bookings: 1,
        conversionRate: 0.25,
        avgHandleSeconds: 120, // (150 + 90) / 2 started calls
        firstContacts: 3,
        firstContactBookings: 1,
        firstContactResolution: 0.3333,
        reviews: 2,
        qaScore: 3, // (4 + 2) / 2
        codeAccuracy: 1,
        identityVerified: 1, // h1's check passed; h2 was not checked, m4 came from the back office
        identityFailed: 0,
        identityUnknown: 2,
        identityVerifiedRate: 0.3333,
        transfers: 2,
        transfersConnected: 1,
      },
      {
        week: WEEK,
        agent: 'north.a2',
        name: expect.any(String),
        dials: 5,
        contacts: 4,
        bookings: 2,
        conversionRate: 0.4,
        avgHandleSeconds: null, // entered from the back office: no call start
        firstContacts: 3, // m6 was first reached on 2026-06-19, before the range
        firstContactBookings: 1,
        firstContactResolution: 0.3333,
        reviews: 1,
        qaScore: 4.71,
        codeAccuracy: 0,
        identityVerified: 0, // all from the back office: no check recorded
        identityFailed: 0,
        identityUnknown: 4,
        identityVerifiedRate: 0,
        transfers: 0,
        transfersConnected: 0,
      },
    ]);
    expect(r.summary).toEqual({
      agents: 2,
      dials: 9,
      bookings: 3,
      conversionRate: 0.3333,
      avgHandleSeconds: 120,
      firstContacts: 6,
      firstContactResolution: 0.3333,
      reviews: 3,
      qaScore: 3.57, // (4 + 2 + 4.71) / 3
      codeAccuracy: 0.6667,
      identityVerifiedRate: 0.1429, // 1 of 7 contacts
      identityUnknown: 6,
      transfers: 2,
      transferConnectRate: 0.5,
    });
    const byGroup = await asSystem(() =>
      api.app.get(ReportsService).report(practiceId, 'transfers', { from: DAY, to: DAY }),
    );
    expect(byGroup.rows).toEqual([
      {
        group: 'Billing',
        kind: 'blind',
        transfers: 1,
        connected: 0,
        noAnswer: 0,
        declined: 1,
        unavailable: 0,
        connectRate: 0,
      },
      {
        group: 'Billing',
        kind: 'warm',
        transfers: 1,
        connected: 1,
        noAnswer: 0,
        declined: 0,
        unavailable: 0,
        connectRate: 1,
      },
    ]);
    expect(byGroup.summary).toEqual({ transfers: 2, warm: 1, blind: 1, connected: 1, connectRate: 0.5 });
    // Over the week including the 19th, m6's first contact counts (not booked).
    const week = await asSystem(() =>
      api.app.get(ReportsService).report(practiceId, 'quality', { from: '2026-06-15', to: DAY }),
    );
    const a2Weeks = week.rows
      .filter((x) => x.agent === 'north.a2')
      .map((x) => [x.week, x.dials, x.firstContacts]);
    expect(a2Weeks).toEqual([
      ['2026-06-15', 1, 1],
      [WEEK, 5, 3],
    ]);

    // The same table over HTTP as JSON and CSV; agents are refused.
    const json = await send(
      'get',
      `/api/practices/${practiceId}/reports/quality?from=${DAY}&to=${DAY}`,
      'north.manager',
    ).expect(200);
    expect(json.body.rows).toEqual(JSON.parse(JSON.stringify(r.rows)));
    const csv = await send(
      'get',
      `/api/practices/${practiceId}/reports/quality.csv?from=${DAY}&to=${DAY}`,
      'north.manager',
    ).expect(200);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toBe(r.columns.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${WEEK},north.a1,`);
    expect(lines[1]).toContain(',4,3,1,0.25,120,3,1,0.3333,2,3,1');
    await send('get', `/api/practices/${practiceId}/reports/quality`, 'north.a1').expect(403);
  });
});
