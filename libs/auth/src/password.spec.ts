import fc from 'fast-check';
import {
  generatePassword,
  hashPassword,
  isCommonPassword,
  MIN_PASSWORD_LENGTH,
  passwordProblem,
  verifyPassword,
} from './password';

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('correct-horse-battery');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'correct-horse-battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct-horse-batterY')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('names the rule a password breaks', () => {
    expect(passwordProblem('short')).toMatch(`at least ${MIN_PASSWORD_LENGTH}`);
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/5 different/);
    expect(passwordProblem('xx-jane.doe-2026', 'jane.doe')).toMatch(/login/);
    expect(passwordProblem('correct-horse-battery', 'jane.doe')).toBeUndefined();
    expect(passwordProblem('my-jane-secret-77', 'jane@example.org')).toMatch(/login/);
  });

  it('refuses common leaked passwords, also with digits and symbols around them', () => {
    for (const p of ['password1234', '123456789012', 'qwertyuiop12', 'Password2026!', '!!!Sunshine2026']) {
      expect({ p, problem: passwordProblem(p) }).toEqual({ p, problem: expect.stringMatching(/too common/) });
    }
    expect(isCommonPassword('Dragon')).toBe(true);
    expect(isCommonPassword('k7Qm-Zp3d-Wx9r')).toBe(false);
    expect(passwordProblem('recall-demo-2026')).toBeUndefined();
  });

  it('generates passwords that always pass the rules and do not repeat', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.constant(null), () => {
        const p = generatePassword();
        expect(passwordProblem(p, 'someone')).toBeUndefined();
        expect(seen.has(p)).toBe(false);
        seen.add(p);
      }),
      { numRuns: 200 },
    );
  });
});
