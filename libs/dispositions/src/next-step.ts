import type { CampaignSettings, MemberState } from '@recall/campaigns';
import { DateTime, IANAZone } from 'luxon';
import { DISPOSITIONS, type DispositionCode } from './disposition-codes';

/**
 * What follows a disposition (DOMAIN.md §5), as a pure function of the call and the member's
 * state before it. The database applies the outcome with a conditional update (the cap and the
 * member's openness are re-checked there); this decides what that update should be.
 *
 * Retry delays count calendar days from the practice-local day of the call, then move to the
 * first working day (and non-holiday) on or after: the settings read as days ("7" = next week,
 * "14" = the week after), and a retry should land on a day someone calls. A delay of 0 leaves
 * `notBefore` null (callable at once).
 */

/** An instant: a Date, or ISO 8601; without an offset it is the wall clock in the zone named per field. */
export type InstantInput = Date | string;

export interface PhoneOnFile {
  e164: string | null;
  valid: boolean;
  /** Already marked bad for the practice (an earlier WNUM/DCONN). */
  bad: boolean;
}

export interface DispositionDetails {
  /** DONE, RECONFIRMED: the appointment (offset-less = practice wall clock). */
  appointmentAt?: InstantInput | null;
  /** CBACK: when to call back (offset-less = patient wall clock). */
  callbackAt?: InstantInput | null;
  /** LOST: why (found another doctor, need met…). */
  reason?: string | null;
  /** DUPLICATE: the patient record this one duplicates. */
  survivorId?: string | null;
  /** The number dialled (E.164); required for WNUM and DCONN. */
  phoneUsed?: string | null;
}

export interface NextStepInput {
  code: DispositionCode;
  details: DispositionDetails;
  /** The agent recording the call (a callback stays with them). */
  agentId: string;
  patient: { id: string; phones: readonly PhoneOnFile[] };
  member: {
    state: MemberState;
    attempts: number;
    /** The cap stored on the member at enrolment (the database's CHECK); else the campaign's. */
    attemptCap?: number | null;
  };
  settings: Pick<CampaignSettings, 'attemptCap' | 'retryDelayDays' | 'callingHours' | 'workingDays'>;
  /** Practice-local dates (YYYY-MM-DD) nobody calls; a retry never lands on one. */
  holidays?: readonly string[];
  practiceZone: string;
  patientZone: string;
  /** When the call happened (the clock's now, or a back-office entry's --at). */
  now: Date;
  /** Whether a call may start at that instant for this patient (the calling-window module). */
  isInsideWindow: (instant: Date) => boolean;
}

export type OutcomeMemberState =
  'open' | 'converted' | 'reconfirmed' | 'lost' | 'dnc' | 'exhausted' | 'unreachable';

export interface DispositionOutcome {
  code: DispositionCode;
  countsAsAttempt: boolean;
  /** This attempt's number (1-based), null when it is not an attempt. */
  attemptNumber: number | null;
  memberState: OutcomeMemberState;
  /** Practice-local day before which the member is not called again (open members only). */
  notBefore: string | null;
  /** A promised callback (ISO UTC), kept by the agent who took it (open members only). */
  callback: { at: string; agentId: string } | null;
  /** CBACK: the time the patient asked for (ISO UTC), kept on the attempt even when the cap closes the member. */
  callbackRequestedAt: string | null;
  /** DONE, RECONFIRMED: the appointment (ISO UTC). */
  appointmentAt: string | null;
  /** Record the appointment on the patient (who is then no longer callable anywhere). */
  bookPatient: boolean;
  /** WNUM, DCONN: the number to mark bad for the practice. */
  markNumberBad: string | null;
  /** WNUM, DCONN on an open member: the number calls continue on. */
  nextNumber: string | null;
  doNotCall: boolean;
  /** Close the patient in every campaign of the practice (DNC). */
  closesEverywhere: boolean;
  /** DUPLICATE: the surviving record to link this one to. */
  survivorId: string | null;
  /** LOST: the reason, trimmed. */
  reason: string | null;
  /** The hour on the patient's clock when the call happened (for the attempt row and reports). */
  patientLocalHour: number;
  /** UNAVLBL on an open member: practice-local hours to retry in, the other half of the calling day. */
  preferredHours: { start: string; end: string } | null;
}

export type DispositionField =
  | 'code'
  | 'member'
  | 'appointmentAt'
  | 'callbackAt'
  | 'agentId'
  | 'reason'
  | 'survivorId'
  | 'phoneUsed'
  | 'practiceZone'
  | 'patientZone';

export interface DispositionValidationError {
  field: DispositionField;
  message: string;
}

export type NextStepResult =
  { ok: true; outcome: DispositionOutcome } | { ok: false; error: DispositionValidationError };

const fail = (field: DispositionField, message: string): NextStepResult => ({
  ok: false,
  error: { field, message },
});

export function nextStep(input: NextStepInput): NextStepResult {
  const spec = DISPOSITIONS[input.code];
  if (!spec) return fail('code', `unknown disposition code: ${String(input.code)}`);
  for (const field of ['practiceZone', 'patientZone'] as const) {
    if (!IANAZone.isValidZone(input[field])) return fail(field, `not a time zone: ${input[field]}`);
  }
  const { member, details, now } = input;
  if (member.state !== 'open') {
    return fail('member', `the patient is no longer open in this campaign (${member.state})`);
  }
  const cap = member.attemptCap ?? input.settings.attemptCap;
  if (spec.attempt && member.attempts >= cap) {
    return fail('member', `the patient has had all ${cap} attempts in this campaign`);
  }

  let appointmentAt: Date | null = null;
  if (spec.requiresAppointment) {
    const parsed = parseInstant(details.appointmentAt, input.practiceZone, 'appointment');
    if ('error' in parsed) return fail('appointmentAt', parsed.error);
    if (parsed.at.getTime() <= now.getTime()) {
      return fail(
        'appointmentAt',
        `the appointment must be in the future (${practiceTime(parsed.at, input)})`,
      );
    }
    appointmentAt = parsed.at;
  }

  let callbackAt: Date | null = null;
  if (spec.requiresCallback) {
    const parsed = parseInstant(details.callbackAt, input.patientZone, 'callback');
    if ('error' in parsed) return fail('callbackAt', parsed.error);
    if (parsed.at.getTime() <= now.getTime()) {
      return fail('callbackAt', `the callback time must be in the future (${patientTime(parsed.at, input)})`);
    }
    if (!input.isInsideWindow(parsed.at)) {
      return fail(
        'callbackAt',
        `${patientTime(parsed.at, input)} is outside the calling window; choose another time`,
      );
    }
    if (!input.agentId?.trim()) return fail('agentId', 'a callback needs the agent who promised it');
    callbackAt = parsed.at;
  }

  const reason = details.reason?.trim() || null;
  if (spec.requiresReason && !reason) return fail('reason', `${spec.label} needs a reason`);

  const survivorId = details.survivorId?.trim() || null;
  if (spec.requiresSurvivor) {
    if (!survivorId) return fail('survivorId', 'choose the surviving patient record');
    if (survivorId === input.patient.id) return fail('survivorId', 'a record cannot duplicate itself');
  }

  const phoneUsed = details.phoneUsed?.trim() || null;
  let markNumberBad: string | null = null;
  let nextNumber: string | null = null;
  if (spec.numberLevel) {
    if (!phoneUsed) return fail('phoneUsed', `${spec.label} needs the number that was dialled`);
    if (!input.patient.phones.some((p) => p.e164 === phoneUsed)) {
      return fail('phoneUsed', `${phoneUsed} is not one of the patient's numbers`);
    }
    markNumberBad = phoneUsed;
    nextNumber =
      input.patient.phones.find((p) => p.e164 !== null && p.valid && !p.bad && p.e164 !== phoneUsed)?.e164 ??
      null;
  }

  const attemptNumber = spec.attempt ? member.attempts + 1 : null;
  const memberState: OutcomeMemberState =
    spec.closesAs ??
    (spec.numberLevel && nextNumber === null
      ? 'unreachable'
      : attemptNumber !== null && attemptNumber >= cap
        ? 'exhausted'
        : 'open');
  const open = memberState === 'open';

  let notBefore: string | null = null;
  if (open && callbackAt) notBefore = practiceDay(callbackAt, input.practiceZone);
  else if (open && spec.retryDelayKey) {
    notBefore = retryDay(now, input.settings.retryDelayDays[spec.retryDelayKey] ?? 0, input);
  }

  return {
    ok: true,
    outcome: {
      code: spec.code,
      countsAsAttempt: spec.attempt,
      attemptNumber,
      memberState,
      notBefore,
      callback: open && callbackAt ? { at: callbackAt.toISOString(), agentId: input.agentId } : null,
      callbackRequestedAt: callbackAt?.toISOString() ?? null,
      appointmentAt: appointmentAt?.toISOString() ?? null,
      bookPatient: appointmentAt !== null,
      markNumberBad,
      nextNumber: open ? nextNumber : null,
      doNotCall: spec.doNotCall,
      closesEverywhere: spec.doNotCall,
      survivorId: spec.requiresSurvivor ? survivorId : null,
      reason: spec.requiresReason ? reason : null,
      patientLocalHour: DateTime.fromJSDate(now, { zone: input.patientZone }).hour,
      preferredHours: open && spec.differentTimeOfDay ? otherHalfOfDay(now, input) : null,
    },
  };
}

const OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

function parseInstant(
  value: InstantInput | null | undefined,
  zone: string,
  what: string,
): { at: Date } | { error: string } {
  if (value === null || value === undefined || value === '')
    return { error: `the ${what} date and time are required` };
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? { error: `the ${what} time is not a valid date` } : { at: value };
  }
  const text = value.trim();
  if (/^\d{4}-?\d{2}-?\d{2}$/.test(text)) return { error: `the ${what} needs a time as well as a date` };
  const dt = DateTime.fromISO(text, { zone });
  if (!dt.isValid) return { error: `the ${what} time is not an ISO 8601 date-time: ${text}` };
  if (!OFFSET.test(text)) {
    // A wall-clock time the clocks skip (spring forward) does not exist; luxon would shift it.
    const wall = DateTime.fromISO(text, { zone: 'utc' });
    if (wall.hour !== dt.hour || wall.minute !== dt.minute) {
      return { error: `${text} does not exist in ${zone} (the clocks change then)` };
    }
  }
  return { at: dt.toJSDate() };
}

function practiceDay(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate()!;
}

function retryDay(now: Date, delayDays: number, input: NextStepInput): string | null {
  if (!(delayDays > 0)) return null;
  const off = new Set(input.holidays ?? []);
  const worked = input.settings.workingDays;
  let day = DateTime.fromJSDate(now, { zone: input.practiceZone }).startOf('day').plus({ days: delayDays });
  for (let i = 0; i < 366; i++) {
    if ((worked.length === 0 || worked.includes(day.weekday)) && !off.has(day.toISODate()!)) break;
    day = day.plus({ days: 1 });
  }
  return day.toISODate()!;
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};
const hhmm = (total: number) =>
  `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;

/** The half of the practice's calling hours this call was not in (before the midpoint → after it). */
function otherHalfOfDay(now: Date, input: NextStepInput): { start: string; end: string } {
  const { start, end } = input.settings.callingHours;
  const mid = hhmm(Math.round((minutes(start) + minutes(end)) / 2));
  const local = DateTime.fromJSDate(now, { zone: input.practiceZone });
  return local.hour * 60 + local.minute < minutes(mid) ? { start: mid, end } : { start, end: mid };
}

function practiceTime(at: Date, input: NextStepInput): string {
  return DateTime.fromJSDate(at, { zone: input.practiceZone }).toFormat(
    "ccc d LLL yyyy, h:mm a ZZZZ 'practice time'",
  );
}

function patientTime(at: Date, input: NextStepInput): string {
  return DateTime.fromJSDate(at, { zone: input.patientZone }).toFormat(
    "ccc d LLL yyyy, h:mm a ZZZZ 'patient time'",
  );
}
