import { PracticesService } from '@recall/auth';
import { FixedClock, Role } from '@recall/core';
import { QA_CRITERIA } from '@recall/quality';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { asSystem, importFiles, launchCampaign } from './support/scenario';
import { planted } from './support/planted';
import { binaryBody, routesOf, type RouteInfo } from './support/routes';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURE = path.join(__dirname, 'fixtures/privacy/patients.csv');

/** `api.http().get(url)`, `.post(url)`…, by a route's method. */
const request = (api: TestApi, method: string) => (url: string) => api.http()[method as 'post'](url);

/** A multipart upload of one small file. */
class Upload {
  constructor(
    readonly field: string,
    readonly filename: string,
    readonly content: string,
    readonly fields: Record<string, string> = {},
  ) {}
}

/**
 * Practice A ("north") tries every route of the router against practice B ("south"): with B in
 * the path, and with A in the path but B's record ids, as A's admin, manager and agent. Every
 * try is refused (403/404) or, where nothing of B is named in the path, answers without a
 * trace of B; afterwards B's data is exactly as it was.
 */
describe('practice isolation: every route, as practice A, against practice B', () => {
  let api: TestApi;
  let db: DataSource;
  const clock = new FixedClock('2026-06-15T15:00:00Z');
  const A: Record<string, string> = {};
  const B: Record<string, string> = {};
  const tokens: Partial<Record<Role, string>> = {};
  let bSecrets: string[] = [];

  const send = async (
    method: string,
    url: string,
    token: string,
    body?: object | Upload,
  ): Promise<{ status: number; text: string }> => {
    let req = request(
      api,
      method.toLowerCase(),
    )(url)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(binaryBody);
    if (body instanceof Upload) {
      for (const [k, v] of Object.entries(body.fields)) req = req.field(k, v);
      req = req.attach(body.field, Buffer.from(body.content), body.filename);
    }
    const res = await (body && !(body instanceof Upload) ? req.send(body) : req);
    const bytes = res.body as Buffer;
    const text = /gzip/.test(String(res.headers['content-type']))
      ? gunzipSync(bytes).toString()
      : bytes.toString();
    return { status: res.status, text };
  };

  /** What of B the database holds, row by row; compared before and after the attack. */
  const snapshotB = () =>
    asSystem(async () => {
      const out: Record<string, unknown> = {};
      // Every table that holds practice rows (a future one included); the audit log grows by design.
      const tables: { table_name: string }[] = await db.query(
        `SELECT table_name FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name = 'practice_id' AND table_name <> 'audit_event'
         ORDER BY table_name`,
      );
      for (const { table_name: table } of tables)
        out[table] = await db.query(
          `SELECT to_jsonb(t) AS row FROM ${table} t WHERE practice_id = $1 ORDER BY to_jsonb(t)::text`,
          [B.practiceId],
        );
      out.practice = await db.query(`SELECT to_jsonb(p) AS row FROM practice p WHERE id = $1`, [
        B.practiceId,
      ]);
      out.users = await db.query(
        `SELECT u.id, u.is_active, u.role, u.password_hash,
                (SELECT count(*)::int FROM session s WHERE s.user_id = u.id AND s.revoked_at IS NULL) AS sessions
         FROM app_user u JOIN user_practice up ON up.user_id = u.id WHERE up.practice_id = $1 ORDER BY u.id`,
        [B.practiceId],
      );
      return out;
    });

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    db = api.app.get(DataSource);
    await seed(
      api,
      ['north', 'south'],
      [
        { login: 'north.admin', role: Role.Admin, practices: ['north'] },
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.agent', role: Role.Agent, practices: ['north'] },
        { login: 'south.admin', role: Role.Admin, practices: ['south'] },
        { login: 'south.manager', role: Role.Manager, practices: ['south'] },
        { login: 'south.agent', role: Role.Agent, practices: ['south'] },
      ],
    );
    const practices = api.app.get(PracticesService);
    A.practiceId = (await practices.findBySlug('north')).id;
    B.practiceId = (await practices.findBySlug('south')).id;

    // B: patients (the planted ones), a launched campaign with a cycle, an attempt, an
    // escalation, a QA review, a mapping profile, a do-not-call entry.
    await importFiles(api, B.practiceId, [{ kind: 'patients', path: FIXTURE }]);
    const c = await launchCampaign(api, B.practiceId, {
      type: 'reactivation',
      name: 'South reactivation',
      agents: ['south.agent'],
      seed: 3,
    });
    B.campaignId = c.campaignId;
    B.cycleId = c.cycleId!;
    // A: a campaign of its own, so A's lists are not empty by accident.
    await launchCampaign(api, A.practiceId, { type: 'reactivation', name: 'North', agents: ['north.agent'] });

    const [z] = await db.query(
      `SELECT p.id AS patient_id, m.id AS member_id, a.id AS assignment_id, a.agent_id FROM patient p
       JOIN campaign_member m ON m.patient_id = p.id JOIN cycle_assignment a ON a.member_id = m.id
       WHERE p.mrn = 'MRN-ZQ-4471' AND p.practice_id = $1`,
      [B.practiceId],
    );
    Object.assign(B, {
      patientId: z.patient_id,
      memberId: z.member_id,
      assignmentId: z.assignment_id,
      agentId: z.agent_id,
    });
    const south = {
      admin: await tokenFor(api, 'south.admin'),
      manager: await tokenFor(api, 'south.manager'),
      agent: await tokenFor(api, 'south.agent'),
    };
    const bBase = `/api/practices/${B.practiceId}`;
    // A call on B's patient with a transfer tried on it (saved by the NOANS below).
    const group = await send('POST', `${bBase}/transfer-groups`, south.manager, {
      name: 'South billing',
      phone: '+13125550100',
    });
    expect(group.status).toBe(201);
    B.groupId = JSON.parse(group.text).id;
    // (the patient's day in the cycle may not be today: the call is written as "call started" would)
    const [started] = await asSystem(() =>
      db.query(
        `INSERT INTO call_start (practice_id, assignment_id, member_id, patient_id, agent_id, phone, started_at)
         VALUES ($1, $2, $3, $4, $5, '+13125550123', $6) RETURNING id`,
        [B.practiceId, B.assignmentId, B.memberId, B.patientId, B.agentId, clock.nowDate()],
      ),
    );
    B.transferCallId = started.id;
    const transfer = await send('POST', `${bBase}/calls/${B.transferCallId}/transfers`, south.agent, {
      groupId: B.groupId,
      kind: 'warm',
      outcome: 'no_answer',
    });
    expect(transfer.status).toBe(201);
    const noans = await send('POST', `${bBase}/dispositions`, south.agent, {
      memberId: B.memberId,
      code: 'NOANS',
      remarks: 'talk to my lawyer',
      idempotencyKey: 'isolation-noans-1',
    });
    expect(noans.status).toBe(201);
    B.attemptId = JSON.parse(noans.text).attemptId ?? JSON.parse(noans.text).id;
    const ticket = await send('POST', `${bBase}/escalations/tickets`, south.agent, {
      reason: 'please call back the manager',
      memberId: B.memberId,
    });
    expect(ticket.status).toBeLessThan(300);
    const [esc] = await db.query(`SELECT id FROM escalation WHERE practice_id = $1 LIMIT 1`, [B.practiceId]);
    B.escalationId = esc.id;
    const review = await send('POST', `${bBase}/qa/reviews`, south.manager, { attemptId: B.attemptId });
    expect(review.status).toBeLessThan(300);
    const [rev] = await db.query(`SELECT id FROM qa_review WHERE practice_id = $1 LIMIT 1`, [B.practiceId]);
    B.reviewId = rev.id;
    const profile = await send('PUT', `${bBase}/mapping-profiles/south-profile`, south.manager, {
      mapping: { patients: { columns: { patientId: 'MRN' } } },
    });
    expect(profile.status).toBeLessThan(300);
    const [ob] = await db.query(`SELECT id FROM patient WHERE mrn = 'MRN-OB-7704' AND practice_id = $1`, [
      B.practiceId,
    ]);
    B.dncPatientId = ob.id;
    expect(
      (await send('POST', `${bBase}/do-not-call`, south.manager, { patientId: ob.id, reason: 'asked' }))
        .status,
    ).toBe(204);
    const [imp] = await db.query(`SELECT id FROM patient_import WHERE practice_id = $1`, [B.practiceId]);
    B.importId = imp.id;
    const [dup] = await db.query(`SELECT id FROM duplicate_candidate WHERE practice_id = $1 LIMIT 1`, [
      B.practiceId,
    ]);
    // The fixture has no duplicate pair of its own: one is made for B, as an import would.
    B.duplicateId =
      dup?.id ??
      (
        await asSystem(() =>
          db.query(
            `INSERT INTO duplicate_candidate (practice_id, patient_id_a, patient_id_b, reason, status)
             VALUES ($1, LEAST($2::uuid, $3::uuid), GREATEST($2::uuid, $3::uuid), 'name_birth_date', 'open')
             RETURNING id`,
            [B.practiceId, B.patientId, B.dncPatientId],
          ),
        )
      )[0].id;
    const [user] = await db.query(`SELECT id FROM app_user WHERE login = 'south.agent'`);
    B.userId = user.id;
    // A call B's agent started (the identity check names it).
    const [call] = await asSystem(() =>
      db.query(
        `INSERT INTO call_start (practice_id, assignment_id, member_id, patient_id, agent_id, phone, started_at)
         VALUES ($1, $2, $3, $4, $5, '+13125550100', $6) RETURNING id`,
        [B.practiceId, B.assignmentId, B.memberId, B.patientId, B.agentId, clock.nowDate()],
      ),
    );
    B.callStartId = call.id;

    for (const role of [Role.Admin, Role.Manager, Role.Agent])
      tokens[role] = await tokenFor(api, `north.${role}`);

    // Everything of B that must never show up in A's answers: every id B owns, its logins, planted names.
    const idRows = await asSystem(() =>
      db.query(
        `SELECT id::text FROM patient WHERE practice_id = $1 UNION ALL
         SELECT id::text FROM campaign_member WHERE practice_id = $1 UNION ALL
         SELECT id::text FROM cycle_assignment WHERE practice_id = $1 UNION ALL
         SELECT id::text FROM call_attempt WHERE practice_id = $1`,
        [B.practiceId],
      ),
    );
    bSecrets = [
      ...new Set([...Object.values(B), ...idRows.map((r: { id: string }) => r.id)]),
      'south.admin',
      'south.manager',
      'south.agent',
      'South reactivation',
      'south-profile',
      'South billing',
    ];
  });
  afterAll(() => api.close());

  /** The value of each path parameter, from B's data; a parameter not listed here fails the test. */
  const paramFor = (route: RouteInfo, name: string, practiceId: string): string => {
    if (name === 'name') return route.path.includes('/reports/') ? 'funnel' : 'south-profile';
    const value: Record<string, string | undefined> = {
      practiceId,
      campaignId: B.campaignId,
      cycleId: B.cycleId,
      importId: B.importId,
      patientId: route.path.includes('do-not-call') ? B.dncPatientId : B.patientId,
      memberId: B.memberId,
      attemptId: B.attemptId,
      assignmentId: B.assignmentId,
      duplicateId: B.duplicateId,
      reviewId: B.reviewId,
      callStartId: B.callStartId,
      groupId: B.groupId,
      mrn: 'MRN-ZQ-4471',
      reason: 'eligible',
      id: route.path.startsWith('/api/users') ? B.userId : B.escalationId,
    };
    if (!(name in value))
      throw new Error(`${route.method} ${route.path}: no practice-B value for :${name}; add one here`);
    return value[name]!;
  };

  /** Bodies and queries that name B's records, for routes that take them outside the path. */
  const bodyFor = (route: RouteInfo): object | Upload | undefined => {
    const p = route.path;
    const bodies: Record<string, object | Upload> = {
      'POST /api/practices/:practiceId/imports': new Upload('patients', 'p.csv', 'MRN,First,Last\nX1,A,B\n'),
      'POST /api/practices/:practiceId/imports/:importId/start': { mapping: {} },
      'POST /api/practices/:practiceId/cycles/:cycleId/sheets': new Upload(
        'file',
        'sheet.csv',
        'MRN,Disposition\nMRN-ZQ-4471,NOANS\n',
        { agentId: B.agentId },
      ),
      'POST /api/practices/:practiceId/contacts/import': new Upload(
        'file',
        'c.csv',
        'Organisation,Phone\nX,3125550100\n',
        {
          category: 'existing_partner',
        },
      ),
      'POST /api/practices/:practiceId/dispositions': {
        memberId: B.memberId,
        code: 'NOANS',
        idempotencyKey: `iso-${Math.random()}`,
      },
      'POST /api/practices/:practiceId/attempts/:attemptId/corrections': {
        code: 'LVM',
        idempotencyKey: `iso-${Math.random()}`,
      },
      'POST /api/practices/:practiceId/do-not-call': { patientId: B.patientId, reason: 'x' },
      'POST /api/practices/:practiceId/do-not-call/:patientId/lift': { reason: 'asked to be called again' },
      'POST /api/practices/:practiceId/escalations/tickets': { reason: 'x', memberId: B.memberId },
      'POST /api/practices/:practiceId/escalations/:id/resolve': { resolution: 'x' },
      'POST /api/practices/:practiceId/qa/reviews': { attemptId: B.attemptId },
      'POST /api/practices/:practiceId/calls/:callStartId/identity': { checks: { name: true, dob: true } },
      'PUT /api/practices/:practiceId/protocol/identity': { fields: ['name'] },
      'POST /api/practices/:practiceId/calls/:callStartId/transfers': {
        groupId: B.groupId,
        kind: 'warm',
        outcome: 'unavailable',
      },
      'POST /api/practices/:practiceId/transfer-groups': { name: 'Sneaky', phone: '+13125550199' },
      'PATCH /api/practices/:practiceId/transfer-groups/:groupId': { name: 'renamed' },
      'PUT /api/practices/:practiceId/protocol/deescalation': { reset: true },
      'POST /api/practices/:practiceId/absences': { userId: B.agentId, from: '2026-06-16', to: '2026-06-17' },
      'PUT /api/practices/:practiceId/qa/reviews/:reviewId/score': {
        scores: Object.fromEntries(QA_CRITERIA.map((c) => [c.key, 4])),
        codeCorrect: true,
      },
      'POST /api/practices/:practiceId/campaigns': {
        type: 'reactivation',
        name: 'x',
        agentIds: [B.agentId],
      },
      'PATCH /api/practices/:practiceId/campaigns/:campaignId': { name: 'renamed' },
      'POST /api/practices/:practiceId/campaigns/:campaignId/cycles': { seed: 1 },
      'POST /api/practices/:practiceId/duplicates/:duplicateId/merge': { survivorId: B.patientId },
      'POST /api/practices/:practiceId/erase': { confirm: 'south' },
      'POST /api/users': { login: 'sneaky', role: 'agent', practiceSlugs: ['south'] },
      'PATCH /api/users/:id': { isActive: false },
      'POST /api/users/:id/password': { password: 'another-long-password-1' },
    };
    const key = `${route.method} ${p}`;
    if (key in bodies) return bodies[key];
    return ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
  };
  const queryFor = (route: RouteInfo): string =>
    ({
      '/api/practices/:practiceId/cycles/:cycleId/export': `?agentId=${B.agentId}&format=csv`,
      '/api/practices/:practiceId/campaigns/:campaignId/explain': `?patientId=${B.patientId}`,
      '/api/practices/:practiceId/campaigns/:campaignId/script': `?patientId=${B.patientId}`,
      '/api/practices/:practiceId/queue': `?agentId=${B.agentId}`,
      '/api/practices/:practiceId/attempts': `?memberId=${B.memberId}`,
      '/api/practices/:practiceId/qa/reviews': `?agentId=${B.agentId}`,
      '/api/practices/:practiceId/qa/calls': `?agentId=${B.agentId}`,
      '/api/admin/audit': `?practiceId=${B.practiceId}`,
      '/api/admin/audit.csv': `?practiceId=${B.practiceId}`,
    })[route.path] ?? '';

  it('walks every route: refused with B in the path, and never a trace of B in an answer', async () => {
    const before = await snapshotB();
    const routes = routesOf(api).filter((r) => !r.isPublic);
    expect(routes.length).toBeGreaterThanOrEqual(60);
    const problems: string[] = [];
    let refusals = 0;
    for (const route of routes) {
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      const namesB = names.filter((n) => n !== 'practiceId' && n !== 'reason' && n !== 'name');
      const variants: { label: string; practiceId: string; mustRefuse: boolean }[] = names.includes(
        'practiceId',
      )
        ? [
            { label: "B's practice", practiceId: B.practiceId, mustRefuse: true },
            { label: "A's practice, B's ids", practiceId: A.practiceId, mustRefuse: namesB.length > 0 },
          ]
        : [{ label: "B's ids", practiceId: A.practiceId, mustRefuse: namesB.length > 0 }];
      for (const variant of variants)
        for (const role of [Role.Admin, Role.Manager, Role.Agent]) {
          const url =
            route.path.replace(/:(\w+)/g, (_, n: string) =>
              encodeURIComponent(paramFor(route, n, variant.practiceId)),
            ) + queryFor(route);
          // signing out ends the session, so that route gets a session of its own
          const token =
            route.path === '/api/auth/logout' ? await tokenFor(api, `north.${role}`) : tokens[role]!;
          const body = bodyFor(route);
          const res = await send(route.method, url, token, body);
          const label = `${route.method} ${route.path} (${variant.label}) as ${role} → ${res.status}`;
          if (res.status >= 500) problems.push(`${label}: server error`);
          if (variant.mustRefuse) {
            if (![403, 404].includes(res.status)) problems.push(`${label}: not refused`);
            else refusals++;
          }
          // A refusal may repeat what the caller sent ("patient MRN-… not found"); nothing else of B.
          const sent = decodeURIComponent(url) + JSON.stringify(body ?? {});
          const echoed = (s: string) => res.status >= 400 && sent.includes(s);
          const leaked = [...planted(res.text), ...bSecrets].filter(
            (s) => res.text.includes(s) && !echoed(s),
          );
          if (leaked.length) problems.push(`${label}: answer holds B's ${[...new Set(leaked)].join(', ')}`);
        }
    }
    expect(problems).toEqual([]);
    expect(refusals).toBeGreaterThanOrEqual(100);
    expect(await snapshotB()).toEqual(before);
    // Every route, twice, as three roles: hundreds of requests (slow on a loaded machine).
  }, 180_000);

  it("B's own users still see and change their data (the refusals are not blanket)", async () => {
    const token = await tokenFor(api, 'south.manager');
    const res = await send('GET', `/api/practices/${B.practiceId}/campaigns/${B.campaignId}`, token);
    expect(res.status).toBe(200);
    expect(res.text).toContain('South reactivation');
    const card = await send('GET', `/api/practices/${B.practiceId}/members/${B.memberId}/card`, token);
    expect(card.status).toBe(200);
    expect(planted(card.text).length).toBeGreaterThan(0);
  });

  it('an unknown path parameter fails loudly instead of being skipped', () => {
    expect(() =>
      paramFor({ method: 'GET', path: '/api/x/:widgetId', isPublic: false }, 'widgetId', A.practiceId),
    ).toThrow(/no practice-B value for :widgetId/);
  });
});
