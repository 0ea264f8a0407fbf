import fc from 'fast-check';
import { DateTime } from 'luxon';
import rawRules from './calling-rules.json';
import {
  type CallingParty,
  type PracticeCallingHours,
  callsAllowedIn24h,
  exceedsDailyCap,
  loadCallingRules,
  nextOpening,
  patientZonesFor,
  windowFor,
  windowStatus,
} from './calling-window';

const rules = loadCallingRules();

/** A practice that never limits anything, so only the patient's side decides. */
const always: PracticeCallingHours = {
  timeZone: 'America/New_York',
  hours: { start: '00:00', end: '24:00' },
  workingDays: [1, 2, 3, 4, 5, 6, 7],
  holidays: [],
};
const officeHours: PracticeCallingHours = {
  timeZone: 'America/New_York',
  hours: { start: '09:00', end: '17:00' },
  workingDays: [1, 2, 3, 4, 5],
  holidays: [],
};
const inZone = (timeZone: string, state: string | null = null): CallingParty => ({ timeZone, state });
/** The instant at which the wall clock in `zone` reads `local` (e.g. "2026-01-14T07:59"). */
const at = (zone: string, local: string): Date => DateTime.fromISO(local, { zone }).toJSDate();
const utc = (iso: string): Date => new Date(iso);

const US_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'America/Juneau',
  'America/Sitka',
  'America/Yakutat',
  'America/Nome',
  'America/Metlakatla',
  'America/Adak',
  'Pacific/Honolulu',
  'America/Puerto_Rico',
  'America/St_Thomas',
  'Pacific/Guam',
  'Pacific/Saipan',
  'Pacific/Pago_Pago',
  'America/Indiana/Indianapolis',
  'America/Indiana/Knox',
  'America/Indiana/Marengo',
  'America/Indiana/Petersburg',
  'America/Indiana/Tell_City',
  'America/Indiana/Vevay',
  'America/Indiana/Vincennes',
  'America/Indiana/Winamac',
  'America/Kentucky/Louisville',
  'America/Kentucky/Monticello',
  'America/Detroit',
  'America/Menominee',
  'America/Boise',
  'America/North_Dakota/Center',
  'America/North_Dakota/New_Salem',
  'America/North_Dakota/Beulah',
];

describe('loadCallingRules', () => {
  it('loads the versioned data file with every state rule cited', () => {
    expect(rules.version).toBe('2026-12-01');
    expect(rules.federal).toMatchObject({ start: '08:00', end: '21:00' });
    expect(rules.states.FL).toMatchObject({ start: '08:00', end: '20:00', maxCallsPer24h: 3 });
    expect(rules.states.OK).toMatchObject({ start: '08:00', end: '20:00', maxCallsPer24h: 3 });
    for (const [code, rule] of Object.entries(rules.states)) {
      expect([code, rule.citation.length > 0, rule.note.length > 0]).toEqual([code, true, true]);
    }
    expect(loadCallingRules()).toBe(rules);
  });

  const broken = (mutate: (r: typeof rawRules & Record<string, unknown>) => void): unknown => {
    const copy = structuredClone(rawRules) as typeof rawRules & Record<string, unknown>;
    mutate(copy);
    return copy;
  };

  it('names the bad key', () => {
    expect(() => loadCallingRules(broken((r) => (r.states.FL.end = '8pm')))).toThrow(
      /states\.FL\.end: a time "HH:mm"/,
    );
    expect(() => loadCallingRules(broken((r) => (r.states.OK.start = '21:00')))).toThrow(
      /states\.OK\.end: start must be before end/,
    );
    expect(() =>
      loadCallingRules(broken((r) => ((r.states.FL as Record<string, unknown>).maxCallsPer24H = 3))),
    ).toThrow(/states\.FL: .*maxCallsPer24H/);
    expect(() => loadCallingRules(broken((r) => (r.states.UT.holidays.sets = ['us-fed'])))).toThrow(
      /states\.UT\.holidays\.sets\.0: unknown holiday set "us-fed"/,
    );
    expect(() => loadCallingRules(broken((r) => (r.stateZones.AZ = ['America/Phoenx'])))).toThrow(
      /stateZones\.AZ\.0: an IANA time zone/,
    );
    expect(() => loadCallingRules(broken((r) => delete (r as Partial<typeof r>).federal))).toThrow(
      /federal:/,
    );
  });
});

describe('federal hours in every US time zone', () => {
  for (const zone of US_ZONES) {
    for (const date of ['2026-01-14', '2026-07-15']) {
      it(`${zone} on ${date}: 7:59 closed, 8:00 open, 20:59 open, 21:00 closed`, () => {
        const party = inZone(zone);
        const early = windowFor(at(zone, `${date}T07:59`), party, always, rules);
        expect(early).toMatchObject({ open: false, closesAt: null });
        expect(early.reason).toBe(
          `outside federal calling hours (08:00-21:00) in the patient's time zone (${zone})`,
        );
        expect(early.opensAt).toBe(at(zone, `${date}T08:00`).toISOString());
        expect(early.patientLocal).toBe(
          DateTime.fromJSDate(at(zone, `${date}T07:59`), { zone }).toFormat('h:mm a ZZZZ'),
        );

        expect(windowFor(at(zone, `${date}T08:00`), party, always, rules)).toMatchObject({
          open: true,
          reason: null,
        });
        const late = windowFor(at(zone, `${date}T20:59:59.999`), party, always, rules);
        expect(late).toMatchObject({
          open: true,
          opensAt: null,
          closesAt: at(zone, `${date}T21:00`).toISOString(),
        });

        const closed = windowFor(at(zone, `${date}T21:00`), party, always, rules);
        expect(closed.open).toBe(false);
        const nextDay = DateTime.fromISO(date).plus({ days: 1 }).toISODate();
        expect(closed.opensAt).toBe(at(zone, `${nextDay}T08:00`).toISOString());
      });
    }
  }

  it.each([
    ['America/New_York', '2026-01-14T13:00:00.000Z', '2026-07-15T12:00:00.000Z', '8:00 AM EST'],
    ['America/Chicago', '2026-01-14T14:00:00.000Z', '2026-07-15T13:00:00.000Z', '8:00 AM CST'],
    ['America/Denver', '2026-01-14T15:00:00.000Z', '2026-07-15T14:00:00.000Z', '8:00 AM MST'],
    ['America/Phoenix', '2026-01-14T15:00:00.000Z', '2026-07-15T15:00:00.000Z', '8:00 AM MST'],
    ['America/Los_Angeles', '2026-01-14T16:00:00.000Z', '2026-07-15T15:00:00.000Z', '8:00 AM PST'],
    ['America/Anchorage', '2026-01-14T17:00:00.000Z', '2026-07-15T16:00:00.000Z', '8:00 AM AKST'],
    ['Pacific/Honolulu', '2026-01-14T18:00:00.000Z', '2026-07-15T18:00:00.000Z', '8:00 AM HST'],
    ['America/Puerto_Rico', '2026-01-14T12:00:00.000Z', '2026-07-15T12:00:00.000Z', '8:00 AM AST'],
  ])('%s opens at 8:00 local = %s in winter, %s in summer', (zone, winter, summer, local) => {
    const hourBefore = (iso: string) => new Date(Date.parse(iso) - 3_600_000);
    expect(windowFor(hourBefore(winter), inZone(zone), always, rules).opensAt).toBe(winter);
    expect(windowFor(utc(winter), inZone(zone), always, rules).patientLocal).toBe(local);
    expect(windowFor(hourBefore(summer), inZone(zone), always, rules).opensAt).toBe(summer);
  });

  it('Arizona does not shift across the DST change while Denver does', () => {
    for (const day of ['2026-03-06', '2026-03-09', '2026-10-30', '2026-11-02']) {
      expect(nextOpening(utc(`${day}T06:00:00Z`), inZone('America/Phoenix', 'AZ'), always, rules)).toBe(
        `${day}T15:00:00.000Z`,
      );
    }
    expect(nextOpening(utc('2026-03-06T06:00:00Z'), inZone('America/Denver'), always, rules)).toBe(
      '2026-03-06T15:00:00.000Z',
    );
    expect(nextOpening(utc('2026-03-09T06:00:00Z'), inZone('America/Denver'), always, rules)).toBe(
      '2026-03-09T14:00:00.000Z',
    );
  });
});

describe('state rules', () => {
  it.each(['FL', 'OK', 'MD', 'WA', 'MA'])('%s closes at 20:00 local', (state) => {
    const zone = rules.stateZones[state][0];
    const party = inZone(zone, state);
    const before = windowFor(at(zone, '2026-01-14T19:59'), party, always, rules);
    expect(before).toMatchObject({ open: true, closesAt: at(zone, '2026-01-14T20:00').toISOString() });
    const after = windowFor(at(zone, '2026-01-14T20:00'), party, always, rules);
    expect(after.open).toBe(false);
    expect(after.reason).toBe(
      `outside ${state} calling hours (08:00-20:00) in the patient's time zone (${zone})`,
    );
    expect(after.opensAt).toBe(at(zone, '2026-01-15T08:00').toISOString());
  });

  it('FL in the Panhandle (Central time) uses its own clock', () => {
    const party = inZone('America/Chicago', 'FL');
    expect(windowStatus(at('America/Chicago', '2026-01-14T19:30'), party, always, rules).open).toBe(true);
    expect(windowStatus(at('America/Chicago', '2026-01-14T20:00'), party, always, rules).open).toBe(false);
  });

  it('accepts a lower-case state code', () => {
    expect(
      windowStatus(
        at('America/New_York', '2026-01-14T20:30'),
        inZone('America/New_York', ' fl '),
        always,
        rules,
      ),
    ).toMatchObject({ open: false });
  });

  it('Texas: 9:00 on weekdays, noon on Sundays', () => {
    const party = inZone('America/Chicago', 'TX');
    expect(windowStatus(at('America/Chicago', '2026-01-14T08:59'), party, always, rules).open).toBe(false);
    expect(windowStatus(at('America/Chicago', '2026-01-14T09:00'), party, always, rules).open).toBe(true);
    const sunday = windowFor(at('America/Chicago', '2026-01-18T11:59'), party, always, rules);
    expect(sunday.reason).toBe(
      "outside TX calling hours (12:00-21:00 on Sundays) in the patient's time zone (America/Chicago)",
    );
    expect(sunday.opensAt).toBe(at('America/Chicago', '2026-01-18T12:00').toISOString());
  });

  it('Rhode Island: 9-18 weekdays, 10-17 Saturdays, never Sundays or holidays', () => {
    const party = inZone('America/New_York', 'RI');
    const sat = windowFor(at('America/New_York', '2026-01-17T09:59'), party, always, rules);
    expect(sat.opensAt).toBe(at('America/New_York', '2026-01-17T10:00').toISOString());
    const satEvening = windowFor(at('America/New_York', '2026-01-17T17:00'), party, always, rules);
    expect(satEvening.open).toBe(false);
    // Monday 2026-01-19 is MLK day, so the next opening is Tuesday.
    expect(satEvening.opensAt).toBe(at('America/New_York', '2026-01-20T09:00').toISOString());
    const sun = windowFor(at('America/New_York', '2026-01-18T12:00'), party, always, rules);
    expect(sun.reason).toBe('no calls on Sundays in RI');
    const victory = windowFor(at('America/New_York', '2026-08-10T12:00'), party, always, rules);
    expect(victory.reason).toBe(
      "RI legal holiday (2026-08-10) in the patient's time zone (America/New_York)",
    );
    expect(victory.opensAt).toBe(at('America/New_York', '2026-08-11T09:00').toISOString());
  });

  it('Utah: no Sundays, no legal holidays (Pioneer Day)', () => {
    const party = inZone('America/Denver', 'UT');
    expect(windowFor(at('America/Denver', '2026-07-24T10:00'), party, always, rules)).toMatchObject({
      open: false,
      reason: "UT legal holiday (2026-07-24) in the patient's time zone (America/Denver)",
      // Friday the 24th is the holiday, Sunday is banned: Saturday opens first.
      opensAt: at('America/Denver', '2026-07-25T08:00').toISOString(),
    });
  });

  it('holiday states fail closed once the holiday data runs out', () => {
    const w = windowFor(
      at('America/Denver', '2028-01-04T10:00'),
      inZone('America/Denver', 'UT'),
      always,
      rules,
    );
    expect(w.open).toBe(false);
    expect(w.reason).toMatch(/UT bans calls on legal holidays .* through 2027-12-31: update it/);
    expect(w.opensAt).toBeNull();
    expect(
      windowStatus(at('America/Chicago', '2028-01-04T10:00'), inZone('America/Chicago', 'FL'), always, rules)
        .open,
    ).toBe(true);
  });

  it('Mississippi counts its hours in Central Standard Time, so summer opens at 9:00 CDT', () => {
    const party = inZone('America/Chicago', 'MS');
    const summer = windowFor(at('America/Chicago', '2026-07-15T08:30'), party, always, rules);
    expect(summer.reason).toBe('outside MS calling hours (08:00-20:00 Etc/GMT+6, standard time)');
    expect(summer.opensAt).toBe(at('America/Chicago', '2026-07-15T09:00').toISOString());
    expect(windowFor(at('America/Chicago', '2026-07-15T19:00'), party, always, rules).closesAt).toBe(
      at('America/Chicago', '2026-07-15T20:00').toISOString(),
    );
    expect(windowStatus(at('America/Chicago', '2026-01-14T08:00'), party, always, rules).open).toBe(true);
    expect(windowStatus(at('America/Chicago', '2026-01-18T12:00'), party, always, rules).reason).toBe(
      'no calls on Sundays in MS',
    );
  });
});

describe('daylight saving time', () => {
  it('spring forward (2026-03-08): 8:00 EDT is 12:00Z, the day before it was 13:00Z', () => {
    const party = inZone('America/New_York');
    const night = windowFor(utc('2026-03-08T06:30:00Z'), party, always, rules);
    expect(night).toMatchObject({
      open: false,
      patientLocal: '1:30 AM EST',
      opensAt: '2026-03-08T12:00:00.000Z',
    });
    expect(windowFor(utc('2026-03-08T07:00:00Z'), party, always, rules).patientLocal).toBe('3:00 AM EDT');
    expect(windowStatus(utc('2026-03-08T11:59:59.999Z'), party, always, rules).open).toBe(false);
    expect(nextOpening(utc('2026-03-07T06:00:00Z'), party, always, rules)).toBe('2026-03-07T13:00:00.000Z');
    expect(windowFor(utc('2026-03-08T15:00:00Z'), party, always, rules).closesAt).toBe(
      '2026-03-09T01:00:00.000Z',
    );
  });

  it('spring forward: practice hours inside the skipped hour open at the jump', () => {
    const gap: PracticeCallingHours = { ...always, hours: { start: '02:30', end: '03:30' } };
    // 3:00 EDT Sunday is 17:00 Sunday in Guam: federal hours hold there.
    const w = windowFor(utc('2026-03-08T06:00:00Z'), inZone('Pacific/Guam'), gap, rules);
    expect(w.opensAt).toBe('2026-03-08T07:00:00.000Z');
    expect(windowFor(utc(w.opensAt!), inZone('Pacific/Guam'), gap, rules).closesAt).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });

  it('fall back (2026-11-01): the repeated 1:30 is closed twice, 8:00 EST is 13:00Z', () => {
    const party = inZone('America/New_York');
    const first = windowFor(utc('2026-11-01T05:30:00Z'), party, always, rules);
    const second = windowFor(utc('2026-11-01T06:30:00Z'), party, always, rules);
    expect(first).toMatchObject({
      open: false,
      patientLocal: '1:30 AM EDT',
      opensAt: '2026-11-01T13:00:00.000Z',
    });
    expect(second).toMatchObject({
      open: false,
      patientLocal: '1:30 AM EST',
      opensAt: '2026-11-01T13:00:00.000Z',
    });
    expect(windowFor(utc('2026-10-31T20:00:00Z'), party, always, rules).closesAt).toBe(
      '2026-11-01T01:00:00.000Z',
    );
    expect(windowFor(utc('2026-11-01T15:00:00Z'), party, always, rules).closesAt).toBe(
      '2026-11-02T02:00:00.000Z',
    );
  });

  it('fall back: practice hours inside the repeated hour open twice', () => {
    const repeat: PracticeCallingHours = { ...always, hours: { start: '01:00', end: '01:30' } };
    const guam = inZone('Pacific/Guam');
    expect(windowFor(utc('2026-11-01T04:00:00Z'), guam, repeat, rules).opensAt).toBe(
      '2026-11-01T05:00:00.000Z',
    );
    expect(windowFor(utc('2026-11-01T05:10:00Z'), guam, repeat, rules).closesAt).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(windowFor(utc('2026-11-01T05:40:00Z'), guam, repeat, rules).opensAt).toBe(
      '2026-11-01T06:00:00.000Z',
    );
    expect(windowFor(utc('2026-11-01T06:10:00Z'), guam, repeat, rules).closesAt).toBe(
      '2026-11-01T06:30:00.000Z',
    );
  });
});

describe('practice hours, working days and holidays', () => {
  it('practice hours narrower than federal: a west-coast patient of an east-coast practice', () => {
    const la = inZone('America/Los_Angeles');
    const early = windowFor(utc('2026-01-14T15:30:00Z'), la, officeHours, rules);
    expect(early).toMatchObject({
      open: false,
      patientLocal: '7:30 AM PST',
      opensAt: '2026-01-14T16:00:00.000Z',
    });
    expect(early.reason).toMatch(/^outside federal calling hours/);
    expect(windowFor(utc('2026-01-14T16:30:00Z'), la, officeHours, rules)).toMatchObject({
      open: true,
      closesAt: '2026-01-14T22:00:00.000Z',
    });
    const ny = windowFor(utc('2026-01-14T13:30:00Z'), inZone('America/New_York'), officeHours, rules);
    expect(ny).toMatchObject({
      open: false,
      reason: "outside the practice's calling hours (09:00-17:00, America/New_York)",
      opensAt: '2026-01-14T14:00:00.000Z',
    });
  });

  it('a practice holiday: opensAt is the next working day', () => {
    const practice = { ...officeHours, holidays: ['2026-12-24', '2026-12-25'] };
    expect(windowFor(utc('2026-12-24T15:00:00Z'), inZone('America/Chicago'), practice, rules)).toMatchObject({
      open: false,
      reason: 'practice holiday (2026-12-24)',
      opensAt: '2026-12-28T14:00:00.000Z',
    });
  });

  it('a non-working day: opensAt is Monday opening, after the DST change', () => {
    expect(
      windowFor(utc('2026-03-07T15:00:00Z'), inZone('America/New_York'), officeHours, rules),
    ).toMatchObject({
      open: false,
      reason: 'not a practice working day (Saturday)',
      opensAt: '2026-03-09T13:00:00.000Z',
    });
  });

  it('a practice in another zone decides its days on its own calendar', () => {
    // 22:30 PST Friday is 01:30 EST Saturday in New York: the practice is closed for the weekend.
    const practice: PracticeCallingHours = {
      ...always,
      timeZone: 'America/Los_Angeles',
      workingDays: [1, 2, 3, 4, 5],
    };
    const guam = inZone('Pacific/Guam');
    expect(windowStatus(utc('2026-01-17T06:30:00Z'), guam, practice, rules)).toEqual({
      open: true,
      reason: null,
    });
    expect(windowStatus(utc('2026-01-17T08:30:00Z'), guam, practice, rules).reason).toBe(
      'not a practice working day (Saturday)',
    );
  });

  it('never opening within the horizon gives null', () => {
    const never = { ...officeHours, workingDays: [] };
    expect(
      windowFor(utc('2026-01-14T15:00:00Z'), inZone('America/New_York'), never, rules).opensAt,
    ).toBeNull();
    expect(nextOpening(utc('2026-01-14T15:00:00Z'), inZone('America/New_York'), never, rules)).toBeNull();
  });

  it('rejects bad practice settings and instants without an offset', () => {
    const party = inZone('America/New_York');
    expect(() =>
      windowFor('2026-01-14T15:00:00Z', party, { ...always, timeZone: 'Nowhere/City' }, rules),
    ).toThrow(/practice time zone "Nowhere\/City"/);
    expect(() =>
      windowFor('2026-01-14T15:00:00Z', party, { ...always, hours: { start: '17:00', end: '09:00' } }, rules),
    ).toThrow(/start before end/);
    expect(() => windowFor('2026-01-14T15:00', party, always, rules)).toThrow(
      /not an ISO instant with an offset/,
    );
    expect(windowFor('2026-01-14T10:00:00-05:00', party, always, rules).open).toBe(true);
  });
});

describe('patients without a usable time zone', () => {
  it('state known: the window must be open in every zone of the state', () => {
    const tx = { timeZone: null, state: 'TX' };
    expect(patientZonesFor(tx, rules)).toEqual(['America/Chicago', 'America/Denver']);
    // 9:30 CST is 8:30 MST in El Paso, before Texas' 9:00.
    const w = windowFor(at('America/Chicago', '2026-01-14T09:30'), tx, always, rules);
    expect(w).toMatchObject({ open: false, patientLocal: '9:30 AM CST / 8:30 AM MST' });
    expect(w.reason).toBe(
      "outside TX calling hours (09:00-21:00) in America/Denver, one of the patient's possible time zones (no usable time zone on file)",
    );
    expect(w.opensAt).toBe(at('America/Chicago', '2026-01-14T10:00').toISOString());
    expect(windowFor(utc(w.opensAt!), tx, always, rules).closesAt).toBe(
      at('America/Chicago', '2026-01-14T21:00').toISOString(),
    );
  });

  it('state unknown too: every contiguous-US zone (11:00-21:00 Eastern)', () => {
    const nobody = { timeZone: null, state: null };
    const w = windowFor(utc('2026-07-15T14:59:00Z'), nobody, always, rules);
    expect(w.open).toBe(false);
    // 7:59 in Phoenix (MST all year) and Los Angeles (PDT); Phoenix comes first in the list.
    expect(w.reason).toMatch(/America\/Phoenix, one of the patient's possible time zones/);
    expect(w.opensAt).toBe('2026-07-15T15:00:00.000Z');
    expect(w.patientLocal).toBe('10:59 AM EDT / 9:59 AM CDT / 8:59 AM MDT / 7:59 AM MST / 7:59 AM PDT');
    expect(windowFor(utc('2026-07-15T15:00:00Z'), nobody, always, rules).closesAt).toBe(
      '2026-07-16T01:00:00.000Z',
    );
    expect(nextOpening(utc('2026-01-14T12:00:00Z'), nobody, always, rules)).toBe('2026-01-14T16:00:00.000Z');
  });

  it('an unparseable zone counts as none; an unknown state falls back to every zone', () => {
    expect(patientZonesFor({ timeZone: 'Mars/Base', state: 'HI' }, rules)).toEqual(['Pacific/Honolulu']);
    expect(patientZonesFor({ timeZone: null, state: 'ZZ' }, rules)).toEqual(rules.fallback.zones);
    expect(patientZonesFor({ timeZone: 'America/Boise', state: 'OR' }, rules)).toEqual(['America/Boise']);
  });
});

describe('calls per 24 hours', () => {
  it('knows which states cap calls', () => {
    expect(callsAllowedIn24h('FL', rules)).toBe(3);
    expect(callsAllowedIn24h('ok', rules)).toBe(3);
    expect(callsAllowedIn24h('MD', rules)).toBe(3);
    expect(callsAllowedIn24h('NY', rules)).toBeNull();
    expect(callsAllowedIn24h(null, rules)).toBeNull();
  });

  it('refuses a 4th call within 24 hours in Florida, not in New York', () => {
    const t = '2026-01-14T18:00:00Z';
    const three = [utc('2026-01-13T18:00:00.001Z'), utc('2026-01-14T13:00:00Z'), utc('2026-01-14T15:00:00Z')];
    expect(exceedsDailyCap(three, t, 'FL', rules)).toBe(true);
    expect(exceedsDailyCap(three.slice(1), t, 'FL', rules)).toBe(false);
    expect(exceedsDailyCap(three, t, 'NY', rules)).toBe(false);
    // Exactly 24 hours earlier is outside the period.
    expect(exceedsDailyCap([utc('2026-01-13T18:00:00Z'), ...three.slice(1)], t, 'FL', rules)).toBe(false);
  });

  it('counts calls recorded after the instant too (sheet imports arrive out of order)', () => {
    const later = [utc('2026-01-14T19:00:00Z'), utc('2026-01-14T20:00:00Z'), utc('2026-01-15T17:00:00Z')];
    expect(exceedsDailyCap(later, '2026-01-14T18:00:00Z', 'OK', rules)).toBe(true);
    expect(exceedsDailyCap(later.slice(0, 2), '2026-01-14T18:00:00Z', 'OK', rules)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const PRACTICE_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
];
const hhmm = (quarter: number): string =>
  `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;
const hoursArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 2 })
  .map(([a, b]) => ({ start: hhmm(Math.min(a, b)), end: hhmm(Math.max(a, b)) }));
/** Any instant in 2026-2027, half of them within 36 hours of a US DST change. */
const US_DST_CHANGES = [
  '2026-03-08T07:00:00Z',
  '2026-11-01T06:00:00Z',
  '2027-03-14T07:00:00Z',
  '2027-11-07T06:00:00Z',
];
const instantArb = fc.oneof(
  fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }),
  fc
    .tuple(fc.constantFrom(...US_DST_CHANGES), fc.integer({ min: -36 * 3_600_000, max: 36 * 3_600_000 }))
    .map(([change, delta]) => Date.parse(change) + delta),
);
const practiceArb = (ms: number) =>
  fc
    .record({
      timeZone: fc.constantFrom(...PRACTICE_ZONES),
      hours: hoursArb,
      workingDays: fc.subarray([1, 2, 3, 4, 5, 6, 7]),
      holidayOffsets: fc.subarray([-1, 0, 1, 3]),
    })
    .map(({ holidayOffsets, ...p }) => {
      const today = DateTime.fromMillis(ms, { zone: p.timeZone });
      return { ...p, holidays: holidayOffsets.map((d) => today.plus({ days: d }).toISODate()!) };
    });
const minuteOfDay = (d: DateTime): number => d.hour * 60 + d.minute;
const toMinutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

describe('properties', () => {
  it('open ⇔ federal (and FL/OK/TX) hours on the patient clock AND practice hours on a working non-holiday day', () => {
    fc.assert(
      fc.property(
        instantArb.chain((ms) =>
          fc.tuple(
            fc.constant(ms),
            fc.constantFrom(...US_ZONES),
            fc.constantFrom(null, 'NY', 'FL', 'OK', 'TX'),
            practiceArb(ms),
          ),
        ),
        ([ms, zone, state, practice]) => {
          const patient = DateTime.fromMillis(ms, { zone });
          const m = minuteOfDay(patient);
          let patientOk = m >= 8 * 60 && m < 21 * 60;
          if (state === 'FL' || state === 'OK') patientOk &&= m < 20 * 60;
          if (state === 'TX') patientOk &&= m >= (patient.weekday === 7 ? 12 : 9) * 60;
          const office = DateTime.fromMillis(ms, { zone: practice.timeZone });
          const om = minuteOfDay(office);
          const practiceOk =
            practice.workingDays.includes(office.weekday) &&
            !practice.holidays.includes(office.toISODate()!) &&
            om >= toMinutes(practice.hours.start) &&
            om < toMinutes(practice.hours.end);
          const w = windowFor(new Date(ms), { timeZone: zone, state }, practice, rules);
          expect(w.open).toBe(patientOk && practiceOk);
          expect(w.reason === null).toBe(w.open);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('opensAt is open, the instant before it is closed, and nothing between is open (sampled every 15 min); closesAt likewise', () => {
    const states = [null, ...Object.keys(rules.states)];
    const zones = [null, ...US_ZONES];
    fc.assert(
      fc.property(
        instantArb.chain((ms) =>
          fc.tuple(fc.constant(ms), fc.constantFrom(...zones), fc.constantFrom(...states), practiceArb(ms)),
        ),
        ([ms, zone, state, practice]) => {
          const party = { timeZone: zone, state };
          const status = (t: number) => windowStatus(new Date(t), party, practice, rules).open;
          /** The first sampled instant in [from, to) whose status is not `open`, if any. */
          const firstOther = (from: number, to: number, open: boolean): string | null => {
            for (let t = from; t < to; t += 15 * 60_000)
              if (status(t) !== open) return new Date(t).toISOString();
            return null;
          };
          const w = windowFor(new Date(ms), party, practice, rules);
          if (w.open) {
            expect(w.closesAt).not.toBeNull();
            const closes = Date.parse(w.closesAt!);
            expect([status(closes), status(closes - 1)]).toEqual([false, true]);
            expect(firstOther(ms, closes, true)).toBeNull();
          } else {
            const end = w.opensAt ? Date.parse(w.opensAt) : ms + 14 * 86_400_000;
            if (w.opensAt) expect([status(end), status(end - 1)]).toEqual([true, false]);
            expect(firstOther(ms, end, false)).toBeNull();
            expect(nextOpening(new Date(ms), party, practice, rules)).toBe(w.opensAt);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
