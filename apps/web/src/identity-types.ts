/**
 * The identity check (protocol 001) as the server sends it, and the codes it leaves the agent:
 * mirrors libs/dispositions/src/protocol/identity.ts (a unit spec there keeps them equal).
 */
export type IdentityField = 'name' | 'dob' | 'zip' | 'phone';
export type IdentityStatus = 'unchecked' | 'verified' | 'failed';

/** The identity check of one call (protocol 001), as the server answers it. */
export interface CallIdentity {
  callStartId: string | null;
  status: IdentityStatus;
  fields: IdentityField[];
  checks: Partial<Record<IdentityField, boolean>> | null;
  checkedAt: string | null;
  allowedCodes: string[] | null;
}

export const IDENTITY_FIELD_LABELS: Record<IdentityField, string> = {
  name: 'Full name',
  dob: 'Date of birth',
  zip: 'ZIP code',
  phone: 'Phone number',
};

/** Mirrors libs/dispositions/src/protocol/identity.ts: the codes a call closes with after a failed check. */
export const AFTER_FAILED_IDENTITY = ['UNAVLBL', 'WNUM'];
/** …and the codes that need a verified identity. */
export const NEEDS_VERIFIED_IDENTITY = ['DONE', 'RECONFIRMED'];

/** The codes the agent cannot choose on this call, with why (null: every code is open). */
export function identityLock(
  status: IdentityStatus,
  codes: readonly string[],
): { locked: string[]; why: string } | null {
  if (status === 'verified') return null;
  if (status === 'failed') {
    return {
      locked: codes.filter((c) => !AFTER_FAILED_IDENTITY.includes(c)),
      why: `Identity not confirmed — close as ${AFTER_FAILED_IDENTITY.join(' or ')}`,
    };
  }
  return {
    locked: codes.filter((c) => NEEDS_VERIFIED_IDENTITY.includes(c)),
    why: 'Confirm who you are speaking to first (press I)',
  };
}
