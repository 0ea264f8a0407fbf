import { PracticesService } from '@recall/auth';
import { AuditService } from '@recall/audit';
import { parseConfig } from '@recall/config';
import { FixedClock, Role } from '@recall/core';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { importFiles, launchCampaign } from './support/scenario';
import { planted } from './support/planted';
import { binaryBody, routesOf } from './support/routes';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURE = path.join(__dirname, 'fixtures/privacy/patients.csv');
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

describe('privacy: audit of patient data, search, export, retention, minimum necessary', () => {
  let api: TestApi;
  let db: DataSource;
  let practiceId: string;
  const ids: Record<string, string> = {};
  const tokens: Partial<Record<Role, string>> = {};
  const clock = new FixedClock('2026-06-15T15:00:00Z');
  let seq = 0;

  const call = async (method: string, url: string, role: Role, body?: object) => {
    const requestId = `privacy-${++seq}-${Date.now()}`;
    const http = api.http();
    const req = http[method.toLowerCase() as 'get'](url)
      .set('Authorization', `Bearer ${tokens[role]}`)
      .set('X-Request-Id', requestId)
      .buffer(true)
      .parse(binaryBody);
    const res = await (body ? req.send(body) : req);
    const bytes = res.body as Buffer;
    const text = /gzip/.test(String(res.headers['content-type']))
      ? gunzipSync(bytes).toString()
      : bytes.toString();
    return { status: res.status, text, json: () => JSON.parse(text), requestId };
  };
  const auditRows = async (requestId: string, wait = true) => {
    for (let i = 0; ; i++) {
      const rows = await db.query(`SELECT * FROM audit_event WHERE request_id = $1`, [requestId]);
      if (rows.length || !wait || i > 20) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    await seed(
      api,
      ['north', 'south'],
      [
        { login: 'north.admin', role: Role.Admin, practices: ['north'] },
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.agent', role: Role.Agent, practices: ['north'] },
        { login: 'north.other', role: Role.Agent, practices: ['north'] },
        { login: 'north.owner', role: Role.Owner, practices: ['north'] },
      ],
    );
    db = api.app.get(DataSource);
    practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    await importFiles(api, practiceId, [{ kind: 'patients', path: FIXTURE }]);
    const c = await launchCampaign(api, practiceId, {
      type: 'reactivation',
      name: 'Reactivation',
      agents: ['north.agent'],
      seed: 3,
    });
    ids.campaignId = c.campaignId;
    ids.cycleId = c.cycleId!;
    for (const role of [Role.Admin, Role.Manager, Role.Agent, Role.Owner])
      tokens[role] = await tokenFor(api, `north.${role}`);
    const [agent] = await db.query(`SELECT id FROM app_user WHERE login = 'north.agent'`);
    ids.agentId = agent.id;
    const [z] = await db.query(
      `SELECT p.id AS patient_id, m.id AS member_id, a.id AS assignment_id FROM patient p
       JOIN campaign_member m ON m.patient_id = p.id JOIN cycle_assignment a ON a.member_id = m.id
       WHERE p.mrn = 'MRN-ZQ-4471'`,
    );
    Object.assign(ids, { patientId: z.patient_id, memberId: z.member_id, assignmentId: z.assignment_id });
    const base = `/api/practices/${practiceId}`;
    const noans = await call('POST', `${base}/dispositions`, Role.Agent, {
      memberId: ids.memberId,
      code: 'NOANS',
      idempotencyKey: 'privacy-noans-1',
    });
    expect(noans.status).toBe(201);
    ids.attemptId = noans.json().attemptId ?? noans.json().id;
    const [ob] = await db.query(`SELECT id FROM patient WHERE mrn = 'MRN-OB-7704'`);
    ids.dncPatientId = ob.id;
    expect(
      (await call('POST', `${base}/do-not-call`, Role.Manager, { patientId: ob.id, reason: 'asked' })).status,
    ).toBe(204);
    const [dup] = await db.query(`SELECT id FROM duplicate_candidate`);
    ids.duplicateId = dup?.id ?? SAMPLE_ID;
    const [imp] = await db.query(`SELECT id FROM patient_import`);
    ids.importId = imp.id;
  });
  afterAll(() => api.close());

  it('every route declares how it audits patient data (or that it has none)', () => {
    const undeclared = routesOf(api)
      .filter((r) => !r.audit)
      .map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('walks every GET route with real ids: patient data only where declared, and one audit row per audited request', async () => {
    const params: Record<string, string> = {
      practiceId,
      ...ids,
      mrn: 'MRN-ZQ-4471',
      name: 'funnel',
      reason: 'eligible',
    };
    const queries: Record<string, string> = {
      '/api/practices/:practiceId/cycles/:cycleId/export': `?agentId=${ids.agentId}&format=csv`,
      '/api/practices/:practiceId/campaigns/:campaignId/explain': `?patientId=${ids.patientId}`,
      '/api/practices/:practiceId/campaigns/:campaignId/script': `?patientId=${ids.patientId}`,
      '/api/practices/:practiceId/queue': `?agentId=${ids.agentId}`,
    };
    const problems: string[] = [];
    let audited = 0;
    for (const route of routesOf(api).filter((r) => r.method === 'GET' && !r.isPublic && r.roles?.length)) {
      const role = [Role.Manager, Role.Admin, Role.Owner, Role.Agent].find((r) => route.roles!.includes(r))!;
      const url = route.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(params[p] ?? SAMPLE_ID));
      const res = await call('GET', url + (queries[route.path] ?? ''), role);
      const label = `GET ${route.path} as ${role} → ${res.status}`;
      const rows = await auditRows(res.requestId, route.audit?.kind !== 'none');
      const found = res.status < 300 ? planted(res.text) : [];
      if (route.audit?.kind === 'none') {
        if (found.length)
          problems.push(`${label}: declared without patient data, returned ${found.join(', ')}`);
        continue;
      }
      audited++;
      if (rows.length !== 1) problems.push(`${label}: ${rows.length} audit rows (want 1)`);
      const row = rows[0];
      if (row) {
        const want = res.status < 300 ? 'success' : ['failure', 'denied'];
        if (![want].flat().includes(row.outcome)) problems.push(`${label}: outcome ${row.outcome}`);
        if (route.path.includes(':practiceId') && row.practice_id !== practiceId)
          problems.push(`${label}: practice ${row.practice_id}`);
        if (!row.actor_user_id) problems.push(`${label}: no actor`);
      }
    }
    expect(problems).toEqual([]);
    expect(audited).toBeGreaterThanOrEqual(15);
  });

  it('a list view writes one row naming the records it showed; the record search finds it', async () => {
    const res = await call('GET', `/api/practices/${practiceId}/patients?limit=3`, Role.Manager);
    expect(res.status).toBe(200);
    const shown = res.json().patients.map((p: { id: string }) => p.id);
    expect(shown).toHaveLength(3);
    const [row] = await auditRows(res.requestId);
    expect(row).toMatchObject({
      action: 'patient.list',
      entity_type: 'patient',
      outcome: 'success',
      channel: 'api',
    });
    expect(row.details.ids).toEqual(shown);
    expect(row.occurred_at.toISOString()).toBe(clock.nowDate().toISOString());

    const search = await call('GET', `/api/admin/audit?record=${shown[1]}&action=patient.*`, Role.Admin);
    expect(search.status).toBe(200);
    expect(search.json().items.map((e: { requestId: string }) => e.requestId)).toContain(res.requestId);
  });

  it("records the agent's queue, card and history, and a refused card as denied", async () => {
    const base = `/api/practices/${practiceId}`;
    const queue = await call('GET', `${base}/queue`, Role.Agent);
    expect(queue.status).toBe(200);
    const [q] = await auditRows(queue.requestId);
    expect(q).toMatchObject({ action: 'queue.view', outcome: 'success' });
    expect(q.details.members).toEqual(queue.json().items.map((i: { memberId: string }) => i.memberId));

    const card = await call('GET', `${base}/members/${ids.memberId}/card`, Role.Agent);
    expect(card.status).toBe(200);
    expect(await auditRows(card.requestId)).toMatchObject([
      { action: 'patient.view', entity_id: ids.memberId, outcome: 'success' },
    ]);
    const history = await call('GET', `${base}/attempts?memberId=${ids.memberId}`, Role.Agent);
    expect(history.status).toBe(200);
    const [h] = await auditRows(history.requestId);
    expect(h).toMatchObject({ action: 'attempt.list', outcome: 'success' });
    expect(h.details.ids).toContain(ids.patientId);

    tokens[Role.Agent] = await tokenFor(api, 'north.other');
    try {
      const refused = await call('GET', `${base}/members/${ids.memberId}/card`, Role.Agent);
      expect(refused.status).toBe(403);
      expect(await auditRows(refused.requestId)).toMatchObject([
        { action: 'patient.view', outcome: 'denied', practice_id: practiceId },
      ]);
    } finally {
      tokens[Role.Agent] = await tokenFor(api, 'north.agent');
    }

    // Another practice's path: refused by the practice guard before any handler, still audited.
    const south = (await api.app.get(PracticesService).findBySlug('south')).id;
    const elsewhere = await call('GET', `/api/practices/${south}/members/${ids.memberId}/card`, Role.Agent);
    expect(elsewhere.status).toBe(404);
    expect(await auditRows(elsewhere.requestId)).toMatchObject([
      { action: 'patient.view', outcome: 'denied', practice_id: south, actor_user_id: ids.agentId },
    ]);
  });

  it('keeps patient data out of the audit rows themselves', async () => {
    const rows: { t: string }[] = await db.query(`SELECT row_to_json(e)::text AS t FROM audit_event e`);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.flatMap((r) => planted(r.t))).toEqual([]);
  });

  it('searches by user, outcome, request id and date range, a page at a time, and exports CSV', async () => {
    const all = await call('GET', `/api/admin/audit?limit=1000`, Role.Admin);
    const total = all.json().items.length;
    expect(total).toBeGreaterThan(10);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(
        'GET',
        `/api/admin/audit?limit=4${cursor ? `&cursor=${cursor}` : ''}&to=2026-06-15`,
        Role.Admin,
      );
      expect(page.status).toBe(200);
      seen.push(...page.json().items.map((e: { id: string }) => e.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    // the pages add up to the whole (newer events of the search itself are after `to`? no: same day)
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(total);

    const denied = await call('GET', `/api/admin/audit?outcome=denied`, Role.Admin);
    expect(denied.json().items.length).toBeGreaterThan(0);
    expect(denied.json().items.every((e: { outcome: string }) => e.outcome === 'denied')).toBe(true);
    const byUser = await call('GET', `/api/admin/audit?userId=${ids.agentId}`, Role.Admin);
    expect(byUser.json().items.every((e: { actorUserId: string }) => e.actorUserId === ids.agentId)).toBe(
      true,
    );
    const before = await call('GET', `/api/admin/audit?to=2026-06-14`, Role.Admin);
    expect(before.json().items.filter((e: { action: string }) => e.action !== 'practice.create')).toEqual([]);
    const one = all
      .json()
      .items.find((e: { requestId: string | null }) => e.requestId?.startsWith('privacy-'));
    const byRequest = await call('GET', `/api/admin/audit?requestId=${one.requestId}`, Role.Admin);
    expect(byRequest.json().items.map((e: { id: string }) => e.id)).toEqual([one.id]);
    expect((await call('GET', `/api/admin/audit?cursor=nonsense`, Role.Admin)).status).toBe(400);
    expect((await call('GET', `/api/admin/audit?from=yesterday`, Role.Admin)).status).toBe(400);
    expect((await call('GET', `/api/admin/audit`, Role.Manager)).status).toBe(403);

    const csv = await call('GET', `/api/admin/audit.csv?action=patient.*`, Role.Admin);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'occurred_at,actor_login,actor_user_id,practice_id,action,entity_type,entity_id,outcome,request_id,channel,details',
    );
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.slice(1).every((l) => /,patient\.\w+,/.test(l))).toBe(true);
    expect(await auditRows(csv.requestId)).toMatchObject([{ action: 'audit.export', outcome: 'success' }]);
  });

  it('minimum necessary: owners get figures without patients, agents get no exports', async () => {
    const base = `/api/practices/${practiceId}`;
    for (const name of ['funnel', 'attempts', 'agents', 'dispositions', 'backlog', 'hours']) {
      const res = await call('GET', `${base}/reports/${name}.csv`, Role.Owner);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect({ name, planted: planted(res.text) }).toEqual({ name, planted: [] });
    }
    const drill = await call('GET', `${base}/reports/drilldown/attempts`, Role.Owner);
    expect(drill.status).toBe(200);
    expect(drill.json().items.length).toBeGreaterThan(0);
    expect(drill.json().items[0]).not.toHaveProperty('mrn');
    expect(planted(drill.text)).toEqual([]);
    const managerDrill = await call('GET', `${base}/reports/drilldown/attempts`, Role.Manager);
    expect(managerDrill.json().items[0].mrn).toBe('MRN-ZQ-4471');

    const exports = [
      `${base}/cycles/${ids.cycleId}/export?agentId=${ids.agentId}&format=csv`,
      `${base}/imports/${ids.importId}/rejected.csv`,
      `${base}/export`,
      `/api/admin/audit.csv`,
    ];
    for (const url of exports) {
      const agent = await call('GET', url, Role.Agent);
      expect({ url, agent: agent.status }).toEqual({ url, agent: 403 });
      expect({ url, owner: (await call('GET', url, Role.Owner)).status }).toEqual({ url, owner: 403 });
      // refused by the role check, before the route ran: audited all the same
      expect({ url, audit: await auditRows(agent.requestId) }).toMatchObject({
        url,
        audit: [{ outcome: 'denied', actor_user_id: ids.agentId }],
      });
    }
  });

  describe('retention', () => {
    const insertAged = async (interval: string) => {
      const [row] = await db.query(
        `INSERT INTO audit_event (occurred_at, action, outcome, details)
         VALUES (now() - $1::interval, 'test.aged', 'success', '{}') RETURNING id`,
        [interval],
      );
      return row.id as string;
    };
    const exists = async (id: string) =>
      (await db.query(`SELECT 1 FROM audit_event WHERE id = $1`, [id])).length === 1;

    it('refuses a retention under six years at boot, with a clear message', () => {
      expect(() => parseConfig({ AUDIT_RETENTION_YEARS: '5' })).toThrow(
        /AUDIT_RETENTION_YEARS: .*at least 6.*\(got "5"\)/,
      );
      expect(parseConfig({}).env.AUDIT_RETENTION_YEARS).toBe(6);
      expect(parseConfig({ AUDIT_RETENTION_YEARS: '10' }).env.AUDIT_RETENTION_YEARS).toBe(10);
    });

    it('purges only rows older than the retention; a younger row can never be deleted', async () => {
      const old = await insertAged('7 years');
      const older = await insertAged('11 years');
      const young = await insertAged('5 years 11 months');
      const recent = await insertAged('1 day');
      const audit = api.app.get(AuditService);

      expect(await audit.purgeExpired(10)).toBe(1);
      expect([await exists(older), await exists(old)]).toEqual([false, true]);
      expect(await audit.purgeExpired(6)).toBe(1);
      expect([await exists(old), await exists(young), await exists(recent)]).toEqual([false, true, true]);
      await expect(audit.purgeExpired(5)).rejects.toThrow(/at least 6 years/);
      await expect(db.query(`SELECT audit_event_purge(5)`)).rejects.toThrow(/at least 6 years/);

      // Not by hand either: not without the purge, and not with its setting forged.
      await expect(db.query(`DELETE FROM audit_event WHERE id = $1`, [recent])).rejects.toThrow(
        /append-only/,
      );
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`SELECT set_config('recall.audit_purge_before', '2999-01-01', true)`);
          await tx.query(`DELETE FROM audit_event WHERE id = $1`, [young]);
        }),
      ).rejects.toThrow(/append-only/);
      await expect(db.query(`UPDATE audit_event SET action = 'x' WHERE id = $1`, [young])).rejects.toThrow(
        /append-only/,
      );
      await expect(db.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
      expect([await exists(young), await exists(recent)]).toEqual([true, true]);
    });
  });
});
