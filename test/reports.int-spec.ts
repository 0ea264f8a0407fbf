import { PracticesService } from '@recall/auth';
import { FixedClock, Role } from '@recall/core';
import { codesWith, DispositionsService } from '@recall/dispositions';
import { AGENT_MEASURES, RollupRefreshService, ReportsService } from '@recall/reports';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import './support/fast-check-seed';
import { asSystem, importFiles, launchCampaign } from './support/scenario';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures/dispositions');
const CONTACTS = codesWith('contact');

/**
 * A hand-computed scenario: seven calls on Monday 2026-06-15 in Chicago, then a follow-up
 * import a week later showing K1's booked visit completed and K2's a no-show.
 */
describe('reports from the rollups', () => {
  let api: TestApi;
  let db: DataSource;
  let reports: ReportsService;
  let practiceId: string;
  let campaignId: string;
  const users: Record<string, string> = {};
  const clock = new FixedClock('2026-06-15T22:30:00Z'); // Monday 17:30 in Chicago
  const system = asSystem;
  const dir = mkdtempSync(path.join(tmpdir(), 'recall-reports-'));

  let seq = 0;
  const record = async (
    mrn: string,
    agent: string,
    code: string,
    at: string,
    extra: Record<string, string> = {},
  ) => {
    const dispositions = api.app.get(DispositionsService);
    const memberId = await dispositions.resolveMember(practiceId, { campaignId, mrn });
    return system(() =>
      dispositions.record(
        practiceId,
        {
          memberId,
          agentId: users[agent],
          code,
          at,
          idempotencyKey: `reports-${++seq}`,
          source: 'api',
          ...extra,
        },
        { id: users['north.manager'], role: Role.Manager },
      ),
    );
  };

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    await seed(
      api,
      ['north'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.owner', role: Role.Owner, practices: ['north'] },
        { login: 'north.a1', role: Role.Agent, practices: ['north'] },
        { login: 'north.a2', role: Role.Agent, practices: ['north'] },
      ],
    );
    db = api.app.get(DataSource);
    reports = api.app.get(ReportsService);
    practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    for (const u of await db.query(`SELECT id, login FROM app_user`)) users[u.login] = u.id;
    await importFiles(api, practiceId, [{ kind: 'patients', path: path.join(FIXTURES, 'patients.csv') }]);
    ({ campaignId } = await launchCampaign(api, practiceId, {
      type: 'reactivation',
      name: 'Reactivation',
      agents: ['north.a1', 'north.a2'],
      seed: 2,
    }));
    await record('K1', 'north.a1', 'NOANS', '2026-06-15T10:05:00-05:00');
    await record('K1', 'north.a1', 'DONE', '2026-06-15T11:00:00-05:00', {
      appointmentAt: '2026-06-22T09:30',
    });
    await record('K2', 'north.a2', 'DONE', '2026-06-15T10:30:00-05:00', {
      appointmentAt: '2026-06-19T10:00',
    });
    await record('K3', 'north.a1', 'DONE', '2026-06-15T13:00:00-05:00', {
      appointmentAt: '2026-07-30T10:00',
    });
    await record('K4', 'north.a2', 'LVM', '2026-06-15T15:00:00-05:00');
    await record('K5', 'north.a1', 'HUNGUP', '2026-06-15T16:00:00-05:00');
    await record('K6', 'north.a2', 'RECONFIRMED', '2026-06-15T10:45:00-05:00', {
      appointmentAt: '2026-06-20T09:00',
    });
    // A week later the EMR export shows what became of the bookings.
    clock.set('2026-06-23T15:00:00Z');
    const appointments = path.join(dir, 'appointments.csv');
    writeFileSync(
      appointments,
      ['Appt ID,MRN,Appt Date,Status', '7001,K1,2026-06-22,Completed', '7002,K2,2026-06-19,No Show'].join(
        '\n',
      ),
    );
    await importFiles(api, practiceId, [
      { kind: 'patients', path: path.join(FIXTURES, 'patients.csv') },
      { kind: 'appointments', path: appointments },
    ]);
  });
  afterAll(() => api.close());

  const range = () => ({ from: '2026-06-15', to: '2026-06-23', campaignId });

  it('funnel: dials → contacts → bookings → kept visits → revenue', async () => {
    const r = await system(() => reports.report(practiceId, 'funnel', range()));
    expect(r.summary).toMatchObject({
      dials: 7,
      contacts: 5, // three DONE, the HUNGUP and the RECONFIRMED
      bookings: 3,
      keptVisits: 1,
      notKept: 1,
      pending: 1,
      reconfirmed: 1,
      revenue: 100,
      projectedRevenue: 170, // (1 kept + 1 pending × 70 %) × $100
      contactRate: 0.7143,
      bookingRate: 0.6,
      keptRate: 0.5,
    });
    expect(r.rows.map((x) => [x.step, x.count])).toEqual([
      ['dials', 7],
      ['contacts', 5],
      ['bookings', 3],
      ['kept visits', 1],
      ['revenue', 100],
    ]);
    // One agent's share.
    const a2 = await system(() =>
      reports.report(practiceId, 'funnel', { ...range(), agentId: users['north.a2'] }),
    );
    expect(a2.summary).toMatchObject({ dials: 3, contacts: 2, bookings: 1, keptVisits: 0, notKept: 1 });
  });

  it('ROI: the saved plan next to what happened, projected where pending', async () => {
    const r = await system(() => reports.report(practiceId, 'roi', range()));
    const months = 9 / (365 / 12);
    const cost = 1 * 1760 * months;
    expect(r.summary).toMatchObject({
      agents: 1,
      bookings: 3,
      keptVisits: 1,
      pendingBookings: 1,
      revenue: 100,
    });
    expect(r.summary.projectedRevenue).toBe(170);
    expect(r.summary.agentCost).toBeCloseTo(cost, 2);
    expect(r.summary.net).toBeCloseTo(170 - cost, 2);
    expect(r.summary.roiPercent).toBeCloseTo(((170 - cost) / cost) * 100, 1);
    const revenue = r.rows.find((x) => x.metric === 'revenue')!;
    expect(revenue).toMatchObject({ actual: 100, projected: 170 });
    expect(revenue.planned).toBeGreaterThan(0);
    await expect(system(() => reports.report(practiceId, 'roi', { from: '2026-06-15' }))).rejects.toThrow(
      /per campaign/,
    );
  });

  it('by attempt, by lead time, by hour, agents, backlog and dispositions', async () => {
    const attempts = await system(() => reports.report(practiceId, 'attempts', range()));
    expect(attempts.rows.map((x) => [x.attempt, x.dials, x.contacts, x.bookings])).toEqual([
      [1, 6, 4, 2],
      [2, 1, 1, 1],
    ]);
    const lead = await system(() => reports.report(practiceId, 'lead-time', range()));
    expect(lead.rows.find((x) => x.leadDays === '3-7')).toMatchObject({
      bookings: 2,
      kept: 1,
      notKept: 1,
      keptRate: 0.5,
    });
    expect(lead.rows.find((x) => x.leadDays === '31+')).toMatchObject({
      bookings: 1,
      pending: 1,
      keptRate: null,
    });
    const hours = await system(() => reports.report(practiceId, 'hours', range()));
    const at10 = hours.rows.filter((x) => x.hour === 10).reduce((n, x) => n + Number(x.dials), 0);
    expect(at10).toBe(3); // K1 NOANS 10:05, K2 10:30, K6 10:45 (Chicago patients)
    const agents = await system(() => reports.report(practiceId, 'agents', range()));
    expect(agents.rows.map((x) => [x.agent, x.dials, x.bookings, x.firstCall, x.lastCall])).toEqual([
      ['north.a1', 4, 2, '10:05', '16:00'],
      ['north.a2', 3, 1, '10:30', '15:00'],
    ]);
    const backlog = await system(() => reports.report(practiceId, 'backlog', { campaignId }));
    // 12 enrolled; K1, K2, K3 converted, K6 reconfirmed: 8 open.
    expect(backlog.rows[0]).toMatchObject({ callableRemaining: 8, exhausted: 0, dnc: 0 });
    const mix = await system(() => reports.report(practiceId, 'dispositions', range()));
    expect(mix.rows.reduce((n, x) => n + Number(x.count), 0)).toBe(7);
  });

  it('serves owners JSON and the same table as CSV, and refuses agents', async () => {
    const owner = await tokenFor(api, 'north.owner');
    const q = `from=2026-06-15&to=2026-06-23&campaignId=${campaignId}`;
    const json = await api
      .http()
      .get(`/api/practices/${practiceId}/reports/funnel?${q}`)
      .set('Authorization', `Bearer ${owner}`)
      .expect(200);
    const csv = await api
      .http()
      .get(`/api/practices/${practiceId}/reports/funnel.csv?${q}`)
      .set('Authorization', `Bearer ${owner}`)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('step,count,rateFromPrevious');
    expect(lines.slice(1)).toEqual(
      json.body.rows.map((r: Record<string, unknown>) =>
        [r.step, r.count, r.rateFromPrevious ?? ''].join(','),
      ),
    );
    const agent = await tokenFor(api, 'north.a1');
    await api
      .http()
      .get(`/api/practices/${practiceId}/reports/funnel`)
      .set('Authorization', `Bearer ${agent}`)
      .expect(403);
    await api
      .http()
      .get(`/api/practices/${practiceId}/reports/nonsense`)
      .set('Authorization', `Bearer ${owner}`)
      .expect(404);
  });

  it('a call entered for an earlier day moves the first contact off the later day it was on', async () => {
    const weeks = async () =>
      Object.fromEntries(
        (await system(() => reports.report(practiceId, 'quality', range()))).rows
          .filter((r) => r.agent === 'north.a2')
          .map((r) => [r.week, [r.contacts, r.firstContacts]]),
      );
    const before = (await weeks())['2026-06-15'] as number[];
    await record('KC', 'north.a2', 'HUNGUP', '2026-06-22T10:00:00-05:00');
    expect((await weeks())['2026-06-22']).toEqual([1, 1]);
    // Entered afterwards from the back office: KC was first reached the week before.
    await record('KC', 'north.a2', 'HUNGUP', '2026-06-17T10:00:00-05:00');
    expect(await weeks()).toEqual({
      '2026-06-15': [before[0] + 1, before[1] + 1],
      '2026-06-22': [1, 0],
    });
  });

  it('after random writes and corrections, the rollups equal an aggregation of the raw log', async () => {
    const refresh = api.app.get(RollupRefreshService);
    const dispositions = api.app.get(DispositionsService);
    const codes = ['NOANS', 'LVM', 'UNAVLBL', 'HUNGUP', 'WNUM'];
    const mrns = ['K7', 'K8', 'K9', 'KA', 'KB', 'KC'];
    // Transfers need a call and a directory: one call start and two groups serve every write.
    const [start] = await system(() =>
      db.query(
        `INSERT INTO call_start (practice_id, assignment_id, member_id, patient_id, agent_id, phone, started_at)
         SELECT a.practice_id, a.id, a.member_id, m.patient_id, $2, '+13125550100', now()
         FROM cycle_assignment a JOIN campaign_member m ON m.id = a.member_id WHERE a.practice_id = $1 LIMIT 1
         RETURNING id, member_id`,
        [practiceId, users['north.a1']],
      ),
    );
    const groups: string[] = (
      await system(() =>
        db.query(
          `INSERT INTO transfer_group (practice_id, name, phone)
           VALUES ($1, 'Billing', '+13125550101'), ($1, 'Nurse line', '+13125550102') RETURNING id`,
          [practiceId],
        ),
      )
    ).map((g: { id: string }) => g.id);
    const transfer = fc.option(
      fc.record({
        group: fc.constantFrom(0, 1),
        // A blind transfer is never "no answer" (the table's CHECK); unavailable needs a ticket.
        how: fc.constantFrom(
          ['warm', 'connected'],
          ['warm', 'no_answer'],
          ['warm', 'declined'],
          ['blind', 'connected'],
        ),
        dropOne: fc.boolean(),
      }),
      { nil: null },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            mrn: fc.constantFrom(...mrns),
            code: fc.constantFrom(...codes),
            agent: fc.constantFrom('north.a1', 'north.a2'),
            // 16 June to 6 July: the writes cross weeks and a month.
            day: fc.integer({ min: 0, max: 20 }),
            hour: fc.integer({ min: 9, max: 17 }),
            correct: fc.boolean(),
            transfer,
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (writes) => {
          for (const w of writes) {
            const date = new Date(Date.UTC(2026, 5, 16 + w.day)).toISOString().slice(0, 10);
            const at = `${date}T${String(w.hour).padStart(2, '0')}:15:00-05:00`;
            const result = await record(w.mrn, w.agent, w.code, at).catch(() => null);
            if (w.transfer) {
              const t = w.transfer;
              await system(async () => {
                // Removing an earlier transfer moves its day's figures too (the trigger marks it).
                if (t.dropOne)
                  await db.query(
                    `DELETE FROM call_transfer WHERE id = (SELECT id FROM call_transfer WHERE practice_id = $1
                       ORDER BY created_at LIMIT 1)`,
                    [practiceId],
                  );
                await db.query(
                  `INSERT INTO call_transfer (practice_id, call_start_id, member_id, group_id, agent_id, kind, outcome,
                                              created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
                  [
                    practiceId,
                    start.id,
                    start.member_id,
                    groups[t.group],
                    users[w.agent],
                    t.how[0],
                    t.how[1],
                    at,
                  ],
                );
              });
            }
            if (result && w.correct && result.member.state === 'open') {
              await system(() =>
                dispositions.correct(
                  practiceId,
                  result.attemptId,
                  { agentId: users[w.agent], code: 'LVM', idempotencyKey: `fix-${++seq}`, source: 'api' },
                  { id: users['north.manager'], role: Role.Manager },
                ),
              ).catch(() => null);
            }
          }
          await refresh.refresh(practiceId);
          const rollup = await db.query(
            `SELECT campaign_id, to_char(day, 'YYYY-MM-DD') AS day, agent_id, code, attempt_number, dials
             FROM report_attempt_day WHERE practice_id = $1 ORDER BY 1, 2, 3, 4, 5`,
            [practiceId],
          );
          const raw: {
            campaign_id: string;
            ended_at: Date;
            agent_id: string;
            code: string;
            attempt_number: number | null;
          }[] = await db.query(
            `SELECT a.campaign_id, a.ended_at, a.agent_id, a.code, a.attempt_number FROM call_attempt a
               WHERE a.practice_id = $1 AND NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = a.id)`,
            [practiceId],
          );
          const expected = new Map<string, number>();
          for (const a of raw) {
            const day = new Date(a.ended_at.getTime() - 5 * 3_600_000).toISOString().slice(0, 10); // CDT
            const k = [a.campaign_id, day, a.agent_id, a.code, a.attempt_number ?? 0].join('|');
            expected.set(k, (expected.get(k) ?? 0) + 1);
          }
          const got = new Map<string, number>(
            rollup.map((r: Record<string, string | number>) => [
              [r.campaign_id, r.day, r.agent_id, r.code, r.attempt_number].join('|'),
              Number(r.dials),
            ]),
          );
          expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...expected].sort()));
          // Weeks and months hold exactly the sums of their days; agent days the first and last call.
          const differences = async (derived: string, stored: string, more: unknown[] = []) =>
            db.query(`(${derived} EXCEPT ${stored}) UNION ALL (${stored} EXCEPT ${derived})`, [
              practiceId,
              ...more,
            ]);
          const GRAINS = `CROSS JOIN (VALUES ('week'), ('month')) g(grain) WHERE practice_id = $1`;
          expect(
            await differences(
              `SELECT campaign_id, g.grain, date_trunc(g.grain, day)::date, agent_id, code, attempt_number,
                      sum(dials)::int, sum(handled)::int, sum(handle_seconds)::int
               FROM report_attempt_day ${GRAINS} GROUP BY 1, 2, 3, 4, 5, 6`,
              `SELECT campaign_id, grain, period, agent_id, code, attempt_number, dials, handled, handle_seconds
               FROM report_attempt_period WHERE practice_id = $1`,
            ),
          ).toEqual([]);
          expect(
            await differences(
              `SELECT campaign_id, g.grain, date_trunc(g.grain, day)::date, agent_id, attempt_number, lead_bucket,
                      status, sum(bookings)::int
               FROM report_booking_day ${GRAINS} GROUP BY 1, 2, 3, 4, 5, 6, 7`,
              `SELECT campaign_id, grain, period, agent_id, attempt_number, lead_bucket, status, bookings
               FROM report_booking_period WHERE practice_id = $1`,
            ),
          ).toEqual([]);
          expect(
            await differences(
              `SELECT campaign_id, day, agent_id, min(first_minute), max(last_minute) FROM report_attempt_day
               WHERE practice_id = $1 GROUP BY 1, 2, 3`,
              `SELECT campaign_id, day, agent_id, first_minute, last_minute FROM report_agent_day WHERE practice_id = $1`,
            ),
          ).toEqual([]);
          // The quality measures per agent day, from the raw log in another way: each member's
          // first contact by a window over its live contacts.
          expect(
            await differences(
              `SELECT l.campaign_id, l.day, l.agent_id, count(*)::int, count(*) FILTER (WHERE l.contact)::int,
                      count(*) FILTER (WHERE l.code = 'DONE')::int, count(l.started_at)::int,
                      coalesce(sum(extract(epoch FROM l.ended_at - l.started_at)), 0)::int,
                      count(*) FILTER (WHERE l.nth = 1)::int, count(*) FILTER (WHERE l.nth = 1 AND l.code = 'DONE')::int,
                      count(*) FILTER (WHERE l.contact AND l.identity_verified)::int,
                      count(*) FILTER (WHERE l.contact AND NOT l.identity_verified)::int,
                      count(*) FILTER (WHERE l.code = 'RECONFIRMED')::int
               FROM (SELECT a.*, (a.ended_at AT TIME ZONE pr.timezone)::date AS day, a.code = ANY($2) AS contact,
                            CASE WHEN a.code = ANY($2) THEN row_number() OVER (PARTITION BY a.member_id, a.code = ANY($2)
                              ORDER BY a.ended_at, a.recorded_at, a.id) END AS nth
                     FROM call_attempt a JOIN practice pr ON pr.id = a.practice_id
                     WHERE a.practice_id = $1 AND NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = a.id)) l
               GROUP BY 1, 2, 3`,
              `SELECT campaign_id, day, agent_id, dials, contacts, bookings, handled, handle_seconds, first_contacts,
                      first_contact_bookings, identity_verified, identity_failed, reconfirmed
               FROM report_agent_day WHERE practice_id = $1`,
              [CONTACTS],
            ),
          ).toEqual([]);
          // Every booking once by its EMR outcome, as the booking rollup has it.
          expect(
            await differences(
              `SELECT campaign_id, day, agent_id, coalesce(sum(bookings) FILTER (WHERE status = 'kept'), 0)::int,
                      coalesce(sum(bookings) FILTER (WHERE status = 'not_kept'), 0)::int,
                      coalesce(sum(bookings) FILTER (WHERE status = 'pending'), 0)::int
               FROM report_booking_day WHERE practice_id = $1 GROUP BY 1, 2, 3`,
              `SELECT campaign_id, day, agent_id, kept, not_kept, pending FROM report_agent_day
               WHERE practice_id = $1 AND (kept > 0 OR not_kept > 0 OR pending > 0)`,
            ),
          ).toEqual([]);
          expect(
            await db.query(
              `SELECT day FROM report_agent_day WHERE practice_id = $1 AND kept + not_kept + pending <> bookings`,
              [practiceId],
            ),
          ).toEqual([]);
          const MEASURES = AGENT_MEASURES.join(', ');
          expect(
            await differences(
              `SELECT campaign_id, g.grain, date_trunc(g.grain, day)::date, agent_id,
                      ${AGENT_MEASURES.map((m) => `sum(${m})::int`).join(', ')}
               FROM report_agent_day ${GRAINS} GROUP BY 1, 2, 3, 4`,
              `SELECT campaign_id, grain, period, agent_id, ${MEASURES} FROM report_agent_period WHERE practice_id = $1`,
            ),
          ).toEqual([]);
          // Transfers per day, agent, group, kind and outcome, by the campaign of the patient called.
          expect(
            await differences(
              `SELECT m.campaign_id, (t.created_at AT TIME ZONE pr.timezone)::date, t.agent_id, t.group_id, t.kind,
                      t.outcome, count(*)::int
               FROM call_transfer t JOIN practice pr ON pr.id = t.practice_id JOIN campaign_member m ON m.id = t.member_id
               WHERE t.practice_id = $1 GROUP BY 1, 2, 3, 4, 5, 6`,
              `SELECT campaign_id, day, agent_id, group_id, kind, outcome, transfers FROM report_transfer_day
               WHERE practice_id = $1`,
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);
});
