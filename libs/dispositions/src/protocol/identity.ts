/**
 * The identity check (protocol 001: "always authenticate"): before the workspace shows a
 * patient's appointments, reasons or history, the agent confirms the fields the practice
 * chose, one keystroke per field. Pure rules: the services store and enforce them.
 */
import type { DispositionCode } from '../disposition-codes';

export const IDENTITY_FIELDS = ['name', 'dob', 'zip', 'phone'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
export const DEFAULT_IDENTITY_FIELDS: readonly IdentityField[] = ['name', 'dob'];

export const IDENTITY_FIELD_LABELS: Readonly<Record<IdentityField, string>> = {
  name: 'Full name',
  dob: 'Date of birth',
  zip: 'ZIP code',
  phone: 'Phone number',
};

/** How the call stands: nobody checked yet, every field matched, or one did not. */
export type IdentityStatus = 'unchecked' | 'verified' | 'failed';

/** Codes that need a verified identity: they act on the patient's record. */
export const NEEDS_VERIFIED_IDENTITY: readonly DispositionCode[] = ['DONE', 'RECONFIRMED'];
/** After a failed check the agent closes the call as one of these, never a booking. */
export const AFTER_FAILED_IDENTITY: readonly DispositionCode[] = ['UNAVLBL', 'WNUM'];

export function isIdentityField(value: string): value is IdentityField {
  return (IDENTITY_FIELDS as readonly string[]).includes(value);
}

/** The practice's fields, checked: known names, no repeats, at least one. */
export function parseIdentityFields(
  fields: readonly string[],
): { ok: true; fields: IdentityField[] } | { ok: false; message: string } {
  const unknown = fields.filter((f) => !isIdentityField(f));
  if (unknown.length) {
    return {
      ok: false,
      message: `unknown field ${unknown.join(', ')} (use ${IDENTITY_FIELDS.join(', ')})`,
    };
  }
  const unique = [...new Set(fields)] as IdentityField[];
  if (!unique.length) return { ok: false, message: 'choose at least one field to verify' };
  return { ok: true, fields: IDENTITY_FIELDS.filter((f) => unique.includes(f)) };
}

export type IdentityCheck =
  | { ok: true; verified: boolean; failed: IdentityField[]; checks: Record<IdentityField, boolean> }
  | { ok: false; field: string; message: string };

/** The agent's answers against the practice's fields: every field answered, verified if all match. */
export function evaluateIdentityCheck(
  required: readonly IdentityField[],
  answers: Readonly<Record<string, unknown>>,
): IdentityCheck {
  const extra = Object.keys(answers).filter((k) => !required.includes(k as IdentityField));
  if (extra.length) {
    return {
      ok: false,
      field: extra[0],
      message: `${extra[0]}: not one of the fields this practice verifies`,
    };
  }
  const checks = {} as Record<IdentityField, boolean>;
  for (const f of required) {
    const v = answers[f];
    if (typeof v !== 'boolean') {
      return { ok: false, field: f, message: `${f}: say whether it matches (true) or not (false)` };
    }
    checks[f] = v;
  }
  const failed = required.filter((f) => !checks[f]);
  return { ok: true, verified: failed.length === 0, failed, checks };
}

export function identityStatus(verified: boolean | null | undefined): IdentityStatus {
  return verified === true ? 'verified' : verified === false ? 'failed' : 'unchecked';
}

/** How the refusals name the fields: "confirm name and date of birth first". */
const FIELD_PHRASES: Readonly<Record<IdentityField, string>> = {
  name: 'name',
  dob: 'date of birth',
  zip: 'ZIP code',
  phone: 'phone number',
};

/** "name", "name and date of birth", "name, date of birth and ZIP code". */
export function identityFieldsPhrase(fields: readonly IdentityField[]): string {
  const words = (fields.length ? fields : DEFAULT_IDENTITY_FIELDS).map((f) => FIELD_PHRASES[f]);
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * Whether a code may be recorded for a call in this identity state; null when it may. The
 * refusal names the field `identityVerified` so the workspace can point at the identity step.
 */
export function identityGate(
  code: DispositionCode,
  status: IdentityStatus,
  fields: readonly IdentityField[] = DEFAULT_IDENTITY_FIELDS,
): { field: 'identityVerified'; message: string } | null {
  const closeAs = `close the call as ${AFTER_FAILED_IDENTITY.join(' or ')}`;
  if (NEEDS_VERIFIED_IDENTITY.includes(code) && status !== 'verified') {
    return {
      field: 'identityVerified',
      message:
        status === 'failed'
          ? `identity not verified: the check on this call failed; ${closeAs}`
          : `identity not verified: confirm ${identityFieldsPhrase(fields)} first`,
    };
  }
  if (status === 'failed' && !AFTER_FAILED_IDENTITY.includes(code)) {
    return { field: 'identityVerified', message: `the identity check on this call failed: ${closeAs}` };
  }
  return null;
}

/** Where a disposition comes from, as far as the identity check is concerned. */
export interface IdentityEntry {
  /** The identity state of the call the disposition closes; null when it names no call start. */
  call: IdentityStatus | null;
  source: 'workspace' | 'api' | 'cli' | 'sheet';
  /** Recorded by an agent (not a manager or an admin entering from the back office). */
  byAgent: boolean;
}

/**
 * The identity rule for a disposition: refused, or what its attempt records. A call started in
 * the app goes through `identityGate`; the attempt copies the call's result (null when nobody
 * checked, e.g. no answer). Without a call start the entry is back-office (a paper sheet, the
 * CLI, a manager's entry for a call made elsewhere): allowed, recorded as unknown (null). The
 * workspace and agents on the API always have a call start to close, so a booking from them
 * without one is refused.
 */
export function identityForEntry(
  code: DispositionCode,
  entry: IdentityEntry,
  fields: readonly IdentityField[] = DEFAULT_IDENTITY_FIELDS,
): { ok: true; verified: boolean | null } | { ok: false; field: 'identityVerified'; message: string } {
  if (entry.call !== null) {
    const refused = identityGate(code, entry.call, fields);
    if (refused) return { ok: false, ...refused };
    return { ok: true, verified: entry.call === 'unchecked' ? null : entry.call === 'verified' };
  }
  const backOffice =
    entry.source === 'sheet' || entry.source === 'cli' || (!entry.byAgent && entry.source === 'api');
  if (!backOffice && NEEDS_VERIFIED_IDENTITY.includes(code)) {
    return {
      ok: false,
      field: 'identityVerified',
      message: `identity not verified: start the call and confirm ${identityFieldsPhrase(fields)} first`,
    };
  }
  return { ok: true, verified: null };
}
