import fc from 'fast-check';
import { DISPOSITION_CODES, type DispositionCode } from '../disposition-codes';
import {
  AFTER_FAILED_IDENTITY,
  DEFAULT_IDENTITY_FIELDS,
  evaluateIdentityCheck,
  IDENTITY_FIELDS,
  identityFieldsPhrase,
  identityForEntry,
  identityGate,
  identityStatus,
  NEEDS_VERIFIED_IDENTITY,
  parseIdentityFields,
  type IdentityStatus,
} from './identity';

describe('parseIdentityFields', () => {
  it('keeps known fields once, in the protocol order', () => {
    expect(parseIdentityFields(['dob', 'name', 'dob'])).toEqual({ ok: true, fields: ['name', 'dob'] });
    expect(parseIdentityFields(['phone', 'zip'])).toEqual({ ok: true, fields: ['zip', 'phone'] });
  });

  it('refuses unknown fields, naming them, and an empty list', () => {
    const unknown = parseIdentityFields(['name', 'ssn', 'mothers_maiden_name']);
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.message).toMatch(/unknown field ssn, mothers_maiden_name/);
    expect(parseIdentityFields([])).toEqual({ ok: false, message: 'choose at least one field to verify' });
  });

  it('the default is full name and date of birth', () => {
    expect(DEFAULT_IDENTITY_FIELDS).toEqual(['name', 'dob']);
  });
});

describe('evaluateIdentityCheck', () => {
  it('is verified only when every required field matches', () => {
    expect(evaluateIdentityCheck(['name', 'dob'], { name: true, dob: true })).toEqual({
      ok: true,
      verified: true,
      failed: [],
      checks: { name: true, dob: true },
    });
    expect(evaluateIdentityCheck(['name', 'dob'], { name: true, dob: false })).toEqual({
      ok: true,
      verified: false,
      failed: ['dob'],
      checks: { name: true, dob: false },
    });
  });

  it('needs an answer for every field, and a boolean', () => {
    const missing = evaluateIdentityCheck(['name', 'dob'], { name: true });
    expect(missing).toMatchObject({ ok: false, field: 'dob' });
    const notBoolean = evaluateIdentityCheck(['name'], { name: 'yes' });
    expect(notBoolean).toMatchObject({ ok: false, field: 'name' });
  });

  it('refuses a field the practice does not verify', () => {
    expect(evaluateIdentityCheck(['name'], { name: true, zip: true })).toMatchObject({
      ok: false,
      field: 'zip',
      message: expect.stringContaining('not one of the fields'),
    });
  });

  it('property: verified exactly when all answers are true', () => {
    const fieldSets = fc.subarray([...IDENTITY_FIELDS], { minLength: 1 });
    fc.assert(
      fc.property(
        fieldSets.chain((fields) =>
          fc.tuple(
            fc.constant(fields),
            fc.array(fc.boolean(), { minLength: fields.length, maxLength: fields.length }),
          ),
        ),
        ([fields, answers]) => {
          const result = evaluateIdentityCheck(
            fields,
            Object.fromEntries(fields.map((f, i) => [f, answers[i]])),
          );
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          expect(result.verified).toBe(answers.every(Boolean));
          expect(result.failed).toEqual(fields.filter((_, i) => !answers[i]));
        },
      ),
    );
  });
});

describe('identityStatus', () => {
  it('reads the stored column: null is unchecked, not failed', () => {
    expect(identityStatus(null)).toBe('unchecked');
    expect(identityStatus(undefined)).toBe('unchecked');
    expect(identityStatus(true)).toBe('verified');
    expect(identityStatus(false)).toBe('failed');
  });
});

describe('identityGate', () => {
  it('refuses DONE and RECONFIRMED until verified, with the message the workspace shows', () => {
    expect(identityGate('DONE', 'unchecked')).toEqual({
      field: 'identityVerified',
      message: 'identity not verified: confirm name and date of birth first',
    });
    expect(identityGate('RECONFIRMED', 'unchecked')?.message).toMatch(/identity not verified/);
    expect(identityGate('DONE', 'verified')).toBeNull();
    expect(identityGate('RECONFIRMED', 'verified')).toBeNull();
  });

  it("names the practice's own fields", () => {
    expect(identityGate('DONE', 'unchecked', ['name', 'dob', 'zip'])?.message).toBe(
      'identity not verified: confirm name, date of birth and ZIP code first',
    );
    expect(identityFieldsPhrase(['phone'])).toBe('phone number');
  });

  it('after a failed check only UNAVLBL or WNUM close the call', () => {
    expect(identityGate('DONE', 'failed')?.message).toMatch(/check on this call failed.*UNAVLBL or WNUM/);
    for (const code of DISPOSITION_CODES) {
      const refused = identityGate(code, 'failed');
      expect({ code, allowed: refused === null }).toEqual({
        code,
        allowed: AFTER_FAILED_IDENTITY.includes(code),
      });
    }
  });

  it('before anyone answers, the non-booking codes need no check (no answer, voicemail…)', () => {
    for (const code of DISPOSITION_CODES.filter((c) => !NEEDS_VERIFIED_IDENTITY.includes(c)))
      expect(identityGate(code, 'unchecked')).toBeNull();
  });

  it('property: a booking is allowed exactly when verified', () => {
    const statuses: IdentityStatus[] = ['unchecked', 'verified', 'failed'];
    fc.assert(
      fc.property(fc.constantFrom(...DISPOSITION_CODES), fc.constantFrom(...statuses), (code, status) => {
        const refused = identityGate(code as DispositionCode, status);
        if (NEEDS_VERIFIED_IDENTITY.includes(code)) expect(refused === null).toBe(status === 'verified');
        if (status === 'verified') expect(refused).toBeNull();
      }),
    );
  });
});

describe('identityForEntry', () => {
  const onCall = (call: IdentityStatus) => ({ call, source: 'workspace' as const, byAgent: true });

  it('a call in the app: the gate applies, and the attempt copies the call’s result', () => {
    expect(identityForEntry('DONE', onCall('verified'))).toEqual({ ok: true, verified: true });
    expect(identityForEntry('UNAVLBL', onCall('failed'))).toEqual({ ok: true, verified: false });
    expect(identityForEntry('NOANS', onCall('unchecked'))).toEqual({ ok: true, verified: null });
    expect(identityForEntry('DONE', onCall('unchecked'))).toMatchObject({
      ok: false,
      field: 'identityVerified',
      message: 'identity not verified: confirm name and date of birth first',
    });
    expect(identityForEntry('HUNGUP', onCall('failed'))).toMatchObject({ ok: false });
  });

  it('back-office entries without a call start are allowed and recorded as unknown', () => {
    for (const source of ['sheet', 'cli'] as const)
      expect(identityForEntry('DONE', { call: null, source, byAgent: true })).toEqual({
        ok: true,
        verified: null,
      });
    expect(identityForEntry('DONE', { call: null, source: 'api', byAgent: false })).toEqual({
      ok: true,
      verified: null,
    });
  });

  it('a booking from the workspace or an agent on the API needs a started call', () => {
    expect(identityForEntry('DONE', { call: null, source: 'workspace', byAgent: false })).toMatchObject({
      ok: false,
      message: expect.stringContaining('start the call'),
    });
    expect(identityForEntry('RECONFIRMED', { call: null, source: 'api', byAgent: true })).toMatchObject({
      ok: false,
    });
    expect(identityForEntry('NOANS', { call: null, source: 'api', byAgent: true })).toEqual({
      ok: true,
      verified: null,
    });
  });
});
