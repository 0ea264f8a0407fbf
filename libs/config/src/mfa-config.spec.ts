import { parseConfig } from './recall-config';

describe('second-factor and lockout settings', () => {
  const base = { NODE_ENV: 'test', DATABASE_URL: 'postgres://x@localhost/db' };

  it('requires MFA for admins and managers by default, for nobody in the demo unless told', () => {
    expect(parseConfig(base).mfaRequiredRoles).toEqual(['admin', 'manager']);
    expect(parseConfig({ NODE_ENV: 'test' }).mfaRequiredRoles).toEqual([]); // embedded: the demo
    expect(parseConfig({ ...base, RECALL_DEMO: 'true' }).mfaRequiredRoles).toEqual([]);
    expect(parseConfig({ NODE_ENV: 'test', MFA_REQUIRED_ROLES: 'admin,manager' }).mfaRequiredRoles).toEqual([
      'admin',
      'manager',
    ]);
    expect(parseConfig({ ...base, MFA_REQUIRED_ROLES: 'none' }).mfaRequiredRoles).toEqual([]);
    expect(parseConfig({ ...base, MFA_REQUIRED_ROLES: ' Agent, owner ' }).mfaRequiredRoles).toEqual([
      'agent',
      'owner',
    ]);
    expect(() => parseConfig({ ...base, MFA_REQUIRED_ROLES: 'admin,boss' })).toThrow(/MFA_REQUIRED_ROLES/);
  });

  it('reads MFA_SECRET_KEY as hex or base64 of 32 bytes, and refuses anything else', () => {
    const hex = 'ab'.repeat(32);
    expect(parseConfig({ ...base, MFA_SECRET_KEY: hex }).mfaSecretKey).toEqual(Buffer.from(hex, 'hex'));
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(parseConfig({ ...base, MFA_SECRET_KEY: b64 }).mfaSecretKey).toEqual(Buffer.alloc(32, 7));
    expect(parseConfig(base).mfaSecretKey).toBeUndefined();
    expect(() => parseConfig({ ...base, MFA_SECRET_KEY: 'short' })).toThrow(/MFA_SECRET_KEY/);
  });

  it('defaults the lockout to 5 failures and 15 minutes', () => {
    expect(parseConfig(base).env).toMatchObject({ LOGIN_MAX_FAILURES: 5, LOGIN_LOCKOUT_MINUTES: 15 });
    expect(() => parseConfig({ ...base, LOGIN_MAX_FAILURES: '0' })).toThrow(/LOGIN_MAX_FAILURES/);
  });
});
