import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ROLES, Role } from '@recall/core';
import { PUBLIC_KEY, ROLES_KEY } from '../apps/api/src/http/policy.decorators';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

interface RouteInfo {
  method: string;
  path: string;
  roles?: Role[];
  isPublic: boolean;
}

/** Every HTTP route with its declared policy, read from the router's own metadata. */
function routesOf(api: TestApi): RouteInfo[] {
  const discovery = new DiscoveryService(api.app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = instance[name];
      const sub = Reflect.getMetadata(PATH_METADATA, handler);
      if (sub === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const path = `/${[base, sub].filter((s) => s && s !== '/').join('/')}`.replace(/\/+/g, '/');
      const roles = Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, metatype);
      const isPublic = Boolean(
        Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, metatype),
      );
      routes.push({ method, path, roles, isPublic });
    }
  }
  return routes;
}

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

describe('access control', () => {
  let api: TestApi;
  const tokens: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    api = await startTestApi({ env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    await seed(
      api,
      ['north', 'south'],
      [
        ...ROLES.map((role) => ({ login: `north.${role}`, role, practices: ['north'] })),
        { login: 'south.admin', role: Role.Admin, practices: ['south'] },
        { login: 'south.agent', role: Role.Agent, practices: ['south'] },
      ],
    );
    for (const role of ROLES) tokens[role] = await tokenFor(api, `north.${role}`);
  });
  afterAll(() => api.close());

  it('finds the routes, and every one declares a policy', () => {
    const routes = routesOf(api);
    expect(routes.length).toBeGreaterThanOrEqual(12);
    const undeclared = routes
      .filter((r) => !r.isPublic && !r.roles?.length)
      .map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('enforces route × role: 401 without a session, 403 for other roles, never 401/403 for allowed ones', async () => {
    const failures: string[] = [];
    for (const route of routesOf(api).filter((r) => !r.isPublic)) {
      const path = route.path.replace(/:\w+/g, SAMPLE_ID);
      const call = (token?: string) => {
        const req = api.http()[route.method.toLowerCase() as 'get'](path);
        return (token ? req.set('Authorization', `Bearer ${token}`) : req).send({});
      };
      const anonymous = await call();
      if (anonymous.status !== 401)
        failures.push(`${route.method} ${route.path} anonymous → ${anonymous.status}`);
      for (const role of ROLES) {
        // signing out ends the session, so that route gets a session of its own
        const token = route.path === '/api/auth/logout' ? await tokenFor(api, `north.${role}`) : tokens[role];
        const res = await call(token);
        const allowed = route.roles!.includes(role);
        const ok = allowed ? ![401, 403].includes(res.status) : res.status === 403;
        if (!ok) failures.push(`${route.method} ${route.path} as ${role} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("keeps an admin out of another practice's users and practices", async () => {
    const north = tokens[Role.Admin]!;
    const southAdmin = await tokenFor(api, 'south.admin');
    const southUsers = await api
      .http()
      .get('/api/users')
      .set('Authorization', `Bearer ${southAdmin}`)
      .expect(200);
    const southAgent = southUsers.body.items.find((u: { login: string }) => u.login === 'south.agent');
    expect(southUsers.body.items.map((u: { login: string }) => u.login).sort()).toEqual([
      'south.admin',
      'south.agent',
    ]);

    const northUsers = await api.http().get('/api/users').set('Authorization', `Bearer ${north}`).expect(200);
    expect(northUsers.body.items.some((u: { login: string }) => u.login.startsWith('south.'))).toBe(false);

    const auth = { Authorization: `Bearer ${north}` };
    await api.http().get(`/api/users/${southAgent.id}`).set(auth).expect(404);
    await api.http().patch(`/api/users/${southAgent.id}`).set(auth).send({ isActive: false }).expect(404);
    await api.http().post(`/api/users/${southAgent.id}/password`).set(auth).send({}).expect(404);
    await api.http().post(`/api/users/${southAgent.id}/revoke-sessions`).set(auth).expect(404);
    const intoSouth = await api
      .http()
      .post('/api/users')
      .set(auth)
      .send({ login: 'sneaky', role: 'agent', practiceSlugs: ['south'] })
      .expect(400);
    expect(intoSouth.body.message).toMatch(/unknown practice: south/);

    const practices = await api.http().get('/api/practices').set(auth).expect(200);
    expect(practices.body.items.map((p: { slug: string }) => p.slug)).toEqual(['north']);
    const audit = await api.http().get('/api/admin/audit').set(auth).expect(200);
    expect(audit.body.items.some((e: { actorLogin: string }) => e.actorLogin?.startsWith('south.'))).toBe(
      false,
    );

    // and south's agent is untouched
    await tokenFor(api, 'south.agent');
  });

  it('lets an admin create a practice, joining it, and manage users there', async () => {
    const auth = { Authorization: `Bearer ${tokens[Role.Admin]}` };
    await api
      .http()
      .post('/api/practices')
      .set(auth)
      .send({ slug: 'east', timezone: 'Mars/Olympus' })
      .expect(400);
    await api
      .http()
      .post('/api/practices')
      .set(auth)
      .send({ slug: 'east', timezone: 'America/Denver' })
      .expect(201);
    await api
      .http()
      .post('/api/practices')
      .set(auth)
      .send({ slug: 'east', timezone: 'America/Denver' })
      .expect(409);
    const created = await api
      .http()
      .post('/api/users')
      .set(auth)
      .send({ login: 'east.agent', role: 'agent', practiceSlugs: ['east', 'north'] })
      .expect(201);
    expect(created.body.user.practices.map((p: { slug: string }) => p.slug)).toEqual(['east', 'north']);
    expect(created.body.generatedPassword).toBeTruthy();
  });

  it('does not let an admin lock themselves out', async () => {
    const auth = { Authorization: `Bearer ${tokens[Role.Admin]}` };
    const me = await api.http().get('/api/auth/me').set(auth).expect(200);
    await api.http().patch(`/api/users/${me.body.user.id}`).set(auth).send({ isActive: false }).expect(400);
    await api.http().patch(`/api/users/${me.body.user.id}`).set(auth).send({ role: 'agent' }).expect(400);
  });
});
