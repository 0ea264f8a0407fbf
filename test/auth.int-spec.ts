import { FixedClock, Role } from '@recall/core';
import { DataSource } from 'typeorm';
import { PASSWORD, seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const cookieOf = (res: { headers: Record<string, unknown> }): string =>
  ((res.headers['set-cookie'] as string[]) ?? []).map((c) => c.split(';')[0]).join('; ');

describe('sign-in, sessions and the audit log', () => {
  const clock = new FixedClock('2026-03-02T14:00:00Z');
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    await seed(
      api,
      ['north'],
      [
        { login: 'ann.admin', role: Role.Admin, practices: ['north'] },
        { login: 'mo.manager', role: Role.Manager, practices: ['north'] },
      ],
    );
  });
  afterAll(() => api.close());
  beforeEach(() => clock.set('2026-03-02T14:00:00Z'));

  it('signs in with a cookie, knows the user, and signs out', async () => {
    const login = await api
      .http()
      .post('/api/auth/login')
      .send({ login: 'Mo.Manager', password: PASSWORD })
      .expect(200);
    expect(login.body.user).toMatchObject({
      login: 'mo.manager',
      role: 'manager',
      practices: [{ slug: 'north' }],
    });
    const setCookie = (login.headers['set-cookie'] as unknown as string[])[0];
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = cookieOf(login);

    await api.http().get('/api/auth/me').set('Cookie', cookie).expect(200);
    // a state-changing request with the cookie but without the CSRF header is refused
    await api.http().post('/api/auth/logout').set('Cookie', cookie).expect(403);
    await api.http().post('/api/auth/logout').set('Cookie', cookie).set('X-Recall-CSRF', '1').expect(204);
    await api.http().get('/api/auth/me').set('Cookie', cookie).expect(401);
  });

  it('refuses a wrong password or unknown login with the same answer', async () => {
    const wrong = await api
      .http()
      .post('/api/auth/login')
      .send({ login: 'mo.manager', password: 'nope-nope-nope' });
    const unknown = await api
      .http()
      .post('/api/auth/login')
      .send({ login: 'nobody', password: 'nope-nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toEqual(unknown.body.message);
  });

  it('ends a session after 15 idle minutes, but not while it is in use', async () => {
    const token = await tokenFor(api, 'mo.manager');
    const me = () => api.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`);
    clock.advance({ minutes: 14 });
    await me().expect(200);
    clock.advance({ minutes: 14 }); // 28 minutes since sign-in, 14 since the last request
    await me().expect(200);
    clock.advance({ minutes: 15, seconds: 1 });
    await me().expect(401);
    clock.advance({ minutes: -20 }); // even if the clock went back, the session stays closed
    await me().expect(401);
  });

  it('ends every session at its absolute lifetime even when active', async () => {
    const token = await tokenFor(api, 'mo.manager');
    for (let i = 0; i < 12 * 5; i++) {
      clock.advance({ minutes: 12 });
      const res = await api.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`);
      if (i < 59) expect(res.status).toBe(200);
      else expect(res.status).toBe(401); // 12 h reached
    }
  });

  it('revokes the sessions of a user whose password changes', async () => {
    const admin = await tokenFor(api, 'ann.admin');
    const manager = await tokenFor(api, 'mo.manager');
    const users = await api.http().get('/api/users').set('Authorization', `Bearer ${admin}`).expect(200);
    const mo = users.body.items.find((u: { login: string }) => u.login === 'mo.manager');
    const reset = await api
      .http()
      .post(`/api/users/${mo.id}/password`)
      .set('Authorization', `Bearer ${admin}`)
      .send({})
      .expect(200);
    expect(reset.body.generatedPassword).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
    await api.http().get('/api/auth/me').set('Authorization', `Bearer ${manager}`).expect(401);
    await tokenFor(api, 'mo.manager', reset.body.generatedPassword);
    await api
      .http()
      .post(`/api/users/${mo.id}/password`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ password: PASSWORD })
      .expect(200);
  });

  it('keeps a user signed in when an edit leaves the role as it was, and signs them out when it changes', async () => {
    const admin = await tokenFor(api, 'ann.admin');
    const manager = await tokenFor(api, 'mo.manager');
    const users = await api.http().get('/api/users').set('Authorization', `Bearer ${admin}`).expect(200);
    const mo = users.body.items.find((u: { login: string }) => u.login === 'mo.manager');
    const edit = (body: object) =>
      api.http().patch(`/api/users/${mo.id}`).set('Authorization', `Bearer ${admin}`).send(body).expect(200);
    await edit({ displayName: 'Mo M.', role: 'manager' });
    await api.http().get('/api/auth/me').set('Authorization', `Bearer ${manager}`).expect(200);
    await edit({ role: 'owner' });
    await api.http().get('/api/auth/me').set('Authorization', `Bearer ${manager}`).expect(401);
    await edit({ role: 'manager', displayName: 'Mo Manager' });
  });

  it('rejects a weak password with the rule it breaks', async () => {
    const admin = await tokenFor(api, 'ann.admin');
    const res = await api
      .http()
      .post('/api/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ login: 'weak.one', role: 'agent', practiceSlugs: ['north'], password: 'short' })
      .expect(400);
    expect(res.body.message).toMatch(/password: must be at least 12 characters/);
  });

  it('writes audit rows for sign-ins, failures, sign-outs and user changes, and they cannot be changed', async () => {
    const db = api.app.get(DataSource);
    const rows: { action: string; outcome: string; actor_login: string; request_id: string | null }[] =
      await db.query('SELECT action, outcome, actor_login, request_id FROM audit_event');
    const has = (action: string, outcome: string, login: string) =>
      rows.some((r) => r.action === action && r.outcome === outcome && r.actor_login === login);
    expect(has('auth.login', 'success', 'mo.manager')).toBe(true);
    expect(has('auth.login', 'failure', 'mo.manager')).toBe(true);
    expect(has('auth.login', 'failure', 'nobody')).toBe(true);
    expect(has('auth.logout', 'success', 'mo.manager')).toBe(true);
    expect(has('user.password', 'success', 'ann.admin')).toBe(true);
    expect(rows.filter((r) => r.action === 'auth.login').every((r) => r.request_id)).toBe(true);

    await expect(db.query(`UPDATE audit_event SET outcome = 'success'`)).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
    await expect(db.query('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
    const [{ count }] = await db.query('SELECT count(*)::int AS count FROM audit_event');
    expect(count).toBe(rows.length);
  });
});

describe('login throttling', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ env: { LOGIN_THROTTLE_LIMIT: '3', LOGIN_THROTTLE_TTL_SECONDS: '60' } });
    await seed(api, ['north'], [{ login: 'mo.manager', role: Role.Manager, practices: ['north'] }]);
  });
  afterAll(() => api.close());

  it('answers 429 after too many attempts, even with the right password', async () => {
    for (let i = 0; i < 3; i++) {
      await api
        .http()
        .post('/api/auth/login')
        .send({ login: 'mo.manager', password: 'wrong-password!' })
        .expect(401);
    }
    await api.http().post('/api/auth/login').send({ login: 'mo.manager', password: PASSWORD }).expect(429);
    await api.http().post('/api/auth/token').send({ login: 'mo.manager', password: PASSWORD }).expect(429);
  });
});
