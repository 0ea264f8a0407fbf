import { PracticesService } from '@recall/auth';
import {
  CampaignsService,
  ContactsImportService,
  type CampaignView,
  type EligibilitySummary,
} from '@recall/campaigns';
import { FixedClock, RequestContext, Role } from '@recall/core';
import { ImportsService } from '@recall/imports';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures/campaigns');

describe('campaigns', () => {
  let api: TestApi;
  let campaigns: CampaignsService;
  let db: DataSource;
  let practiceId: string;
  let token: string;
  // 2026-06-15 10:00 in Chicago: "today" for every rule below.
  const clock = new FixedClock('2026-06-15T15:00:00Z');
  const system = <T>(fn: () => Promise<T>) => RequestContext.run({ requestId: 't', channel: 'system' }, fn);

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    await seed(
      api,
      ['north', 'south'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.agent1', role: Role.Agent, practices: ['north'] },
        { login: 'north.agent2', role: Role.Agent, practices: ['north'] },
        { login: 'north.owner', role: Role.Owner, practices: ['north'] },
        { login: 'south.manager', role: Role.Manager, practices: ['south'] },
        { login: 'south.agent', role: Role.Agent, practices: ['south'] },
      ],
    );
    campaigns = api.app.get(CampaignsService);
    db = api.app.get(DataSource);
    practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    const imports = api.app.get(ImportsService);
    const draft = await imports.createDraft(
      practiceId,
      ['patients', 'appointments'].map((kind) => ({
        kind: kind as 'patients' | 'appointments',
        name: `${kind}.csv`,
        path: path.join(FIXTURES, `${kind}.csv`),
        owned: false,
      })),
      null,
    );
    await imports.start(practiceId, draft.id, { mapping: draft.mapping, enqueue: false }, null);
    const done = await imports.runInline(draft.id);
    expect(done.summary).toMatchObject({ totalRows: 22, rejected: 0 });
    // The fixture's export has no status column; mark I1 inactive as an EMR would.
    await db.query(`UPDATE patient SET inactive = true WHERE practice_id = $1 AND mrn = 'I1'`, [practiceId]);
    token = await tokenFor(api, 'north.manager');
  });
  afterAll(() => api.close());

  const create = (type: string, name: string, extra: Record<string, unknown> = {}) =>
    system(() => campaigns.create(practiceId, { type, name, ...extra }, null));

  const counts = (e: EligibilitySummary) =>
    Object.fromEntries(e.exclusions.filter((x) => x.count > 0).map((x) => [x.reason, x.count]));

  async function listOf(c: CampaignView, reason: string): Promise<string[]> {
    const page = await campaigns.eligibilityList(practiceId, c.id, reason, { limit: 500 });
    return page.items.map((m) => m.mrn!).sort();
  }

  it('reactivation: last seen 12–36 months ago, boundaries inclusive, each exclusion counted', async () => {
    const c = await create('reactivation', 'Reactivation June');
    const e = await campaigns.eligibility(practiceId, c.id);
    expect(e).toMatchObject({ asOf: '2026-06-15', population: 16, candidates: 9, eligible: 4 });
    expect(counts(e)).toEqual({
      deceased: 1,
      do_not_call: 1,
      no_valid_phone: 1,
      upcoming_appointment: 1,
      inactive: 1,
    });
    expect(await listOf(c, 'eligible')).toEqual(['A2', 'R1', 'R2', 'R4']);
    expect(await listOf(c, 'not_target')).toEqual(['E1', 'R3', 'R5', 'S1', 'S2', 'S3', 'V1']);
    expect(await listOf(c, 'upcoming_appointment')).toEqual(['A1']);
  });

  it('explains one patient: outside the target, or each reason with its detail', async () => {
    const c = await create('reactivation', 'Explain me');
    const r3 = await campaigns.explain(practiceId, c.id, { mrn: 'R3' });
    expect(r3).toMatchObject({ eligible: false, inTarget: false });
    expect(r3.reasons.map((r) => r.reason)).toEqual(['not_target']);
    expect(r3.targetDetail).toContain('last seen 2025-06-16');
    const a1 = await campaigns.explain(practiceId, c.id, { mrn: 'A1' });
    expect(a1.reasons).toEqual([
      expect.objectContaining({
        reason: 'upcoming_appointment',
        detail: expect.stringContaining('2026-07-01'),
      }),
    ]);
    expect((await campaigns.explain(practiceId, c.id, { mrn: 'R1' })).eligible).toBe(true);
    await expect(campaigns.explain(practiceId, c.id, { mrn: 'NOPE' })).rejects.toThrow('not found');
  });

  it('filters on age band and provider, and the upcoming-appointment window is a setting', async () => {
    const adults = await create('reactivation', 'Adults', { rule: { ageMin: 18 } });
    expect(await listOf(adults, 'eligible')).toEqual(['R1', 'R2', 'R4']);
    const lee = await create('reactivation', 'Dr Lee', { rule: { providers: ['dr. lee'] } });
    expect((await campaigns.eligibility(practiceId, lee.id)).candidates).toBe(1);
    const shortWindow = await create('reactivation', 'Short window', {
      settings: { upcomingAppointmentDays: 10 },
    });
    expect(await listOf(shortWindow, 'eligible')).toContain('A1');
    const updated = await system(() => campaigns.update(practiceId, adults.id, { rule: { ageMin: null } }));
    expect(updated.rule.ageMin).toBeUndefined();
    expect(updated.rule.lastEncounterMonths).toEqual({ min: 12, max: 36 });
  });

  it('no-shows within 90 days not rebooked; no encounters; recent visits', async () => {
    expect(await listOf(await create('no_show', 'No-shows'), 'eligible')).toEqual(['S1']);
    expect(await listOf(await create('no_encounters', 'Never seen'), 'eligible')).toEqual([
      'E1',
      'S1',
      // S2's rebooked appointment is 35 days out: outside the 28-day exclusion.
      'S2',
      'S3',
    ]);
    expect(await listOf(await create('patient_reviews', 'Reviews'), 'eligible')).toEqual(['V1']);
  });

  it('refuses bad rules and settings with the field named', async () => {
    await expect(
      create('reactivation', 'Bad', { rule: { lastEncounterMonths: { min: 40, max: 12 } } }),
    ).rejects.toThrow('rule.lastEncounterMonths: min must not exceed max');
    await expect(create('reactivation', 'Bad', { settings: { attemptCap: 0 } })).rejects.toThrow(
      'settings.attemptCap',
    );
    await expect(create('nonsense', 'Bad')).rejects.toThrow('type: must be one of');
    await create('reactivation', 'Twice');
    await expect(create('reactivation', 'Twice')).rejects.toThrow('already exists');
  });

  it('lifecycle: no launch without a plan or an agent; launch enrols; one open campaign per patient', async () => {
    const first = await create('reactivation', 'First wave');
    expect(first.status).toBe('draft');
    await expect(system(() => campaigns.transition(practiceId, first.id, 'launch'))).rejects.toThrow(
      'save the ROI plan before launching',
    );
    const planned = await system(() => campaigns.savePlan(practiceId, first.id, { weeksPerMonth: 4 }));
    expect(planned).toMatchObject({ status: 'planned', planPatients: 4 });
    expect(planned.planResult).toMatchObject({ revenuePerWeek: 8750, agentsNeeded: 1 });
    await expect(system(() => campaigns.transition(practiceId, first.id, 'launch'))).rejects.toThrow(
      'assign at least one agent',
    );
    await system(() =>
      campaigns.update(practiceId, first.id, { agentLogins: ['north.agent1', 'north.agent2'] }),
    );
    const active = await system(() => campaigns.transition(practiceId, first.id, 'launch'));
    expect(active).toMatchObject({ status: 'active', members: { open: 4, total: 4 } });
    expect(active.allowedActions).toEqual(['pause', 'complete']);
    await expect(system(() => campaigns.savePlan(practiceId, first.id, {}))).rejects.toThrow('plan is fixed');
    await expect(
      system(() => campaigns.update(practiceId, first.id, { rule: { ageMin: 30 } })),
    ).rejects.toThrow('targeting cannot change');

    const second = await create('reactivation', 'Second wave');
    const e = await campaigns.eligibility(practiceId, second.id);
    expect(e.eligible).toBe(0);
    expect(counts(e).other_campaign).toBe(4);
    expect((await campaigns.explain(practiceId, second.id, { mrn: 'R1' })).reasons[0].detail).toContain(
      'First wave',
    );
    // The database holds the rule too: a second open membership is refused.
    const [r1] = await db.query(`SELECT id FROM patient WHERE practice_id = $1 AND mrn = 'R1'`, [practiceId]);
    await expect(
      db.query(
        `INSERT INTO campaign_member (campaign_id, practice_id, patient_id, state, attempt_cap, enrolled_at)
         VALUES ($1, $2, $3, 'open', 5, now())`,
        [second.id, practiceId, r1.id],
      ),
    ).rejects.toThrow('campaign_member_one_open_campaign');

    // An exhausted member stays out of its campaign, and shows why.
    await db.query(
      `UPDATE campaign_member SET state = 'exhausted', attempts = 5, closed_at = now()
       WHERE campaign_id = $1 AND patient_id = $2`,
      [first.id, r1.id],
    );
    expect(counts(await campaigns.eligibility(practiceId, first.id)).attempts_exhausted).toBe(1);
    await expect(
      db.query(`UPDATE campaign_member SET attempts = 6 WHERE campaign_id = $1 AND patient_id = $2`, [
        first.id,
        r1.id,
      ]),
    ).rejects.toThrow('campaign_member_attempts_within_cap');

    const paused = await system(() => campaigns.transition(practiceId, first.id, 'pause'));
    expect(paused.allowedActions).toEqual(['resume', 'complete']);
    await expect(system(() => campaigns.transition(practiceId, first.id, 'pause'))).rejects.toThrow(
      'a paused campaign cannot pause',
    );
    const done = await system(() => campaigns.transition(practiceId, first.id, 'complete'));
    expect(done).toMatchObject({ status: 'completed', members: { open: 0, total: 4 }, allowedActions: [] });
    // Released patients are free for the next campaign (R1 stays exhausted only in the first).
    expect((await campaigns.eligibility(practiceId, second.id)).eligible).toBe(4);

    const audit = await db.query(
      `SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY occurred_at, id`,
      [first.id],
    );
    // The clock stands still in this test, so compare the set of actions, not their order.
    expect(audit.map((a: { action: string }) => a.action).sort()).toEqual([
      'campaign.complete',
      'campaign.create',
      'campaign.launch',
      'campaign.pause',
      'campaign.plan',
      'campaign.update',
    ]);
  });

  it('over HTTP: create, breakdown, plan, launch; owners read only; practices walled off', async () => {
    const agents = await api
      .http()
      .get(`/api/practices/${practiceId}/agents`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(agents.body.items.map((a: { login: string }) => a.login)).toEqual([
      'north.agent1',
      'north.agent2',
    ]);
    const types = await api
      .http()
      .get('/api/campaign-types')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(types.body.items).toHaveLength(10);
    expect(types.body.items[0]).toMatchObject({ type: 'reactivation', audience: 'patients' });
    expect(types.body.items[0].defaultVoicemailScript).toContain('{practice.name}');

    const created = await api
      .http()
      .post(`/api/practices/${practiceId}/campaigns`)
      .set('Authorization', `Bearer ${token}`)
      .send({ type: 'cancelled', name: 'Cancelled HTTP', agentIds: [agents.body.items[0].id] })
      .expect(201);
    const base = `/api/practices/${practiceId}/campaigns/${created.body.id}`;
    const e = await api.http().get(`${base}/eligibility`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(e.body).toMatchObject({ population: 16, candidates: 0 });
    const refused = await api
      .http()
      .post(`${base}/launch`)
      .set('Authorization', `Bearer ${token}`)
      .expect(409);
    expect(refused.body.message).toContain('save the ROI plan');
    const bad = await api
      .http()
      .put(`${base}/plan`)
      .set('Authorization', `Bearer ${token}`)
      .send({ pickupRate: 1.5 })
      .expect(400);
    expect(bad.body.message).toContain('pickupRate');
    await api
      .http()
      .put(`${base}/plan`)
      .set('Authorization', `Bearer ${token}`)
      .send({ pickupRate: 0.25 })
      .expect(200);
    const launched = await api
      .http()
      .post(`${base}/launch`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(launched.body.status).toBe('active');

    const preview = await api
      .http()
      .post('/api/plan')
      .set('Authorization', `Bearer ${token}`)
      .send({ inputs: { weeksPerMonth: 4 }, patients: 4000 })
      .expect(200);
    expect(preview.body).toMatchObject({ revenuePerMonth: 35000, netPerMonth: 33240, agentsNeeded: 2 });

    const owner = await tokenFor(api, 'north.owner');
    await api.http().get(base).set('Authorization', `Bearer ${owner}`).expect(200);
    await api.http().post(`${base}/pause`).set('Authorization', `Bearer ${owner}`).expect(403);
    const south = await tokenFor(api, 'south.manager');
    await api.http().get(base).set('Authorization', `Bearer ${south}`).expect(404);
    const southId = (await api.app.get(PracticesService).findBySlug('south')).id;
    await api
      .http()
      .get(`/api/practices/${southId}/campaigns/${created.body.id}`)
      .set('Authorization', `Bearer ${south}`)
      .expect(404);
    // An agent of another practice cannot be assigned.
    const southAgent = await db.query(`SELECT id FROM app_user WHERE login = 'south.agent'`);
    const wrong = await api
      .http()
      .patch(base)
      .set('Authorization', `Bearer ${token}`)
      .send({ agentIds: [southAgent[0].id] })
      .expect(400);
    expect(wrong.body.message).toContain('not an active agent of this practice');
  });

  it('an inbound booking closes the open membership and keeps the patient out until the next import', async () => {
    const c = await create('no_show', 'Booked inbound', { agentLogins: ['north.agent1'] });
    await system(() => campaigns.savePlan(practiceId, c.id, {}));
    expect((await system(() => campaigns.transition(practiceId, c.id, 'launch'))).members.open).toBe(1);
    const [s1] = await db.query(`SELECT id FROM patient WHERE practice_id = $1 AND mrn = 'S1'`, [practiceId]);
    const agent = await tokenFor(api, 'north.agent1');
    const res = await api
      .http()
      .post(`/api/practices/${practiceId}/patients/${s1.id}/booked`)
      .set('Authorization', `Bearer ${agent}`)
      .expect(200);
    expect(res.body.closed).toBe(1);
    const after = await campaigns.get(practiceId, c.id);
    expect(after.members).toEqual({ open: 0, total: 1 });
    const other = await create('no_encounters', 'After booking');
    expect(
      (await campaigns.explain(practiceId, other.id, { mrn: 'S1' })).reasons.map((r) => r.reason),
    ).toEqual(['booked_since_import']);
    await system(() => campaigns.transition(practiceId, c.id, 'complete'));
  });

  it('a partner campaign calls the imported contacts of its category', async () => {
    const summary = await system(() =>
      api.app.get(ContactsImportService).importFile(
        practiceId,
        {
          path: path.join(__dirname, 'fixtures/contacts/ok/referring-partners.csv'),
          name: 'referring-partners.csv',
          category: 'existing_partner',
        },
        null,
      ),
    );
    expect(summary.created).toBe(6);
    const c = await create('existing_partners', 'Partners', { agentLogins: ['north.agent2'] });
    expect(c.audience).toBe('contacts');
    const e = await campaigns.eligibility(practiceId, c.id);
    const [{ valid }] = await db.query(
      `SELECT count(*)::int AS valid FROM contact WHERE practice_id = $1 AND phones @> '[{"valid": true}]'`,
      [practiceId],
    );
    expect(e).toMatchObject({ population: 6, candidates: 6, eligible: valid });
    expect(e.exclusions.map((x) => x.reason)).toEqual([
      'do_not_call',
      'no_valid_phone',
      'attempts_exhausted',
      'finished_in_campaign',
    ]);
    // Another category's campaign has no one to call.
    const community = await create('community_outreach', 'Community');
    expect((await campaigns.eligibility(practiceId, community.id)).candidates).toBe(0);
    await system(() => campaigns.savePlan(practiceId, c.id, {}));
    const launched = await system(() => campaigns.transition(practiceId, c.id, 'launch'));
    expect(launched.members).toEqual({ open: valid, total: valid });
    await system(() => campaigns.transition(practiceId, c.id, 'complete'));
  });

  it('renders scripts for a patient and warns about a voicemail that says too much', async () => {
    const c = await create('reactivation', 'Scripts', {
      script:
        'Hi {patient.firstName}, this is {agent.firstName} from {practice.name}. Last seen {lastVisit.date}.',
      voicemailScript: 'Hi {patient.firstName}, your lab results from {provider.name} are in.',
      settings: { callbackNumber: '(312) 555-0199' },
    });
    expect(c.voicemailWarnings.length).toBeGreaterThan(0);
    const [r1] = await db.query(`SELECT id FROM patient WHERE practice_id = $1 AND mrn = 'R1'`, [practiceId]);
    const out = await campaigns.renderScripts(practiceId, c.id, {
      patientId: r1.id,
      agent: { displayName: 'Jo Agent' },
    });
    expect(out.script).toBe('Hi Ruth, this is Jo from north. Last seen January 10, 2025.');
    expect(out.voicemail).toContain('Hi Ruth');
  });
});
