import fc from 'fast-check';
import { DateTime } from 'luxon';
import { DEFAULT_SETTINGS } from '../../campaigns/src/campaign-types';
import { DISPOSITION_CODES, type DispositionCode } from './disposition-codes';
import { nextStep, type OutcomeMemberState } from './next-step';

/**
 * Random sequences of dispositions on one member against a reference model of DOMAIN.md §5,
 * written from the domain text rather than from the disposition table.
 */
const CLOSES: Partial<Record<DispositionCode, OutcomeMemberState>> = {
  DONE: 'converted',
  RECONFIRMED: 'reconfirmed',
  LOST: 'lost',
  DNC: 'dnc',
};
const NUMBER_LEVEL: readonly DispositionCode[] = ['WNUM', 'DCONN'];
const NOT_ATTEMPTS: readonly DispositionCode[] = ['DUPLICATE'];

const PRACTICE_ZONE = 'America/New_York';
const PATIENT_ZONE = 'America/Denver';
const START = new Date('2026-03-02T15:00:00Z');
const insideWindow = (at: Date) => {
  const hour = DateTime.fromJSDate(at, { zone: PATIENT_ZONE }).hour;
  return hour >= 9 && hour < 20;
};

const scenario = fc.record({
  cap: fc.integer({ min: 1, max: 7 }),
  phones: fc
    .array(fc.boolean(), { minLength: 1, maxLength: 3 })
    .filter((valid) => valid.some(Boolean))
    .map((valid) => valid.map((v, i) => ({ e164: `+1303555010${i}`, valid: v }))),
  steps: fc.array(
    fc.record({
      code: fc.constantFrom(...DISPOSITION_CODES),
      // Mostly complete details; sometimes none at all (the call must then be refused or need none).
      complete: fc.oneof(
        { weight: 4, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      hoursLater: fc.integer({ min: 1, max: 96 }),
    }),
    { maxLength: 30 },
  ),
});

describe('nextStep against a reference model', () => {
  it('never exceeds the cap, never reopens a closed member, keeps DNC for good, and moves WNUM/DCONN to the next number', () => {
    fc.assert(
      fc.property(scenario, ({ cap, phones, steps }) => {
        let state: OutcomeMemberState = 'open';
        let attempts = 0;
        let dnc = false;
        const bad = new Set<string>();
        let now = START;
        const good = () => phones.filter((p) => p.valid && !bad.has(p.e164)).map((p) => p.e164);

        for (const { code, complete, hoursLater } of steps) {
          now = new Date(now.getTime() + hoursLater * 3_600_000);
          const local = DateTime.fromJSDate(now, { zone: PATIENT_ZONE });
          const phoneUsed = good()[0];
          const result = nextStep({
            code,
            details: complete
              ? {
                  appointmentAt: local.plus({ days: 3 }).toISO()!,
                  callbackAt: local.plus({ days: 1 }).set({ hour: 10, minute: 0 }).toISO()!,
                  reason: 'need met',
                  survivorId: 'patient-2',
                  phoneUsed,
                }
              : {},
            agentId: 'agent-1',
            patient: { id: 'patient-1', phones: phones.map((p) => ({ ...p, bad: bad.has(p.e164) })) },
            member: { state, attempts, attemptCap: cap },
            settings: DEFAULT_SETTINGS,
            practiceZone: PRACTICE_ZONE,
            patientZone: PATIENT_ZONE,
            now,
            isInsideWindow: insideWindow,
          });

          if (state !== 'open') {
            expect(result).toMatchObject({ ok: false, error: { field: 'member' } });
            continue;
          }
          expect(attempts).toBeLessThan(cap);
          if (complete) expect(result.ok).toBe(true);
          if (!result.ok) continue;
          const o = result.outcome;

          const attemptNumber = NOT_ATTEMPTS.includes(code) ? null : attempts + 1;
          expect(o.attemptNumber).toBe(attemptNumber);
          if (NUMBER_LEVEL.includes(code)) {
            expect(o.markNumberBad).toBe(phoneUsed);
            bad.add(phoneUsed);
          } else expect(o.markNumberBad).toBeNull();
          const expected =
            CLOSES[code] ??
            (NUMBER_LEVEL.includes(code) && good().length === 0
              ? 'unreachable'
              : attemptNumber !== null && attemptNumber >= cap
                ? 'exhausted'
                : 'open');
          expect(o.memberState).toBe(expected);
          if (NUMBER_LEVEL.includes(code) && expected === 'open') {
            expect(o.nextNumber).toBe(good()[0]);
            expect(o.nextNumber).not.toBe(phoneUsed);
          }
          expect(o.doNotCall).toBe(code === 'DNC');
          expect(o.closesEverywhere).toBe(code === 'DNC');
          if (o.memberState !== 'open')
            expect([o.notBefore, o.callback, o.nextNumber]).toEqual([null, null, null]);

          attempts = attemptNumber ?? attempts;
          state = o.memberState;
          dnc ||= o.doNotCall;
          expect(attempts).toBeLessThanOrEqual(cap);
          if (dnc) expect(state).toBe('dnc');
        }
      }),
    );
  });
});
