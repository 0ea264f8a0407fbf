import { Secret, TOTP } from 'otpauth';
import {
  checkTotp,
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  otpauthUrl,
  TOTP_PERIOD_SECONDS,
  totpCode,
} from './totp';

const T0 = Date.UTC(2026, 2, 2, 14, 0, 0); // a step boundary (divisible by 30 s)
const STEP = TOTP_PERIOD_SECONDS * 1000;

describe('TOTP', () => {
  const secret = generateTotpSecret();

  it('matches RFC 6238 (SHA-1 test vector at T=59 s)', () => {
    const rfcSecret = new Secret({ buffer: new TextEncoder().encode('12345678901234567890').buffer }).base32;
    // The RFC lists 8 digits (94287082); an authenticator shows the last 6.
    expect(totpCode(rfcSecret, 59_000)).toBe('287082');
  });

  it('accepts the current code and one step either side, nothing further', () => {
    const now = T0 + 5_000;
    const step = Math.floor(now / STEP);
    expect(checkTotp(secret, totpCode(secret, now), now, null)).toEqual({ ok: true, step });
    expect(checkTotp(secret, totpCode(secret, now - STEP), now, null)).toEqual({ ok: true, step: step - 1 });
    expect(checkTotp(secret, totpCode(secret, now + STEP), now, null)).toEqual({ ok: true, step: step + 1 });
    expect(checkTotp(secret, totpCode(secret, now - 2 * STEP), now, null)).toEqual({
      ok: false,
      reason: 'wrong',
    });
    expect(checkTotp(secret, totpCode(secret, now + 2 * STEP), now, null)).toMatchObject({ ok: false });
  });

  it('refuses a code for a step at or before the last one accepted (replay)', () => {
    const now = T0 + 1_000;
    const first = checkTotp(secret, totpCode(secret, now), now, null);
    if (!first.ok) throw new Error('first use refused');
    expect(checkTotp(secret, totpCode(secret, now), now + 10_000, first.step)).toEqual({
      ok: false,
      reason: 'replayed',
    });
    // the previous step's code is still inside the window, but older than the one used
    expect(checkTotp(secret, totpCode(secret, now - STEP), now, first.step)).toEqual({
      ok: false,
      reason: 'replayed',
    });
    // the next step's code is fine
    expect(checkTotp(secret, totpCode(secret, now + STEP), now + STEP, first.step)).toEqual({
      ok: true,
      step: first.step + 1,
    });
  });

  it('refuses malformed codes and another secret’s code', () => {
    const other = generateTotpSecret();
    expect(checkTotp(secret, totpCode(other, T0), T0, null)).toMatchObject({ ok: false });
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5x']) {
      expect(checkTotp(secret, bad, T0, null)).toEqual({ ok: false, reason: 'wrong' });
    }
    // spaces as an app groups them are fine
    const code = totpCode(secret, T0);
    expect(checkTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, T0, null)).toMatchObject({ ok: true });
  });

  it('writes an otpauth URL an authenticator app reads back to the same secret', () => {
    const url = otpauthUrl(secret, 'jane.doe');
    expect(url).toMatch(/^otpauth:\/\/totp\/Recall:jane\.doe\?/);
    const parsed = new URL(url);
    expect(parsed.searchParams.get('secret')).toBe(secret);
    expect(parsed.searchParams.get('digits')).toBe('6');
    expect(parsed.searchParams.get('period')).toBe('30');
    const app = new TOTP({ secret: Secret.fromBase32(parsed.searchParams.get('secret')!) });
    expect(app.generate({ timestamp: T0 })).toBe(totpCode(secret, T0));
  });

  it('generates distinct recovery codes whose hash ignores case and the dash', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(hashRecoveryCode(codes[0].toUpperCase().replace('-', ''))).toEqual(hashRecoveryCode(codes[0]));
    expect(hashRecoveryCode(codes[0])).not.toEqual(hashRecoveryCode(codes[1]));
  });
});
