import type { RetryCode } from '@recall/campaigns';

/**
 * The twelve disposition codes (DOMAIN.md §5) and everything the rest of Recall needs to know
 * about each, as data. Queues, reports and the workspace read these flags; nothing else should
 * branch on a code's name.
 */
export const DISPOSITION_CODES = [
  'DONE',
  'NOANS',
  'LVM',
  'WNUM',
  'CBACK',
  'LOST',
  'DCONN',
  'UNAVLBL',
  'HUNGUP',
  'DNC',
  'RECONFIRMED',
  'DUPLICATE',
] as const;
export type DispositionCode = (typeof DISPOSITION_CODES)[number];

/** The member state a terminal code closes the member with. */
export type TerminalState = 'converted' | 'reconfirmed' | 'lost' | 'dnc';

export interface DispositionSpec {
  code: DispositionCode;
  label: string;
  /** The workspace's keyboard key (one lower-case letter, unique). */
  key: string;
  /** Somebody picked up the phone (the patient or not). */
  answered: boolean;
  /** The patient was reached (right-party contact): the basis of contact and conversion rates. */
  contact: boolean;
  /** Counts toward the campaign's attempt cap. */
  attempt: boolean;
  /** Ends the member in the campaign, whatever the attempt count. */
  terminal: boolean;
  /** The state a terminal code closes the member with; null for the others. */
  closesAs: TerminalState | null;
  /** An agent booking (the campaign's conversion). */
  converted: boolean;
  /** The patient had already booked (stale data): counted apart from agent conversions. */
  bookedAlready: boolean;
  /** The number dialled is bad for the practice; the patient moves to the next valid number. */
  numberLevel: boolean;
  requiresAppointment: boolean;
  requiresCallback: boolean;
  requiresReason: boolean;
  requiresSurvivor: boolean;
  /** The patient is not to be called again by the practice, in any campaign. */
  doNotCall: boolean;
  /** The campaign's `retryDelayDays` entry that sets when the member returns; null: no delay applies. */
  retryDelayKey: RetryCode | null;
  /** Retry at another time of day than this call's. */
  differentTimeOfDay: boolean;
}

type Flags = Omit<DispositionSpec, 'code' | 'label' | 'key'>;

const NONE: Flags = {
  answered: false,
  contact: false,
  attempt: true,
  terminal: false,
  closesAs: null,
  converted: false,
  bookedAlready: false,
  numberLevel: false,
  requiresAppointment: false,
  requiresCallback: false,
  requiresReason: false,
  requiresSurvivor: false,
  doNotCall: false,
  retryDelayKey: null,
  differentTimeOfDay: false,
};

const spec = (code: DispositionCode, label: string, key: string, flags: Partial<Flags>): DispositionSpec => ({
  code,
  label,
  key,
  ...NONE,
  ...flags,
});

const TALKED = { answered: true, contact: true } as const;
const CLOSES = (closesAs: TerminalState) => ({ terminal: true, closesAs }) as const;

export const DISPOSITIONS: Readonly<Record<DispositionCode, DispositionSpec>> = {
  DONE: spec('DONE', 'Booked (re-appointed)', 'd', {
    ...TALKED,
    ...CLOSES('converted'),
    converted: true,
    requiresAppointment: true,
  }),
  NOANS: spec('NOANS', 'No answer', 'n', { retryDelayKey: 'NOANS' }),
  LVM: spec('LVM', 'Left voicemail', 'v', { retryDelayKey: 'LVM' }),
  WNUM: spec('WNUM', 'Wrong number', 'w', { answered: true, numberLevel: true, retryDelayKey: 'WNUM' }),
  // The callback time, not a retry delay, says when the member returns.
  CBACK: spec('CBACK', 'Callback requested', 'c', { ...TALKED, requiresCallback: true }),
  LOST: spec('LOST', 'Lost (other doctor, need met)', 'l', {
    ...TALKED,
    ...CLOSES('lost'),
    requiresReason: true,
  }),
  DCONN: spec('DCONN', 'Disconnected number', 'x', { numberLevel: true, retryDelayKey: 'DCONN' }),
  UNAVLBL: spec('UNAVLBL', 'Patient not available', 'u', {
    answered: true,
    retryDelayKey: 'UNAVLBL',
    differentTimeOfDay: true,
  }),
  HUNGUP: spec('HUNGUP', 'Hung up', 'h', { ...TALKED, retryDelayKey: 'HUNGUP' }),
  DNC: spec('DNC', 'Do not call', 'z', { ...TALKED, ...CLOSES('dnc'), doNotCall: true }),
  RECONFIRMED: spec('RECONFIRMED', 'Already booked (reconfirmed)', 'r', {
    ...TALKED,
    ...CLOSES('reconfirmed'),
    bookedAlready: true,
    requiresAppointment: true,
  }),
  DUPLICATE: spec('DUPLICATE', 'Duplicate record', 'p', { attempt: false, requiresSurvivor: true }),
};

/** Keyboard key → code, for the workspace. */
export const DISPOSITION_KEYS: Readonly<Record<string, DispositionCode>> = Object.fromEntries(
  DISPOSITION_CODES.map((code) => [DISPOSITIONS[code].key, code]),
);

export type DispositionFlag = {
  [K in keyof DispositionSpec]: DispositionSpec[K] extends boolean ? K : never;
}[keyof DispositionSpec];

export function isDispositionCode(value: string): value is DispositionCode {
  return (DISPOSITION_CODES as readonly string[]).includes(value);
}

/** The code a key stands for (case-insensitive), or null. */
export function dispositionForKey(key: string): DispositionCode | null {
  const k = key.toLowerCase();
  return Object.hasOwn(DISPOSITION_KEYS, k) ? DISPOSITION_KEYS[k] : null;
}

/** The codes with a flag set, in table order: what reports and SQL filters use. */
export function codesWith(flag: DispositionFlag): DispositionCode[] {
  return DISPOSITION_CODES.filter((code) => DISPOSITIONS[code][flag]);
}
