import { totpCode, UsersService } from '@recall/auth';
import { FixedClock, RequestContext, Role } from '@recall/core';
import { DataSource } from 'typeorm';
import { PASSWORD, seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const NOW = '2026-03-02T14:00:05Z';
const cookieOf = (res: { headers: Record<string, unknown> }): string =>
  ((res.headers['set-cookie'] as string[]) ?? []).map((c) => c.split(';')[0]).join('; ');

describe('two-factor sign-in (TOTP), lockout and password rules', () => {
  const clock = new FixedClock(NOW);
  let api: TestApi;
  let db: DataSource;
  const code = (secret: string, offsetMs = 0) => totpCode(secret, clock.nowDate().getTime() + offsetMs);
  const login = (l: string, password = PASSWORD) =>
    api.http().post('/api/auth/login').send({ login: l, password });
  const token = (l: string, password = PASSWORD) =>
    api.http().post('/api/auth/token').send({ login: l, password });
  const audit = async (action: string, login: string) =>
    db.query(
      `SELECT outcome, details FROM audit_event WHERE action = $1 AND actor_login = $2 ORDER BY occurred_at, id`,
      [action, login],
    ) as Promise<{ outcome: string; details: Record<string, unknown> }[]>;

  /** Signs in as a user whose role requires MFA and enrols through the sign-in flow; returns the secret. */
  async function enrolAtSignIn(l: string): Promise<{ secret: string; recoveryCodes: string[] }> {
    const first = await login(l).expect(200);
    expect(first.body).toEqual({
      mfaEnrollmentRequired: true,
      challengeToken: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(first.headers['set-cookie']).toBeUndefined(); // no session yet
    const { challengeToken } = first.body as { challengeToken: string };
    const started = await api.http().post('/api/auth/mfa/enroll').send({ challengeToken }).expect(200);
    expect(started.body.otpauthUrl).toMatch(new RegExp(`^otpauth://totp/Recall:${l}\\?`));
    const secret = started.body.secret as string;
    const done = await api
      .http()
      .post('/api/auth/mfa/enroll/confirm')
      .send({ challengeToken, code: code(secret) })
      .expect(200);
    expect(done.body.user.login).toBe(l);
    expect(done.body.recoveryCodes).toHaveLength(10);
    const me = await api.http().get('/api/auth/me').set('Cookie', cookieOf(done)).expect(200);
    expect(me.body.user.login).toBe(l);
    return { secret, recoveryCodes: done.body.recoveryCodes as string[] };
  }

  beforeAll(async () => {
    api = await startTestApi({
      clock,
      env: {
        LOGIN_THROTTLE_LIMIT: '1000',
        MFA_REQUIRED_ROLES: 'admin,manager',
        LOGIN_MAX_FAILURES: '5',
        LOGIN_LOCKOUT_MINUTES: '15',
      },
    });
    db = api.app.get(DataSource);
    await seed(
      api,
      ['north'],
      [
        { login: 'ann.admin', role: Role.Admin, practices: ['north'] },
        { login: 'mo.manager', role: Role.Manager, practices: ['north'] },
        { login: 'max.manager', role: Role.Manager, practices: ['north'] },
        { login: 'lee.manager', role: Role.Manager, practices: ['north'] },
        { login: 'ada.agent', role: Role.Agent, practices: ['north'] },
        { login: 'lock.agent', role: Role.Agent, practices: ['north'] },
      ],
    );
  });
  afterAll(() => api.close());

  it('requires a manager to set up a code at sign-in, then asks for the code every time', async () => {
    clock.set(NOW);
    // the challenge alone opens nothing
    const first = await login('mo.manager').expect(200);
    await api
      .http()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${first.body.challengeToken}`)
      .expect(401);
    const { secret } = await enrolAtSignIn('mo.manager');

    // the secret is stored encrypted, not as the base32 the app was shown
    const [row] = await db.query(
      'SELECT secret_encrypted, confirmed_at FROM user_mfa m JOIN app_user u ON u.id = m.user_id WHERE u.login = $1',
      ['mo.manager'],
    );
    expect(row.confirmed_at).not.toBeNull();
    expect((row.secret_encrypted as Buffer).toString('latin1')).not.toContain(secret);

    clock.advance({ minutes: 1 });
    const again = await login('mo.manager').expect(200);
    expect(again.body).toEqual({
      mfaRequired: true,
      challengeToken: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(again.headers['set-cookie']).toBeUndefined();
    const verified = await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: again.body.challengeToken, code: code(secret) })
      .expect(200);
    expect(verified.body.user.role).toBe('manager');
    expect(cookieOf(verified)).toMatch(/recall_session=/);
    // the challenge is single-use
    await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: again.body.challengeToken, code: code(secret, 30_000) })
      .expect(401);
  });

  it('refuses a wrong code, and the same code twice (replay) even on a new challenge', async () => {
    clock.set('2026-03-02T15:00:05Z');
    const { secret } = await enrolAtSignIn('max.manager');
    clock.advance({ seconds: 40 });
    const used = code(secret);
    const a = await login('max.manager').expect(200);
    await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: a.body.challengeToken, code: used === '000000' ? '111111' : '000000' })
      .expect(401)
      .expect((res) => expect(res.body.message).toBe('Wrong code'));
    await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: a.body.challengeToken, code: used })
      .expect(200);

    clock.advance({ seconds: 5 }); // same 30-second step
    const b = await login('max.manager').expect(200);
    const replay = await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: b.body.challengeToken, code: used })
      .expect(401);
    expect(replay.body.message).toMatch(/already used/);
    // the previous step's code is inside the window but older than the one used: refused too
    await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: b.body.challengeToken, code: code(secret, -30_000) })
      .expect(401);
    clock.advance({ seconds: 30 });
    await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: b.body.challengeToken, code: code(secret) })
      .expect(200);
    expect((await audit('auth.login', 'max.manager')).map((r) => r.details?.reason ?? 'ok')).toEqual(
      expect.arrayContaining(['wrong code', 'code already used']),
    );
  });

  it('works for API clients: the token route answers a challenge, the code answers the bearer token', async () => {
    clock.set('2026-03-02T16:00:05Z');
    const { secret } = await enrolAtSignIn('lee.manager');
    clock.advance({ minutes: 1 });
    const step = await token('lee.manager').expect(200);
    expect(step.body.mfaRequired).toBe(true);
    expect(step.body.token).toBeUndefined();
    const done = await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: step.body.challengeToken, code: code(secret) })
      .expect(200);
    expect(done.headers['set-cookie']).toBeUndefined();
    await api.http().get('/api/auth/mfa').set('Authorization', `Bearer ${done.body.token}`).expect(200, {
      enrolled: true,
      required: true,
      recoveryCodesLeft: 10,
    });
  });

  it('lets a recovery code stand in for a code, once', async () => {
    clock.set('2026-03-02T16:30:05Z');
    // an agent (optional) sets it up from their own page
    const agent = await tokenFor(api, 'ada.agent');
    const auth = { Authorization: `Bearer ${agent}` };
    const setup = await api.http().post('/api/auth/mfa/setup').set(auth).expect(200);
    const confirmed = await api
      .http()
      .post('/api/auth/mfa/confirm')
      .set(auth)
      .send({ code: code(setup.body.secret) })
      .expect(200);
    const recovery = confirmed.body.recoveryCodes[0] as string;
    clock.advance({ minutes: 1 });
    const a = await token('ada.agent').expect(200);
    expect(a.body.mfaRequired).toBe(true);
    await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: a.body.challengeToken, code: recovery.toUpperCase() })
      .expect(200);
    const b = await token('ada.agent').expect(200);
    await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: b.body.challengeToken, code: recovery })
      .expect(401);
  });

  it('turns nothing on with an unconfirmed set-up; an admin without MFA gets a challenge, never a token', async () => {
    clock.set('2026-03-02T17:00:05Z');
    const bearer = await tokenFor(api, 'lock.agent'); // an agent without MFA: plain sign-in
    await api.http().post('/api/auth/mfa/setup').set('Authorization', `Bearer ${bearer}`).expect(200);
    const plain = await token('lock.agent').expect(200);
    expect(plain.body.token).toEqual(expect.any(String));
    const status = await api.http().get('/api/auth/mfa').set('Authorization', `Bearer ${bearer}`).expect(200);
    expect(status.body).toEqual({ enrolled: false, required: false, recoveryCodesLeft: 0 });
    await db.query(
      `DELETE FROM user_mfa WHERE user_id = (SELECT id FROM app_user WHERE login = 'lock.agent')`,
    );

    const admin = await token('ann.admin').expect(200);
    expect(admin.body).toEqual({
      mfaEnrollmentRequired: true,
      challengeToken: expect.any(String),
      expiresAt: expect.any(String),
    });
    // an enrolment challenge is not a code challenge
    await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: admin.body.challengeToken, code: '123456' })
      .expect(401);
    // and it expires after 5 minutes
    clock.advance({ minutes: 5, seconds: 1 });
    await api
      .http()
      .post('/api/auth/mfa/enroll')
      .send({ challengeToken: admin.body.challengeToken })
      .expect(401);
  });

  it('turns off for an optional role only with a current code', async () => {
    clock.set('2026-03-02T18:00:05Z');
    const bearer = await tokenFor(api, 'lock.agent');
    const auth = { Authorization: `Bearer ${bearer}` };
    const setup = await api.http().post('/api/auth/mfa/setup').set(auth).expect(200);
    await api.http().post('/api/auth/mfa/confirm').set(auth).send({ code: '000000' }).expect(400);
    await api
      .http()
      .post('/api/auth/mfa/confirm')
      .set(auth)
      .send({ code: code(setup.body.secret) })
      .expect(200);
    await api.http().post('/api/auth/mfa/setup').set(auth).expect(409);
    clock.advance({ seconds: 30 });
    await api.http().post('/api/auth/mfa/disable').set(auth).send({ code: '123' }).expect(400);
    const wrong = code(setup.body.secret) === '000000' ? '111111' : '000000';
    await api.http().post('/api/auth/mfa/disable').set(auth).send({ code: wrong }).expect(400);
    await api
      .http()
      .post('/api/auth/mfa/disable')
      .set(auth)
      .send({ code: code(setup.body.secret) })
      .expect(204);
    // the wrong code counted towards the lockout, as at sign-in; the next sign-in clears it
    expect(await db.query(`SELECT failures FROM login_failure WHERE login = 'lock.agent'`)).toEqual([
      { failures: 1 },
    ]);
    await token('lock.agent')
      .expect(200)
      .expect((res) => expect(res.body.token).toEqual(expect.any(String)));
    expect(await audit('auth.mfa.disable', 'lock.agent')).toHaveLength(1);
  });

  it('refuses turning it off for a role that requires it', async () => {
    clock.set('2026-03-02T19:00:05Z');
    const [{ id }] = await db.query(`SELECT id FROM app_user WHERE login = 'mo.manager'`);
    await RequestContext.run({ requestId: 't', channel: 'system' }, () =>
      api.app.get(UsersService).resetMfa(id),
    );
    const { secret } = await enrolAtSignIn('mo.manager');
    clock.advance({ minutes: 1 });
    const step = await token('mo.manager').expect(200);
    const done = await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: step.body.challengeToken, code: code(secret) })
      .expect(200);
    clock.advance({ seconds: 30 });
    const res = await api
      .http()
      .post('/api/auth/mfa/disable')
      .set('Authorization', `Bearer ${done.body.token}`)
      .send({ code: code(secret) })
      .expect(403);
    expect(res.body.message).toMatch(/requires two-factor/);
  });

  it('lets an admin reset another user’s second factor: audited, sessions ended, set-up again at sign-in', async () => {
    clock.set('2026-03-02T20:00:05Z');
    const { secret: adminSecret } = await enrolAtSignIn('ann.admin');
    clock.advance({ minutes: 1 });
    const step = await token('ann.admin').expect(200);
    const admin = await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: step.body.challengeToken, code: code(adminSecret) })
      .expect(200);
    const adminAuth = { Authorization: `Bearer ${admin.body.token}` };
    const users = await api.http().get('/api/users').set(adminAuth).expect(200);
    const max = (users.body.items as { id: string; login: string; mfaEnrolled: boolean }[]).find(
      (u) => u.login === 'max.manager',
    )!;
    expect(max.mfaEnrolled).toBe(true);
    await api.http().post(`/api/users/${max.id}/mfa/reset`).set(adminAuth).expect(200, { hadMfa: true });
    const [event] = await db.query(
      `SELECT actor_login, entity_id, details FROM audit_event WHERE action = 'user.mfa-reset' ORDER BY occurred_at DESC LIMIT 1`,
    );
    expect(event).toMatchObject({ actor_login: 'ann.admin', entity_id: max.id, details: { hadMfa: true } });
    const [sessions] = await db.query(
      `SELECT count(*) FILTER (WHERE revoked_at IS NULL)::int AS open,
              count(*) FILTER (WHERE revoke_reason = 'mfa reset')::int AS reset
         FROM session WHERE user_id = $1`,
      [max.id],
    );
    expect(sessions.open).toBe(0);
    expect(sessions.reset).toBeGreaterThan(0);
    const again = await login('max.manager').expect(200);
    expect(again.body.mfaEnrollmentRequired).toBe(true);
    // a manager is not an admin
    const agentToken = await tokenFor(api, 'lock.agent');
    await api
      .http()
      .post(`/api/users/${max.id}/mfa/reset`)
      .set('Authorization', `Bearer ${agentToken}`)
      .expect(403);
  });

  it('locks a login after 5 wrong passwords (429, Retry-After, audited), even for the right password, until it runs out', async () => {
    clock.set('2026-03-03T09:00:00Z');
    for (let i = 0; i < 4; i++) await token('lock.agent', 'wrong-password!').expect(401);
    await token('lock.agent').expect(200); // a success resets the count
    for (let i = 0; i < 4; i++) await token('lock.agent', 'wrong-password!').expect(401);
    await token('lock.agent', 'wrong-password!').expect(401); // the 5th locks
    const locked = await token('lock.agent').expect(429);
    expect(Number(locked.headers['retry-after'])).toBe(15 * 60);
    expect(locked.body.message).toMatch(/Too many failed sign-ins/);
    await login('LOCK.agent').expect(429); // by login, case-insensitively, on both routes
    clock.advance({ minutes: 10 });
    const later = await token('lock.agent').expect(429);
    expect(Number(later.headers['retry-after'])).toBe(5 * 60);
    const lockouts = await audit('auth.lockout', 'lock.agent');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ outcome: 'denied', details: { failures: 5 } });
    expect(
      (await audit('auth.login', 'lock.agent')).filter((r) => r.details?.reason === 'locked'),
    ).toHaveLength(3);
    clock.advance({ minutes: 5, seconds: 1 });
    await token('lock.agent').expect(200);
    // the success cleared it: one wrong password is one failure again
    await token('lock.agent', 'wrong-password!').expect(401);
    await token('lock.agent').expect(200);
    // unknown logins lock the same way (a lock reveals nothing)
    for (let i = 0; i < 5; i++) await token('nobody.here', 'wrong-password!').expect(401);
    await token('nobody.here', 'wrong-password!').expect(429);
  });

  it('counts wrong codes towards the lockout too', async () => {
    clock.set('2026-03-03T12:00:05Z');
    const { secret } = await (async () => {
      const [{ id }] = await db.query(`SELECT id FROM app_user WHERE login = 'max.manager'`);
      await db.query('DELETE FROM user_mfa WHERE user_id = $1', [id]);
      return enrolAtSignIn('max.manager');
    })();
    clock.advance({ minutes: 1 });
    const step = await token('max.manager').expect(200);
    const wrong = code(secret) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      await api
        .http()
        .post('/api/auth/mfa/verify')
        .send({ challengeToken: step.body.challengeToken, code: wrong })
        .expect(401);
    }
    await api
      .http()
      .post('/api/auth/mfa/verify')
      .send({ challengeToken: step.body.challengeToken, code: code(secret) })
      .expect(429)
      .expect('Retry-After', String(15 * 60));
    await token('max.manager').expect(429);
  });

  it('refuses common passwords and passwords containing the login', async () => {
    const users = api.app.get(UsersService);
    const create = (login: string, password: string) =>
      RequestContext.run({ requestId: 't', channel: 'system' }, () =>
        users.create({ login, role: 'agent', practiceSlugs: ['north'], password }),
      );
    await expect(create('weak.one', 'password1234')).rejects.toThrow(/too common/);
    await expect(create('weak.one', 'Sunshine2026!')).rejects.toThrow(/too common/);
    await expect(create('weak.one', 'weak.one-is-me-2026')).rejects.toThrow(/login/);
    await expect(create('weak.one', 'plum-kettle-violet')).resolves.toBeDefined();
  });
});
