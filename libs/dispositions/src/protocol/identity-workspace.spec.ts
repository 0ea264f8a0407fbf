import { describe, expect, it } from '@jest/globals';
import * as rules from './identity';
import { DISPOSITION_CODES } from '../disposition-codes';
import {
  AFTER_FAILED_IDENTITY,
  IDENTITY_FIELD_LABELS,
  identityLock,
  NEEDS_VERIFIED_IDENTITY,
} from '../../../../apps/web/src/identity-types';

describe("the workspace's identity lock (mirrors libs/dispositions/src/protocol/identity.ts)", () => {
  it('keeps the same codes and labels as the server', () => {
    expect(AFTER_FAILED_IDENTITY).toEqual([...rules.AFTER_FAILED_IDENTITY]);
    expect(NEEDS_VERIFIED_IDENTITY).toEqual([...rules.NEEDS_VERIFIED_IDENTITY]);
    expect(IDENTITY_FIELD_LABELS).toEqual(rules.IDENTITY_FIELD_LABELS);
  });

  it('locks exactly the codes the server would refuse', () => {
    for (const status of ['unchecked', 'verified', 'failed'] as const) {
      const locked = identityLock(status, DISPOSITION_CODES)?.locked ?? [];
      const refused = DISPOSITION_CODES.filter((c) => rules.identityGate(c, status) !== null);
      expect({ status, locked }).toEqual({ status, locked: refused });
    }
  });

  it('says what to do', () => {
    expect(identityLock('failed', DISPOSITION_CODES)?.why).toBe(
      'Identity not confirmed — close as UNAVLBL or WNUM',
    );
    expect(identityLock('unchecked', DISPOSITION_CODES)?.why).toMatch(/press I/);
    expect(identityLock('verified', DISPOSITION_CODES)).toBeNull();
  });
});
