import { DateTime } from 'luxon';
import { DEFAULT_SETTINGS } from '../../campaigns/src/campaign-types';
import type { DispositionCode } from './disposition-codes';
import { nextStep, type DispositionOutcome, type NextStepInput, type PhoneOnFile } from './next-step';

const PRACTICE_ZONE = 'America/New_York';
const PATIENT_ZONE = 'America/Chicago';
/** Wednesday 4 March 2026, 10:00 in New York, 09:00 in Chicago. */
const NOW = new Date('2026-03-04T15:00:00Z');
const MINUTE = 60_000;

const MOBILE = '+13125550101';
const HOME = '+13125550102';
const WORK = '+13125550103';

/** The calling window as a stand-in: weekdays 09:00–20:00 on the patient's clock. */
const insideWindow = (at: Date) => {
  const local = DateTime.fromJSDate(at, { zone: PATIENT_ZONE });
  return local.weekday <= 5 && local.hour >= 9 && local.hour < 20;
};

const phones = (...list: [string, boolean?, boolean?][]): PhoneOnFile[] =>
  list.map(([e164, valid = true, bad = false]) => ({ e164, valid, bad }));

function input(code: DispositionCode, over: Partial<NextStepInput> = {}): NextStepInput {
  return {
    code,
    details: { phoneUsed: MOBILE },
    agentId: 'agent-1',
    patient: { id: 'patient-1', phones: phones([MOBILE], [HOME]) },
    member: { state: 'open', attempts: 0, attemptCap: 5 },
    settings: DEFAULT_SETTINGS,
    practiceZone: PRACTICE_ZONE,
    patientZone: PATIENT_ZONE,
    now: NOW,
    isInsideWindow: insideWindow,
    ...over,
  };
}

function outcome(i: NextStepInput): DispositionOutcome {
  const result = nextStep(i);
  if (!result.ok) throw new Error(`expected an outcome, got ${JSON.stringify(result.error)}`);
  return result.outcome;
}

function error(i: NextStepInput) {
  const result = nextStep(i);
  if (result.ok) throw new Error(`expected a validation error, got ${JSON.stringify(result.outcome)}`);
  return result.error;
}

const at = (ms: number) => new Date(NOW.getTime() + ms);

describe('nextStep: DONE and RECONFIRMED', () => {
  const appointment = '2026-03-10T09:30:00-05:00';

  it('DONE with a future appointment converts and books the patient', () => {
    expect(outcome(input('DONE', { details: { appointmentAt: appointment } }))).toEqual({
      code: 'DONE',
      countsAsAttempt: true,
      attemptNumber: 1,
      memberState: 'converted',
      notBefore: null,
      callback: null,
      callbackRequestedAt: null,
      appointmentAt: '2026-03-10T14:30:00.000Z',
      bookPatient: true,
      markNumberBad: null,
      nextNumber: null,
      doNotCall: false,
      closesEverywhere: false,
      survivorId: null,
      reason: null,
      patientLocalHour: 9,
      preferredHours: null,
    });
  });

  it('reads an appointment without an offset on the practice clock', () => {
    const o = outcome(input('DONE', { details: { appointmentAt: '2026-03-10T09:30' } }));
    expect(o.appointmentAt).toBe('2026-03-10T13:30:00.000Z'); // 09:30 EDT (DST began 8 March)
  });

  it.each([
    ['1 minute in the past', at(-MINUTE), /must be in the future/],
    ['exactly now', NOW, /must be in the future/],
    ['missing', null, /required/],
    ['a date without a time', '2026-03-10', /needs a time as well/],
    ['not a date', 'next Tuesday', /not an ISO 8601/],
    ['an invalid ISO string', '2026-02-30T10:00', /not an ISO 8601/],
    ['an invalid Date', new Date('nope'), /not a valid date/],
  ])('refuses an appointment %s', (_what, appointmentAt, message) => {
    for (const code of ['DONE', 'RECONFIRMED'] as const) {
      const e = error(input(code, { details: { appointmentAt } }));
      expect(e.field).toBe('appointmentAt');
      expect(e.message).toMatch(message);
    }
  });

  it('accepts an appointment 1 minute ahead', () => {
    expect(outcome(input('DONE', { details: { appointmentAt: at(MINUTE) } })).memberState).toBe('converted');
  });

  it('RECONFIRMED closes as reconfirmed, records the appointment, and is not a conversion', () => {
    const o = outcome(input('RECONFIRMED', { details: { appointmentAt: appointment } }));
    expect(o).toMatchObject({ memberState: 'reconfirmed', bookPatient: true, countsAsAttempt: true });
  });

  it('a DONE on the last allowed attempt still converts', () => {
    const o = outcome(
      input('DONE', {
        details: { appointmentAt: appointment },
        member: { state: 'open', attempts: 4, attemptCap: 5 },
      }),
    );
    expect(o).toMatchObject({ attemptNumber: 5, memberState: 'converted' });
  });
});

describe('nextStep: retries (NOANS, LVM, UNAVLBL, HUNGUP)', () => {
  it.each([
    ['NOANS', 7, '2026-03-11'],
    ['LVM', 3, '2026-03-09'], // Saturday the 7th → Monday
    ['UNAVLBL', 2, '2026-03-06'],
    ['HUNGUP', 14, '2026-03-18'],
  ] as const)('%s returns after %i calendar days, on a working day', (code, _days, notBefore) => {
    const o = outcome(input(code));
    expect(o).toMatchObject({ memberState: 'open', countsAsAttempt: true, attemptNumber: 1, notBefore });
    expect(o.callback).toBeNull();
    expect(o.markNumberBad).toBeNull();
  });

  it("counts from the practice's day, not UTC's", () => {
    const lateEvening = new Date('2026-03-05T03:00:00Z'); // 22:00 on the 4th in New York
    expect(outcome(input('NOANS', { now: lateEvening })).notBefore).toBe('2026-03-11');
  });

  it('skips holidays and uses the campaign delays', () => {
    expect(outcome(input('NOANS', { holidays: ['2026-03-11', '2026-03-12'] })).notBefore).toBe('2026-03-13');
    const settings = {
      ...DEFAULT_SETTINGS,
      retryDelayDays: { ...DEFAULT_SETTINGS.retryDelayDays, NOANS: 1 },
    };
    expect(outcome(input('NOANS', { settings })).notBefore).toBe('2026-03-05');
    const none = { ...DEFAULT_SETTINGS, retryDelayDays: { ...DEFAULT_SETTINGS.retryDelayDays, NOANS: 0 } };
    expect(outcome(input('NOANS', { settings: none })).notBefore).toBeNull();
  });

  it('UNAVLBL asks for the other half of the calling day', () => {
    expect(outcome(input('UNAVLBL')).preferredHours).toEqual({ start: '14:00', end: '19:00' });
    const afternoon = new Date('2026-03-04T20:00:00Z'); // 15:00 in New York
    expect(outcome(input('UNAVLBL', { now: afternoon })).preferredHours).toEqual({
      start: '09:00',
      end: '14:00',
    });
    expect(outcome(input('NOANS')).preferredHours).toBeNull();
  });

  it('records the hour on the patient’s clock', () => {
    expect(outcome(input('NOANS')).patientLocalHour).toBe(9);
  });
});

describe('nextStep: the attempt cap', () => {
  const member = (attempts: number, attemptCap = 5) => ({
    member: { state: 'open' as const, attempts, attemptCap },
  });

  it('the 4th attempt leaves the member open, the 5th exhausts it', () => {
    expect(outcome(input('NOANS', member(3)))).toMatchObject({ attemptNumber: 4, memberState: 'open' });
    const fifth = outcome(input('NOANS', member(4)));
    expect(fifth).toMatchObject({
      attemptNumber: 5,
      memberState: 'exhausted',
      notBefore: null,
      callback: null,
    });
  });

  it('a callback promised on the last attempt is not kept: the member is exhausted', () => {
    const o = outcome(input('CBACK', { ...member(4), details: { callbackAt: '2026-03-05T10:00' } }));
    expect(o).toMatchObject({ memberState: 'exhausted', callback: null, notBefore: null });
    // The attempt still records what the patient asked for.
    expect(o.callbackRequestedAt).toMatch(/^2026-03-05T/);
  });

  it('refuses an attempt past the cap, but not a DUPLICATE', () => {
    expect(error(input('NOANS', member(5)))).toMatchObject({ field: 'member' });
    expect(
      outcome(input('DUPLICATE', { ...member(4), details: { survivorId: 'patient-2' } })).memberState,
    ).toBe('open');
  });

  it("uses the member's own cap over the campaign's", () => {
    expect(outcome(input('NOANS', member(2, 3))).memberState).toBe('exhausted');
    expect(outcome(input('NOANS', { member: { state: 'open', attempts: 4 } })).memberState).toBe('exhausted');
    expect(
      outcome(input('NOANS', { member: { state: 'open', attempts: 4, attemptCap: 7 } })).memberState,
    ).toBe('open');
  });

  it.each([
    'converted',
    'reconfirmed',
    'lost',
    'dnc',
    'exhausted',
    'unreachable',
    'booked_elsewhere',
    'released',
  ] as const)('refuses any disposition on a %s member', (state) => {
    for (const code of ['NOANS', 'DUPLICATE', 'DNC'] as const) {
      expect(
        error(input(code, { member: { state, attempts: 1, attemptCap: 5 }, details: { survivorId: 'p2' } })),
      ).toMatchObject({ field: 'member' });
    }
  });
});

describe('nextStep: CBACK', () => {
  it('keeps the callback with the agent, on the patient’s clock', () => {
    const o = outcome(input('CBACK', { details: { callbackAt: '2026-03-05T10:00' } }));
    expect(o).toMatchObject({
      memberState: 'open',
      countsAsAttempt: true,
      callback: { at: '2026-03-05T16:00:00.000Z', agentId: 'agent-1' },
      notBefore: '2026-03-05',
    });
  });

  it('accepts an instant with an offset or a Date', () => {
    const a = outcome(input('CBACK', { details: { callbackAt: '2026-03-05T17:00:00+01:00' } })); // 10:00 Chicago
    expect(a.callback?.at).toBe('2026-03-05T16:00:00.000Z');
    const b = outcome(input('CBACK', { details: { callbackAt: new Date('2026-03-05T16:00:00Z') } }));
    expect(b.callback?.at).toBe('2026-03-05T16:00:00.000Z');
  });

  it.each([
    ['in the past', at(-MINUTE), /must be in the future/],
    ['missing', undefined, /required/],
    [
      'before the window opens (08:59 patient time)',
      '2026-03-05T08:59',
      /8:59 AM CST patient time is outside the calling window/,
    ],
    ['at the window’s end (20:00 patient time)', '2026-03-05T20:00', /outside the calling window/],
    ['on a Saturday', '2026-03-07T12:00', /outside the calling window/],
    ['in the hour the clocks skip', '2026-03-08T02:30', /does not exist/],
  ])('refuses a callback %s', (_what, callbackAt, message) => {
    const e = error(input('CBACK', { details: { callbackAt } }));
    expect(e.field).toBe('callbackAt');
    expect(e.message).toMatch(message);
  });

  it('asks the window about the callback instant itself', () => {
    const asked: Date[] = [];
    outcome(
      input('CBACK', {
        details: { callbackAt: '2026-03-05T10:00' },
        isInsideWindow: (instant) => (asked.push(instant), true),
      }),
    );
    expect(asked).toEqual([new Date('2026-03-05T16:00:00Z')]);
  });

  it('needs the agent', () => {
    expect(error(input('CBACK', { agentId: ' ', details: { callbackAt: '2026-03-05T10:00' } })).field).toBe(
      'agentId',
    );
  });
});

describe('nextStep: WNUM and DCONN', () => {
  it.each(['WNUM', 'DCONN'] as const)('%s marks the number bad and moves to the next good one', (code) => {
    const patient = { id: 'patient-1', phones: phones([MOBILE], [HOME, false], [WORK]) };
    const o = outcome(input(code, { patient }));
    expect(o).toMatchObject({
      memberState: 'open',
      markNumberBad: MOBILE,
      nextNumber: WORK,
      countsAsAttempt: true,
    });
  });

  it.each(['WNUM', 'DCONN'] as const)('%s on the last good number leaves the patient unreachable', (code) => {
    const patient = { id: 'patient-1', phones: phones([MOBILE, true, true], [HOME], [WORK, false]) };
    const o = outcome(input(code, { patient, details: { phoneUsed: HOME } }));
    expect(o).toMatchObject({
      memberState: 'unreachable',
      markNumberBad: HOME,
      nextNumber: null,
      notBefore: null,
    });
  });

  it('unreachable wins over exhausted on the last attempt; a next number does not save an exhausted member', () => {
    const last = { state: 'open' as const, attempts: 4, attemptCap: 5 };
    const alone = { id: 'patient-1', phones: phones([MOBILE]) };
    expect(outcome(input('WNUM', { member: last, patient: alone })).memberState).toBe('unreachable');
    const o = outcome(input('WNUM', { member: last }));
    expect(o).toMatchObject({ memberState: 'exhausted', markNumberBad: MOBILE, nextNumber: null });
  });

  it('needs the number dialled, and it must be the patient’s', () => {
    expect(error(input('WNUM', { details: {} })).field).toBe('phoneUsed');
    expect(error(input('DCONN', { details: { phoneUsed: '+13125559999' } }))).toMatchObject({
      field: 'phoneUsed',
      message: expect.stringMatching(/not one of the patient's numbers/),
    });
  });

  it('uses the campaign delay for the next number (none by default)', () => {
    expect(outcome(input('WNUM')).notBefore).toBeNull();
    const settings = { ...DEFAULT_SETTINGS, retryDelayDays: { ...DEFAULT_SETTINGS.retryDelayDays, WNUM: 1 } };
    expect(outcome(input('WNUM', { settings })).notBefore).toBe('2026-03-05');
  });
});

describe('nextStep: LOST, DNC, DUPLICATE', () => {
  it('LOST needs a reason and closes the member', () => {
    expect(error(input('LOST', { details: { reason: '  ' } }))).toMatchObject({ field: 'reason' });
    expect(error(input('LOST'))).toMatchObject({ field: 'reason' });
    expect(outcome(input('LOST', { details: { reason: ' found another doctor ' } }))).toMatchObject({
      memberState: 'lost',
      reason: 'found another doctor',
      countsAsAttempt: true,
    });
  });

  it('DNC closes the patient everywhere, for good', () => {
    expect(outcome(input('DNC'))).toMatchObject({
      memberState: 'dnc',
      doNotCall: true,
      closesEverywhere: true,
      countsAsAttempt: true,
      notBefore: null,
      callback: null,
      nextNumber: null,
    });
    expect(outcome(input('DNC', { member: { state: 'open', attempts: 4, attemptCap: 5 } })).memberState).toBe(
      'dnc',
    );
    for (const code of ['DONE', 'NOANS', 'LOST', 'WNUM'] as const) {
      const o = outcome(
        input(code, { details: { appointmentAt: at(60 * MINUTE), reason: 'moved', phoneUsed: MOBILE } }),
      );
      expect(o.doNotCall || o.closesEverywhere).toBe(false);
    }
  });

  it('DUPLICATE links to a survivor other than itself and is not an attempt', () => {
    expect(error(input('DUPLICATE', { details: {} }))).toMatchObject({ field: 'survivorId' });
    expect(error(input('DUPLICATE', { details: { survivorId: 'patient-1' } }))).toMatchObject({
      field: 'survivorId',
    });
    expect(outcome(input('DUPLICATE', { details: { survivorId: 'patient-2' } }))).toMatchObject({
      countsAsAttempt: false,
      attemptNumber: null,
      memberState: 'open',
      survivorId: 'patient-2',
      notBefore: null,
    });
  });

  it('rejects a zone that does not exist', () => {
    expect(error(input('NOANS', { patientZone: 'Mars/Olympus' })).field).toBe('patientZone');
    expect(error(input('NOANS', { practiceZone: '' })).field).toBe('practiceZone');
  });
});
