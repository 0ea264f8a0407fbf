import fc from 'fast-check';
import { DateTime } from 'luxon';
import { parseDate, parseDateTime, TWO_DIGIT_YEAR_RULE, type DateOptions, type DateOrder } from './dates';

const TODAY = '2026-06-01';
const event: DateOptions = { today: TODAY, kind: 'event' };
const birth: DateOptions = { today: TODAY, kind: 'birth' };
const NY = 'America/New_York';

describe('parseDate', () => {
  it.each([
    ['2014-02-22', '2014-02-22'],
    ['  2014-02-22\t', '2014-02-22'],
    ['2014-2-5', '2014-02-05'],
    ['2014-02-22T14:36:55Z', '2014-02-22'],
    ['2014-02-22T14:36:55.123+02:00', '2014-02-22'],
    ['2014-02-22T23:36:55-0500', '2014-02-22'],
    ['2014-02-22T14:36:55+02', '2014-02-22'],
    ['2014-02-22 14:36', '2014-02-22'],
    ['2014-02-22 14:36:55', '2014-02-22'],
    ['2014-02-22 14:36:55.5', '2014-02-22'],
    ['2014-02-22 14:36:55 UTC', '2014-02-22'],
    ['2014/02/22', '2014-02-22'],
    ['2014.02.22', '2014-02-22'],
    ['2/22/2014', '2014-02-22'],
    ['02/22/2014', '2014-02-22'],
    ['2/22/14', '2014-02-22'],
    ['02-22-2014', '2014-02-22'],
    ['8/9/2018 12:00:00 AM', '2018-08-09'],
    ['8/9/2018 12:00:00 am', '2018-08-09'],
    ['8/9/2018 11:59:59 P.M.', '2018-08-09'],
    ['8/9/2018 2:05 PM', '2018-08-09'],
    ['8/9/2018 14:05', '2018-08-09'],
    ['8/9/2018  9:05:00', '2018-08-09'],
    ['20140222', '2014-02-22'],
    ['20140222 14:36', '2014-02-22'],
    ['22-FEB-2014', '2014-02-22'],
    ['22-Feb-14', '2014-02-22'],
    ['22FEB2014', '2014-02-22'],
    ['22 February 2014', '2014-02-22'],
    ['Feb 22, 2014', '2014-02-22'],
    ['February 22 2014 10:30 AM', '2014-02-22'],
    ['Sept 1, 2020', '2020-09-01'],
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['1850-01-01', '1850-01-01'],
    ['12/31/9999', '9999-12-31'],
  ])('%j → %s', (raw, expected) => {
    expect(parseDate(raw, event)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['dmy', '22/2/2014', '2014-02-22'],
    ['dmy', '22.02.2014', '2014-02-22'],
    ['dmy', '1/2/2014', '2014-02-01'],
    ['dmy', '22/02/14', '2014-02-22'],
    ['dmy', '2014-02-22', '2014-02-22'],
    ['mdy', '1/2/2014', '2014-01-02'],
    ['ymd', '14/02/22', '2014-02-22'],
    ['ymd', '2014/02/22', '2014-02-22'],
    ['ymd', '2/22/2014', '2014-02-22'],
  ] as [DateOrder, string, string][])('order %s: %j → %s', (order, raw, expected) => {
    expect(parseDate(raw, { ...event, order })).toEqual({ ok: true, value: expected });
  });

  it.each([
    '',
    '   ',
    '0000-00-00',
    '0000-00-00 00:00:00',
    '0001-01-01',
    '0001-01-01 00:00:00',
    '0001-01-01T00:00:00Z',
    '1/1/0001 12:00:00 AM',
    '00/00/0000',
    'NULL',
    'null',
    'N/A',
    'n/a',
    'NONE',
    'None',
    '#N/A',
    'NaN',
  ])('null marker %j → null', (raw) => {
    expect(parseDate(raw, event)).toEqual({ ok: true, value: null });
    expect(parseDate(raw, birth)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['13/45/2020', "not a date: '13/45/2020'"],
    ['4/31/2021', 'day 31 does not exist in April 2021'],
    ['2021-02-29', 'day 29 does not exist in February 2021'],
    ['2/30/2024', 'day 30 does not exist in February 2024'],
    ['1900-02-29', 'day 29 does not exist in February 1900'],
    ['2014-02-00', "not a date: '2014-02-00'"],
    ['2014-00-10', "not a date: '2014-00-10'"],
    ['2020-13-01', "month 13 does not exist in '2020-13-01'"],
    ['20141301', "month 13 does not exist in '20141301'"],
    ['13/02/2020', "month 13 does not exist in '13/02/2020' (is it day-first?)"],
    ['hello', "not a date: 'hello'"],
    ['Foo 22, 2014', "not a date: 'Foo 22, 2014'"],
    ['1/2/3', "not a date: '1/2/3'"],
    ['2014-02', "not a date: '2014-02'"],
    ['02/22/201', "not a date: '02/22/201'"],
    ['2014/02-22', "not a date: '2014/02-22'"],
    ['2014-02-22 garbage', "not a date: '2014-02-22 garbage'"],
    ['2014-02-22T14:36:55+25:00', "not a date: '2014-02-22T14:36:55+25:00'"],
    ['1/1/2020/5', "not a date: '1/1/2020/5'"],
    ['41692', "not a date: '41692'"],
    ['1776-07-04', 'year 1776 is before 1850'],
    ['0001-02-03', 'year 1 is before 1850'],
    ['2/22/2014 25:00', "invalid time in '2/22/2014 25:00'"],
    ['2/22/2014 10:60', "invalid time in '2/22/2014 10:60'"],
    ['2/22/2014 13:00 PM', "invalid time in '2/22/2014 13:00 PM'"],
    ['x'.repeat(60), `not a date: '${'x'.repeat(40)}…'`],
  ])('%j is invalid: %s', (raw, reason) => {
    expect(parseDate(raw, event)).toEqual({ ok: false, reason });
  });

  it('hints at a month-first cell when the profile pins dmy', () => {
    expect(parseDate('02/13/2020', { ...event, order: 'dmy' })).toEqual({
      ok: false,
      reason: "month 13 does not exist in '02/13/2020' (is it month-first?)",
    });
  });

  it('rejects birth dates after the import date, accepts the import date itself', () => {
    expect(parseDate('2026-06-02', birth)).toEqual({
      ok: false,
      reason: 'birth date is in the future: 2026-06-02',
    });
    expect(parseDate('1/1/2030', birth)).toEqual({
      ok: false,
      reason: 'birth date is in the future: 2030-01-01',
    });
    expect(parseDate('2026-06-01', birth)).toEqual({ ok: true, value: '2026-06-01' });
    expect(parseDate('2026-06-02', event)).toEqual({ ok: true, value: '2026-06-02' });
  });

  describe('two-digit years (import on 2026-06-01)', () => {
    it.each([
      ['1/1/25', '2025-01-01'],
      ['1/1/26', '2026-01-01'],
      ['6/1/26', '2026-06-01'],
      ['6/2/26', '1926-06-02'],
      ['12/31/26', '1926-12-31'],
      ['1/1/27', '1927-01-01'],
      ['1/1/00', '2000-01-01'],
      ['7/4/76', '1976-07-04'],
      ['22-FEB-99', '1999-02-22'],
    ])('birth %j → %s', (raw, expected) => {
      expect(parseDate(raw, birth)).toEqual({ ok: true, value: expected });
    });

    it.each([
      ['1/1/45', '2045-01-01'],
      ['1/1/46', '1946-01-01'],
      ['1/1/27', '2027-01-01'],
      ['12/31/26', '2026-12-31'],
      ['1/1/99', '1999-01-01'],
      ['1/1/00', '2000-01-01'],
    ])('event %j → %s', (raw, expected) => {
      expect(parseDate(raw, event)).toEqual({ ok: true, value: expected });
    });

    it('validates Feb 29 in the century the pivot picks', () => {
      // In January 2000, 2/29/00 would be in the future, so it is 1900, which was not a leap year.
      expect(parseDate('2/29/00', { today: '2000-01-15', kind: 'birth' })).toEqual({
        ok: false,
        reason: 'day 29 does not exist in February 1900',
      });
      expect(parseDate('2/29/00', { today: '2000-03-01', kind: 'birth' })).toEqual({
        ok: true,
        value: '2000-02-29',
      });
    });

    it('documents the rule', () => {
      expect(TWO_DIGIT_YEAR_RULE).toContain('27 → 1927');
      expect(TWO_DIGIT_YEAR_RULE).toContain('1946–2045');
    });
  });

  it('throws on a malformed import date (a programming error, not a data error)', () => {
    expect(() => parseDate('2014-02-22', { today: '6/1/2026', kind: 'event' })).toThrow(TypeError);
  });
});

describe('parseDateTime', () => {
  const opts = { ...event, zone: NY };

  it.each([
    ['2014-02-22', { date: '2014-02-22', instant: null }],
    ['2/22/2014', { date: '2014-02-22', instant: null }],
    ['2014-02-22 14:36', { date: '2014-02-22', instant: '2014-02-22T19:36:00.000Z' }],
    ['2014-07-22 14:36:05', { date: '2014-07-22', instant: '2014-07-22T18:36:05.000Z' }],
    ['8/9/2018 12:00:00 AM', { date: '2018-08-09', instant: '2018-08-09T04:00:00.000Z' }],
    ['8/9/2018 12:30:00 PM', { date: '2018-08-09', instant: '2018-08-09T16:30:00.000Z' }],
    ['8/9/2018 23:59', { date: '2018-08-09', instant: '2018-08-10T03:59:00.000Z' }],
    ['2014-02-22T14:36:55Z', { date: '2014-02-22', instant: '2014-02-22T14:36:55.000Z' }],
    ['2014-02-22T14:36:55.123+02:00', { date: '2014-02-22', instant: '2014-02-22T12:36:55.123Z' }],
    ['2014-02-22T02:00:00Z', { date: '2014-02-21', instant: '2014-02-22T02:00:00.000Z' }],
    ['2014-02-22T23:30:00-08:00', { date: '2014-02-23', instant: '2014-02-23T07:30:00.000Z' }],
    // DST gap: 02:30 does not exist on 2021-03-14 in New York; it moves forward to 03:30 EDT (as luxon does).
    ['2021-03-14 02:30', { date: '2021-03-14', instant: '2021-03-14T07:30:00.000Z' }],
    // Repeated hour: 01:30 happens twice on 2021-11-07; the earlier (EDT) instant wins.
    ['2021-11-07 01:30', { date: '2021-11-07', instant: '2021-11-07T05:30:00.000Z' }],
    ['2021-11-07 02:30', { date: '2021-11-07', instant: '2021-11-07T07:30:00.000Z' }],
  ])('%j in New York → %j', (raw, value) => {
    expect(parseDateTime(raw, opts)).toEqual({ ok: true, value });
  });

  it('gives the calendar date of an explicit instant in the given zone', () => {
    expect(parseDateTime('2014-02-22T23:30:00-05:00', { ...event, zone: 'Asia/Tokyo' })).toEqual({
      ok: true,
      value: { date: '2014-02-23', instant: '2014-02-23T04:30:00.000Z' },
    });
    expect(parseDateTime('2014-02-22T03:00:00Z', { ...event, zone: 'America/Los_Angeles' })).toEqual({
      ok: true,
      value: { date: '2014-02-21', instant: '2014-02-22T03:00:00.000Z' },
    });
  });

  it('passes null markers and errors through', () => {
    expect(parseDateTime('0000-00-00 00:00:00', opts)).toEqual({ ok: true, value: null });
    expect(parseDateTime('', opts)).toEqual({ ok: true, value: null });
    expect(parseDateTime('4/31/2021 10:00', opts)).toEqual({
      ok: false,
      reason: 'day 31 does not exist in April 2021',
    });
  });

  it('reports an unknown zone', () => {
    expect(parseDateTime('2014-02-22 10:00', { ...event, zone: 'Mars/Olympus' })).toEqual({
      ok: false,
      reason: "unknown time zone 'Mars/Olympus'",
    });
    // A date without a time needs no zone.
    expect(parseDateTime('2014-02-22', { ...event, zone: 'Mars/Olympus' })).toEqual({
      ok: true,
      value: { date: '2014-02-22', instant: null },
    });
  });
});

// ------------------------------------------------------------------------------------------------------------
// Properties

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

interface Ymd {
  y: number;
  m: number;
  d: number;
  iso: string;
}

/** A valid calendar date between the two ISO dates (inclusive), from its day number. */
function dateBetween(min: string, max: string): fc.Arbitrary<Ymd> {
  return fc.integer({ min: Date.parse(min) / 86_400_000, max: Date.parse(max) / 86_400_000 }).map((day) => {
    const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
    return { y: +iso.slice(0, 4), m: +iso.slice(5, 7), d: +iso.slice(8, 10), iso };
  });
}

const time = fc.record({
  h: fc.integer({ min: 0, max: 23 }),
  mi: fc.integer({ min: 0, max: 59 }),
  s: fc.integer({ min: 0, max: 59 }),
});

type Render = (x: Ymd, t: { h: number; mi: number; s: number }) => string;
const h12 = (h: number) => (h % 12 === 0 ? 12 : h % 12);
const ampm = (h: number) => (h < 12 ? 'AM' : 'PM');

const FOUR_DIGIT_FORMATS: Record<string, Render> = {
  'YYYY-MM-DD': (x) => x.iso,
  'YYYY/MM/DD': (x) => `${x.y}/${p2(x.m)}/${p2(x.d)}`,
  'YYYY-MM-DDTHH:mm:ssZ': (x, t) => `${x.iso}T${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}Z`,
  'YYYY-MM-DDTHH:mm:ss.SSS±HH:MM': (x, t) => `${x.iso}T${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}.123-05:00`,
  'YYYY-MM-DD HH:mm': (x, t) => `${x.iso} ${p2(t.h)}:${p2(t.mi)}`,
  YYYYMMDD: (x) => x.iso.replace(/-/g, ''),
  'M/D/YYYY': (x) => `${x.m}/${x.d}/${x.y}`,
  'MM/DD/YYYY': (x) => `${p2(x.m)}/${p2(x.d)}/${x.y}`,
  'MM-DD-YYYY': (x) => `${p2(x.m)}-${p2(x.d)}-${x.y}`,
  'M/D/YYYY h:mm:ss AM': (x, t) => `${x.m}/${x.d}/${x.y} ${h12(t.h)}:${p2(t.mi)}:${p2(t.s)} ${ampm(t.h)}`,
  'M/D/YYYY h:mm pm': (x, t) => `${x.m}/${x.d}/${x.y} ${h12(t.h)}:${p2(t.mi)} ${ampm(t.h).toLowerCase()}`,
  'M/D/YYYY HH:mm': (x, t) => `${x.m}/${x.d}/${x.y} ${p2(t.h)}:${p2(t.mi)}`,
  'DD-MON-YYYY': (x) => `${p2(x.d)}-${MONTHS[x.m - 1].toUpperCase()}-${x.y}`,
  'Mon D, YYYY': (x) => `${MONTHS[x.m - 1]} ${x.d}, ${x.y}`,
};

describe('parseDate properties', () => {
  it('every valid date 1900–2100 in every 4-digit-year format parses back to itself', () => {
    fc.assert(
      fc.property(
        dateBetween('1900-01-01', '2100-12-31'),
        time,
        fc.constantFrom(...Object.keys(FOUR_DIGIT_FORMATS)),
        (x, t, f) => {
          expect(parseDate(FOUR_DIGIT_FORMATS[f](x, t), event)).toEqual({ ok: true, value: x.iso });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('D/M/YYYY parses back with order dmy', () => {
    fc.assert(
      fc.property(dateBetween('1900-01-01', '2100-12-31'), (x) => {
        const opts = { ...event, order: 'dmy' as const };
        expect(parseDate(`${x.d}/${x.m}/${x.y}`, opts)).toEqual({ ok: true, value: x.iso });
        expect(parseDate(`${p2(x.d)}.${p2(x.m)}.${x.y}`, opts)).toEqual({ ok: true, value: x.iso });
      }),
      { numRuns: 300 },
    );
  });

  it('two-digit years within the event window (1946–2045) parse back', () => {
    fc.assert(
      fc.property(dateBetween('1946-01-01', '2045-12-31'), (x) => {
        const yy = p2(x.y % 100);
        expect(parseDate(`${x.m}/${x.d}/${yy}`, event)).toEqual({ ok: true, value: x.iso });
        expect(parseDate(`${p2(x.d)}-${MONTHS[x.m - 1]}-${yy}`, event)).toEqual({ ok: true, value: x.iso });
      }),
      { numRuns: 500 },
    );
  });

  it('two-digit birth years within the 100 years ending on the import date parse back', () => {
    fc.assert(
      fc.property(dateBetween('1926-06-02', TODAY), (x) => {
        expect(parseDate(`${x.m}/${x.d}/${p2(x.y % 100)}`, birth)).toEqual({ ok: true, value: x.iso });
      }),
      { numRuns: 500 },
    );
  });

  it('accepts exactly the days the calendar has (leap years included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1850, max: 2400 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const iso = `${y}-${p2(m)}-${p2(d)}`;
          const exists = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
          expect(parseDate(iso, event).ok).toBe(exists);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parseDateTime properties', () => {
  const ZONES = [
    'America/New_York',
    'America/Chicago',
    'America/Denver',
    'America/Phoenix',
    'America/Los_Angeles',
    'America/Anchorage',
    'Pacific/Honolulu',
    'America/St_Johns',
    'Europe/London',
    'Australia/Sydney',
    'Asia/Kolkata',
  ];

  /** Our instant equals luxon's, except in a repeated hour, where both are right and ours is the earlier. */
  function agreesWithLuxon(x: Ymd, t: { h: number; mi: number; s: number }, zone: string): void {
    const raw = `${x.iso} ${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}`;
    const ours = parseDateTime(raw, { ...event, zone });
    const luxon = DateTime.fromObject(
      { year: x.y, month: x.m, day: x.d, hour: t.h, minute: t.mi, second: t.s },
      { zone },
    )
      .toUTC()
      .toISO();
    if (!ours.ok || ours.value === null || ours.value.instant === null)
      throw new Error(`no instant for ${raw}`);
    const instant = ours.value.instant;
    if (instant === luxon) return;
    const wall = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');
    expect({ raw, zone, ours: wall(instant), luxon: wall(luxon!) }).toEqual({
      raw,
      zone,
      ours: raw,
      luxon: raw,
    });
    expect(instant < luxon!).toBe(true);
  }

  it('local times convert to the same instant as luxon DateTime.fromObject', () => {
    fc.assert(
      fc.property(dateBetween('1970-01-01', '2037-12-31'), time, fc.constantFrom(...ZONES), (x, t, zone) => {
        agreesWithLuxon(x, t, zone);
      }),
      { numRuns: 1000 },
    );
  });

  it('local times around DST transitions agree with luxon every 15 minutes', () => {
    const days: [string, string][] = [
      ['2021-03-14', 'America/New_York'],
      ['2021-11-07', 'America/New_York'],
      ['2021-03-14', 'America/Denver'],
      ['2021-11-07', 'America/Los_Angeles'],
      ['2021-03-14', 'America/St_Johns'],
      ['2021-04-04', 'Australia/Sydney'],
      ['2021-10-03', 'Australia/Sydney'],
      ['2021-03-28', 'Europe/London'],
      ['1974-01-06', 'America/New_York'],
    ];
    for (const [iso, zone] of days) {
      const x = { y: +iso.slice(0, 4), m: +iso.slice(5, 7), d: +iso.slice(8, 10), iso };
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        agreesWithLuxon(x, { h: Math.floor(minutes / 60), mi: minutes % 60, s: 0 }, zone);
      }
    }
  });

  it('explicit instants round-trip, with the calendar date taken in the zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1850, 0, 2), max: Date.UTC(2100, 11, 30) }),
        fc.constantFrom(...ZONES),
        (ms, zone) => {
          const iso = new Date(ms).toISOString();
          const result = parseDateTime(iso, { ...event, zone });
          expect(result).toEqual({
            ok: true,
            value: { date: DateTime.fromMillis(ms, { zone }).toISODate(), instant: iso },
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
