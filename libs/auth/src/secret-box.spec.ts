import { randomBytes } from 'node:crypto';
import { openSecret, sealSecret } from './secret-box';

describe('secret box (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const userId = '5c0f8b9e-3f4a-4c55-9d8e-2a1b3c4d5e6f';

  it('round-trips, with a fresh nonce each time, and never holds the plaintext', () => {
    const a = sealSecret(key, 'JBSWY3DPEHPK3PXP', userId);
    const b = sealSecret(key, 'JBSWY3DPEHPK3PXP', userId);
    expect(openSecret(key, a, userId)).toBe('JBSWY3DPEHPK3PXP');
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain('JBSWY3DPEHPK3PXP');
  });

  it('refuses another key, another user, and any flipped byte', () => {
    const sealed = sealSecret(key, 'JBSWY3DPEHPK3PXP', userId);
    expect(() => openSecret(randomBytes(32), sealed, userId)).toThrow();
    expect(() => openSecret(key, sealed, '00000000-0000-0000-0000-000000000000')).toThrow();
    for (const i of [0, 5, 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[i] ^= 1;
      expect(() => openSecret(key, tampered, userId)).toThrow();
    }
    expect(() => sealSecret(randomBytes(16), 'x', userId)).toThrow(/32 bytes/);
  });
});
