import { PracticesService } from '@recall/auth';
import { FixedClock, Role } from '@recall/core';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { importFiles, launchCampaign } from './support/scenario';
import { routesOf, type RouteInfo } from './support/routes';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const FIXTURE = path.join(__dirname, 'fixtures/privacy/patients.csv');
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
}

/** `api.http().get(url)`, `.post(url)`…, by a route's method. */
const request = (api: TestApi, method: string) => (url: string) => api.http()[method as 'post'](url);

/** What an answer to bad input must never hold: stack lines, SQL, driver or ORM errors. */
const INTERNALS = [
  /QueryFailedError/,
  /\n\s+at /,
  /\bat [\w.<>]+ \(/,
  /\b(SELECT|INSERT|UPDATE|DELETE)\b.*\b(FROM|INTO|SET)\b/,
  /violates|syntax error at or near|invalid input syntax|relation "|column "/,
  /node_modules|\.ts:\d+/,
];

/**
 * Every route with a body gets malformed bodies (invalid JSON, wrong types, missing required
 * fields, huge strings, nested junk); every route with an id in its path gets a malformed id.
 * Each must end in a 4xx that names what was wrong, never a 500 or a leak of internals.
 */
describe('bad input: every route answers malformed requests with a clear 4xx', () => {
  let api: TestApi;
  let token: Record<Role, string>;
  const ids: Record<string, string> = {};
  let docs: {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
    components: { schemas: Record<string, Schema> };
  };

  beforeAll(async () => {
    api = await startTestApi({
      clock: new FixedClock('2026-06-15T15:00:00Z'),
      env: { LOGIN_THROTTLE_LIMIT: '1000' },
    });
    await seed(
      api,
      ['north'],
      [Role.Admin, Role.Manager, Role.Agent, Role.Owner].map((role) => ({
        login: `north.${role}`,
        role,
        practices: ['north'],
      })),
    );
    ids.practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    await importFiles(api, ids.practiceId, [{ kind: 'patients', path: FIXTURE }]);
    const c = await launchCampaign(api, ids.practiceId, {
      type: 'reactivation',
      name: 'Bad input',
      agents: ['north.agent'],
      seed: 1,
    });
    ids.campaignId = c.campaignId;
    ids.cycleId = c.cycleId!;
    const db = api.app.get(DataSource);
    const [row] = await db.query(
      `SELECT p.id AS "patientId", m.id AS "memberId", a.id AS "assignmentId" FROM patient p
       JOIN campaign_member m ON m.patient_id = p.id JOIN cycle_assignment a ON a.member_id = m.id LIMIT 1`,
    );
    Object.assign(ids, row);
    const [imp] = await db.query(`SELECT id FROM patient_import`);
    ids.importId = imp.id;
    token = Object.fromEntries(
      await Promise.all(
        [Role.Admin, Role.Manager, Role.Agent, Role.Owner].map(async (r) => [
          r,
          await tokenFor(api, `north.${r}`),
        ]),
      ),
    );
    docs = (await api.http().get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => api.close());

  const roleFor = (route: RouteInfo): Role =>
    [Role.Admin, Role.Manager, Role.Agent, Role.Owner].find((r) => route.roles!.includes(r))!;
  const urlOf = (route: RouteInfo, bad?: string) =>
    route.path.replace(/:(\w+)/g, (_, n: string) =>
      encodeURIComponent(n === bad ? 'not-a-uuid' : (ids[n] ?? (/^(id|\w+Id)$/.test(n) ? SAMPLE_ID : 'x'))),
    );
  const resolve = (s: Schema | undefined): Schema | undefined => {
    if (!s) return s;
    if (s.$ref) return resolve(docs.components.schemas[s.$ref.split('/').pop()!]);
    if (s.allOf)
      return s.allOf.map(resolve).reduce<Schema>(
        (a, b) => ({
          ...a,
          ...b,
          properties: { ...a.properties, ...b?.properties },
          required: [...(a.required ?? []), ...(b?.required ?? [])],
        }),
        {},
      );
    return s;
  };
  const bodySchema = (route: RouteInfo) => {
    const op = docs.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
    const content = op?.requestBody?.content ?? {};
    return {
      multipart: 'multipart/form-data' in content,
      schema: resolve(content['application/json']?.schema),
    };
  };
  const wrongValue = (s: Schema | undefined): unknown =>
    ({
      string: 12345,
      number: 'many',
      integer: 'many',
      boolean: 'maybe',
      object: 'not-an-object',
      array: 'not-an-array',
    })[resolve(s)?.type ?? 'string'] ?? 12345;

  const problemsOf = async (
    route: RouteInfo,
    label: string,
    res: { status: number; text: string },
    names: RegExp,
  ): Promise<string[]> => {
    const out: string[] = [];
    const where = `${route.method} ${route.path} ${label} → ${res.status}`;
    if (![400, 404, 413, 415, 422].includes(res.status)) out.push(`${where}: ${res.text.slice(0, 200)}`);
    else if (!names.test(res.text)) out.push(`${where}: does not name it: ${res.text.slice(0, 200)}`);
    for (const re of INTERNALS)
      if (re.test(res.text)) out.push(`${where}: leaks ${re}: ${res.text.slice(0, 200)}`);
    return out;
  };

  const writes = () =>
    routesOf(api).filter(
      (r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !r.isPublic && r.roles?.length,
    );

  it('refuses invalid JSON, a body that is not an object, and nested junk, naming the body or field', async () => {
    const problems: string[] = [];
    let tried = 0;
    for (const route of writes()) {
      if (route.path === '/api/auth/logout') continue;
      const { multipart, schema } = bodySchema(route);
      const auth = `Bearer ${token[roleFor(route)]}`;
      const raw = (text: string) =>
        request(
          api,
          route.method.toLowerCase(),
        )(urlOf(route))
          .set('Authorization', auth)
          .set('Content-Type', 'application/json')
          .send(text);
      tried++;
      const invalid = await raw('{"name": "x", ');
      problems.push(...(await problemsOf(route, 'invalid JSON', invalid, /body|JSON/i)));
      // a route without a JSON body never reads one
      if (multipart || !schema) continue;
      const junk = await raw(JSON.stringify({ zzJunk: { $where: { nested: [1, { deeper: true }] } } }));
      problems.push(...(await problemsOf(route, 'nested junk', junk, /zzJunk|body|\w+ (must|should)/i)));
      for (const notObject of ['[1, 2]', '"text"', '42'])
        problems.push(
          ...(await problemsOf(route, `body ${notObject}`, await raw(notObject), /body|\w+ (must|should)/i)),
        );
    }
    expect(problems).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(30);
  });

  it('refuses wrong types, missing required fields and huge strings, naming the field', async () => {
    const problems: string[] = [];
    let fields = 0;
    for (const route of writes()) {
      const { multipart, schema } = bodySchema(route);
      if (multipart || !schema?.properties || route.path === '/api/auth/logout') continue;
      const auth = `Bearer ${token[roleFor(route)]}`;
      const send = (body: unknown) =>
        request(
          api,
          route.method.toLowerCase(),
        )(urlOf(route))
          .set('Authorization', auth)
          .send(body as object);
      if (schema.required?.length) {
        const res = await send({});
        problems.push(...(await problemsOf(route, 'empty body', res, new RegExp(schema.required.join('|')))));
      }
      for (const [name, prop] of Object.entries(schema.properties)) {
        fields++;
        const wrong = await send({ [name]: wrongValue(prop) });
        problems.push(
          ...(await problemsOf(route, `${name}: wrong type`, wrong, new RegExp(`\\b${name}\\b`))),
        );
        if (resolve(prop)?.type === 'string' || !resolve(prop)?.type) {
          const huge = await send({ [name]: 'x'.repeat(200_000) });
          problems.push(
            ...(await problemsOf(route, `${name}: huge string`, huge, new RegExp(`\\b${name}\\b`))),
          );
        }
      }
    }
    expect(problems).toEqual([]);
    expect(fields).toBeGreaterThanOrEqual(40);
  });

  it('refuses a body past the JSON size limit with 413 naming the body and the limit', async () => {
    const res = await api
      .http()
      .post(`/api/practices/${ids.practiceId}/remarks/screen`)
      .set('Authorization', `Bearer ${token[Role.Agent]}`)
      .send({ text: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/body.*1024 KB.*BODY_MAX_KB/);
    expect(res.text).not.toMatch(/\n\s+at /);
  });

  it('refuses a malformed id in any path with 400 naming the parameter (a malformed practice is 404)', async () => {
    const problems: string[] = [];
    let tried = 0;
    for (const route of routesOf(api).filter((r) => !r.isPublic && r.roles?.length)) {
      if (route.path === '/api/auth/logout') continue;
      for (const [, name] of route.path.matchAll(/:(\w+)/g)) {
        if (!/^(id|\w+Id)$/.test(name)) continue;
        tried++;
        const res = await request(
          api,
          route.method.toLowerCase(),
        )(urlOf(route, name))
          .set('Authorization', `Bearer ${token[roleFor(route)]}`)
          .send(route.method === 'GET' ? undefined : {});
        if (name === 'practiceId') {
          if (res.status !== 404) problems.push(`${route.method} ${route.path} :practiceId → ${res.status}`);
          continue;
        }
        if (res.status !== 400 || !res.text.includes(name))
          problems.push(`${route.method} ${route.path} :${name} → ${res.status} ${res.text.slice(0, 150)}`);
        for (const re of INTERNALS) if (re.test(res.text)) problems.push(`${route.path}: leaks ${re}`);
      }
    }
    expect(problems).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(60);
  });
});
