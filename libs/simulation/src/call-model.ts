import { draw, drawInt, pick } from './seeded-draw';
import type { SimAgeBand, SimulationParams } from './simulation-params';

export type SimulatedCode =
  | 'DONE'
  | 'NOANS'
  | 'LVM'
  | 'WNUM'
  | 'CBACK'
  | 'LOST'
  | 'DCONN'
  | 'UNAVLBL'
  | 'HUNGUP'
  | 'DNC'
  | 'RECONFIRMED';

export interface SimulatedCallInput {
  seed: number;
  /** Names the campaign: a patient answers each campaign's calls independently. */
  campaign: string;
  mrn: string;
  /** The attempt this call is (1 for the first). */
  attempt: number;
  localHour: number;
  ageBand: SimAgeBand;
  /** This call keeps a callback the patient asked for. */
  callback: boolean;
}

export interface SimulatedCall {
  code: SimulatedCode;
  /** DONE, RECONFIRMED: days from the call to the appointment; CBACK: to the callback. */
  daysAhead: number | null;
  /** The patient-local hour of the appointment or the callback. */
  hourAhead: number | null;
  reason: string | null;
  remarks: string | null;
  handleSeconds: number;
}

export const RED_FLAG_REMARKS = [
  "Said she'll call her lawyer if we keep calling",
  'Patient called this a scam and wants to file a complaint',
  'Threatened to post about us on social media',
  'Asked to speak to the CEO about billing',
] as const;

const LOST_REASONS = ['Found another doctor', 'Moved out of the area', 'Need met elsewhere'] as const;

/** The chance this call reaches the patient. */
export function pickupProbability(p: SimulationParams, input: SimulatedCallInput): number {
  if (input.callback) return p.callbackKeptRate;
  const f = (p.pickupByHour[input.localHour] ?? 1) * (p.pickupByAgeBand[input.ageBand] ?? 1);
  return Math.min(1, p.pickupRate * f);
}

export function bookingProbability(p: SimulationParams, attempt: number): number {
  const table = p.bookingByAttempt;
  return table[Math.min(attempt, table.length) - 1];
}

/** What happens on one call: a pure function of the seed, the patient, the attempt and the hour. */
export function simulateCall(p: SimulationParams, input: SimulatedCallInput): SimulatedCall {
  const key = (what: string) => [what, input.campaign, input.mrn, input.attempt] as const;
  const u = (what: string) => draw(input.seed, ...key(what));
  const handle = (range: [number, number]) => drawInt(input.seed, range[0], range[1], ...key('handle'));
  const base = { daysAhead: null, hourAhead: null, reason: null, remarks: null };
  if (u('pickup') >= pickupProbability(p, input)) {
    const code = pick(u('miss'), p.misses);
    return { ...base, code, handleSeconds: handle(p.handleSeconds.miss) };
  }
  const handleSeconds = handle(p.handleSeconds.contact);
  const hourAhead = drawInt(input.seed, p.dialHours.start, p.dialHours.end - 2, ...key('hour-ahead'));
  if (u('book') < bookingProbability(p, input.attempt)) {
    const daysAhead = drawInt(input.seed, p.leadDays.min, p.leadDays.max, ...key('lead'));
    return { ...base, code: 'DONE', daysAhead, hourAhead, handleSeconds };
  }
  const code = pick(u('other'), p.otherContacts);
  const flagged = u('flag') < p.escalationRate;
  const remarks = flagged
    ? RED_FLAG_REMARKS[Math.floor(u('flag-text') * RED_FLAG_REMARKS.length)]
    : code === 'DNC'
      ? 'Please do not call me again'
      : null;
  switch (code) {
    case 'CBACK':
      // A week later, so the callback keeps the weekly rhythm of the demo's cycles.
      return { ...base, code, daysAhead: 7, hourAhead, remarks, handleSeconds };
    case 'RECONFIRMED':
      return {
        ...base,
        code,
        daysAhead: drawInt(input.seed, p.leadDays.min, p.leadDays.max, ...key('lead')),
        hourAhead,
        remarks,
        handleSeconds,
      };
    case 'LOST':
      return {
        ...base,
        code,
        reason: LOST_REASONS[Math.floor(u('lost') * LOST_REASONS.length)],
        remarks,
        handleSeconds,
      };
    default:
      return { ...base, code, remarks, handleSeconds };
  }
}

/** The patient-local time an agent dials this patient on this attempt: hour and minute. */
export function dialTime(
  p: SimulationParams,
  seed: number,
  campaign: string,
  mrn: string,
  attempt: number,
): { hour: number; minute: number; second: number } {
  return {
    hour: drawInt(seed, p.dialHours.start, p.dialHours.end - 1, 'dial-hour', campaign, mrn, attempt),
    minute: drawInt(seed, 0, 49, 'dial-minute', campaign, mrn, attempt),
    second: drawInt(seed, 0, 59, 'dial-second', campaign, mrn, attempt),
  };
}

/** Whether the follow-up export shows this booking completed (else a no-show). */
export function keptVisit(p: SimulationParams, seed: number, campaign: string, mrn: string): boolean {
  return draw(seed, 'kept', campaign, mrn) < p.showRate;
}
