/** Age bands as the reports count them. */
export const SIM_AGE_BANDS = ['<18', '18-34', '35-49', '50-64', '65-79', '80+', 'unknown'] as const;
export type SimAgeBand = (typeof SIM_AGE_BANDS)[number];

export type MissOutcome = 'LVM' | 'NOANS' | 'UNAVLBL' | 'WNUM' | 'DCONN';
export type ContactOutcome = 'CBACK' | 'HUNGUP' | 'LOST' | 'DNC' | 'RECONFIRMED';

/**
 * How patients answer, as plain data. Defaults follow DOMAIN.md §5 and §8: about 20 % of dials
 * reach the patient, nearly every first-attempt contact books, about 70 % on the second, fewer
 * after, and about 70 % of bookings are kept.
 */
export interface SimulationParams {
  /** Right-party contacts per dial before the hour and age factors. */
  pickupRate: number;
  /** Factor on the pickup rate by the patient's local hour (missing hours: 1). */
  pickupByHour: Record<number, number>;
  pickupByAgeBand: Record<SimAgeBand, number>;
  /** Share of contacts who book, by attempt number (1st, 2nd, …; the last applies beyond). */
  bookingByAttempt: number[];
  /** What the other contacts do (weights). */
  otherContacts: Record<ContactOutcome, number>;
  /** What the dials that do not reach the patient end as (weights). */
  misses: Record<MissOutcome, number>;
  /** A promised callback: the patient picks up at the agreed time with this probability. */
  callbackKeptRate: number;
  /** Share of contacts that do not book whose remarks carry a red flag (an escalation). */
  escalationRate: number;
  /** Share of bookings the follow-up export shows as completed (the rest: no-show). */
  showRate: number;
  /** Days from the call to the booked appointment. */
  leadDays: { min: number; max: number };
  /** Seconds on the phone: a contact, and a dial that reached nobody. */
  handleSeconds: { contact: [number, number]; miss: [number, number] };
  /** Patient-local hours the simulated agents dial in (start inclusive, end exclusive). */
  dialHours: { start: number; end: number };
}

export const DEFAULT_SIMULATION_PARAMS: SimulationParams = {
  pickupRate: 0.2,
  pickupByHour: { 9: 0.85, 10: 0.9, 11: 1, 12: 0.8, 13: 0.9, 14: 1, 15: 1.05, 16: 1.1, 17: 1.25, 18: 1.2 },
  pickupByAgeBand: {
    '<18': 0.8,
    '18-34': 0.7,
    '35-49': 0.85,
    '50-64': 1.05,
    '65-79': 1.3,
    '80+': 1.2,
    unknown: 1,
  },
  bookingByAttempt: [0.95, 0.7, 0.5, 0.35, 0.25],
  otherContacts: { CBACK: 0.4, HUNGUP: 0.2, LOST: 0.2, DNC: 0.1, RECONFIRMED: 0.1 },
  misses: { LVM: 0.45, NOANS: 0.37, UNAVLBL: 0.1, WNUM: 0.05, DCONN: 0.03 },
  callbackKeptRate: 0.6,
  escalationRate: 0.05,
  showRate: 0.7,
  leadDays: { min: 2, max: 18 },
  handleSeconds: { contact: [120, 420], miss: [25, 70] },
  dialHours: { start: 9, end: 19 },
};

export function resolveSimulationParams(given: Partial<SimulationParams> = {}): SimulationParams {
  const p = { ...DEFAULT_SIMULATION_PARAMS, ...given };
  const rate = (n: number, name: string) => {
    if (!(n >= 0 && n <= 1)) throw new Error(`${name}: must be between 0 and 1`);
  };
  rate(p.pickupRate, 'pickupRate');
  rate(p.callbackKeptRate, 'callbackKeptRate');
  rate(p.escalationRate, 'escalationRate');
  rate(p.showRate, 'showRate');
  p.bookingByAttempt.forEach((b, i) => rate(b, `bookingByAttempt[${i}]`));
  if (p.bookingByAttempt.length === 0) throw new Error('bookingByAttempt: at least one rate');
  if (p.leadDays.min < 1 || p.leadDays.max < p.leadDays.min) throw new Error('leadDays: 1 ≤ min ≤ max');
  return p;
}

export function ageBand(birthDate: string | null, onDay: string): SimAgeBand {
  if (!birthDate) return 'unknown';
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = onDay.split('-').map(Number);
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  if (age < 18) return '<18';
  if (age < 35) return '18-34';
  if (age < 50) return '35-49';
  if (age < 65) return '50-64';
  if (age < 80) return '65-79';
  return '80+';
}
