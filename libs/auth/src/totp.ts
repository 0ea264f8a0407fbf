import { Secret, TOTP } from 'otpauth';
import { createHash, randomBytes } from 'node:crypto';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
/** Steps either side of now that still count (clock drift between phone and server). */
export const TOTP_WINDOW = 1;

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUrl(secretBase32: string, login: string, issuer = 'Recall'): string {
  return totpFor(secretBase32, login, issuer).toString();
}

/** The code an authenticator shows at `atMs` (for tests and the CLI). */
export function totpCode(secretBase32: string, atMs: number): string {
  return totpFor(secretBase32).generate({ timestamp: atMs });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'replayed' };

/**
 * Accepts a code within TOTP_WINDOW steps of `nowMs`, once: a step at or before `lastUsedStep`
 * (the last one accepted for this user) is a replay, even if the code is right.
 */
export function checkTotp(
  secretBase32: string,
  code: string,
  nowMs: number,
  lastUsedStep: number | null,
): TotpCheck {
  const token = code.replace(/\s+/g, '');
  if (!new RegExp(`^\\d{${DIGITS}}$`).test(token)) return { ok: false, reason: 'wrong' };
  const delta = totpFor(secretBase32).validate({ token, timestamp: nowMs, window: TOTP_WINDOW });
  if (delta === null) return { ok: false, reason: 'wrong' };
  const step = Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

function totpFor(secretBase32: string, label = 'recall', issuer = 'Recall'): TOTP {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Ten one-time codes like "k7qm-zp3d" (40 bits each), for when the phone is lost. */
export function generateRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(8);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4)}`;
  });
}

export function isRecoveryCodeShape(code: string): boolean {
  return /^[a-z0-9]{4}-?[a-z0-9]{4}$/i.test(code.trim());
}

/** Recovery codes are random, so a plain SHA-256 (of the normalized code) is enough. */
export function hashRecoveryCode(code: string): Buffer {
  return createHash('sha256').update(code.trim().toLowerCase().replace('-', '')).digest();
}
