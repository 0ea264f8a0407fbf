import { PracticesService } from '@recall/auth';
import { Role } from '@recall/core';
import { seed, startTestApi, TestApi, PASSWORD } from './support/test-api';

/** Security headers on every answer, CORS closed unless configured, CSRF for cookie sessions. */
describe('security headers, CORS and CSRF', () => {
  let api: TestApi;
  let open: TestApi;
  let practiceId: string;

  beforeAll(async () => {
    api = await startTestApi({ env: { LOGIN_THROTTLE_LIMIT: '1000' } });
    open = await startTestApi({ env: { CORS_ORIGINS: 'https://desk.example.org' } });
    await seed(api, ['north'], [{ login: 'north.agent', role: Role.Agent, practices: ['north'] }]);
    practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
  });
  afterAll(async () => {
    await api.close();
    await open.close();
  });

  it('sends the security headers, and no framework banner', async () => {
    for (const url of ['/health', '/api/auth/me', '/api/docs-json']) {
      const res = await api.http().get(url);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/object-src 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    const me = await api.http().get('/api/auth/me');
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('closes CORS by default: no origin is allowed, preflights included', async () => {
    const preflight = await api
      .http()
      .options('/api/auth/me')
      .set('Origin', 'https://evil.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const get = await api.http().get('/health').set('Origin', 'https://evil.example.com');
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('with CORS_ORIGINS set, allows exactly those origins', async () => {
    const ok = await open
      .http()
      .options('/api/auth/me')
      .set('Origin', 'https://desk.example.org')
      .set('Access-Control-Request-Method', 'POST');
    expect(ok.headers['access-control-allow-origin']).toBe('https://desk.example.org');
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    const other = await open
      .http()
      .options('/api/auth/me')
      .set('Origin', 'https://desk.example.org.evil.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a cookie session is httpOnly and SameSite=Strict, and changes need the CSRF header', async () => {
    const login = await api.http().post('/api/auth/login').send({ login: 'north.agent', password: PASSWORD });
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/recall_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0];
    const url = `/api/practices/${practiceId}/remarks/screen`;
    // a cross-site form cannot set a custom header: without it the change is refused
    const forged = await api.http().post(url).set('Cookie', session).send({ text: 'hello' });
    expect(forged.status).toBe(403);
    expect(forged.body.message).toMatch(/x-recall-csrf/);
    const form = await api.http().post(url).set('Cookie', session).type('form').send('text=hello');
    expect(form.status).toBe(403);
    const ok = await api
      .http()
      .post(url)
      .set('Cookie', session)
      .set('X-Recall-CSRF', '1')
      .send({ text: 'hello' });
    expect(ok.status).toBe(200);
    // reads need no header
    expect((await api.http().get('/api/auth/me').set('Cookie', session)).status).toBe(200);
  });
});
