import { IANAZone } from 'luxon';
import { isNullMarker, quote } from './shared';

/**
 * Date parsing for EMR CSV cells.
 *
 * Plain dates are hand-parsed with a character scanner (no regex match arrays, no luxon); luxon's IANAZone is
 * only used by parseDateTime when a time zone is involved. The scanner writes into one module-private scratch record
 * that is fully overwritten before every read, so the exported functions stay free of observable side effects.
 */

export type DateOrder = 'mdy' | 'dmy' | 'ymd';
export type DateKind = 'birth' | 'event';

export interface DateOptions {
  /** 'YYYY-MM-DD', the import's date. */
  today: string;
  kind: DateKind;
  /**
   * Pinned by a profile. Default: ymd when the cell starts with 4 digits, else mdy. A cell starting with
   * 4 digits is always ymd, and a pinned 'ymd' applies to 'YY/MM/DD' cells only ('2/22/2014' stays mdy).
   * Month-name cells ('22-FEB-2014', 'Feb 22, 2014') need no order.
   */
  order?: DateOrder;
}

export type DateResult = { ok: true; value: string | null } | { ok: false; reason: string };

export interface DateTimeOptions extends DateOptions {
  /** IANA zone the local times are in. */
  zone: string;
}

export type DateTimeResult =
  { ok: true; value: { date: string; instant: string | null } | null } | { ok: false; reason: string };

/** The earliest year accepted; anything before is a typo or a placeholder. */
const MIN_YEAR = 1850;
/** Two-digit event years land in [todayYear - EVENT_PAST_YEARS, todayYear - EVENT_PAST_YEARS + 99]. */
const EVENT_PAST_YEARS = 80;

export const TWO_DIGIT_YEAR_RULE =
  'Two-digit years are expanded relative to the import date. Birth dates take the latest matching year that ' +
  'does not put the date after the import date (importing on 2026-06-01: 25 → 2025, 26 → 2026 for dates up ' +
  'to June 1 and 1926 after it, 27 → 1927). Other dates take the matching year from 80 years before to 19 ' +
  'years after the import year (importing in 2026: 1946–2045, so 45 → 2045 and 46 → 1946).';

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Month words accepted in 'DD-MON-YYYY' and 'Mon DD, YYYY' cells, lower-cased → month number. */
const MONTH_WORDS: ReadonlyMap<string, number> = new Map(
  MONTH_NAMES.flatMap((name, i) => {
    const lower = name.toLowerCase();
    const words = [lower, lower.slice(0, 3)];
    if (lower === 'september') words.push('sept');
    return words.map((w) => [w, i + 1] as const);
  }),
);

/** '22-FEB-2014', '22 Feb 14', '22FEB2014' (SAS), '22.Feb.2014'. The time, if any, follows. */
const DAY_MONTH_NAME = /^(\d{1,2})[-\s./]?([a-z]{3,9})\.?(?:[-\s./,]\s*)?(\d{4}|\d{2})(?!\d)/i;
/** 'Feb 22, 2014', 'February 22 2014', 'Feb-22-2014', 'Feb 22nd, 2014'. The time, if any, follows. */
const MONTH_NAME_DAY = /^([a-z]{3,9})\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+|[-/.])(\d{4}|\d{2})(?!\d)/i;

// Scanner status codes.
const ST_OK = 0;
const ST_NULL = 1;
const ST_ERROR = 2;

/** Scratch record the scanner fills; read immediately after each scan by the exported functions. */
const S = {
  year: 0,
  month: 0,
  day: 0,
  /** 'YYYY-MM-DD' of year/month/day once validated. */
  date: '',
  hasTime: false,
  hour: 0,
  minute: 0,
  second: 0,
  millis: 0,
  /** 0 = 24-hour clock, 1 = AM, 2 = PM. */
  meridiem: 0,
  hasOffset: false,
  offsetMinutes: 0,
  reason: '',
};

// Raw date groups from the scanner: values and digit counts.
let gA = 0;
let gALen = 0;
let gB = 0;
let gC = 0;
let gCLen = 0;

function isDigit(ch: number): boolean {
  return ch >= 48 && ch <= 57;
}

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

function formatDate(y: number, m: number, d: number): string {
  // Years are always 1850..9999 here.
  return y + '-' + pad2(m) + '-' + pad2(d);
}

/** Non-negative remainder. */
function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/**
 * Scans 'N{1,4}<sep>N{1,2}<sep>N{1,4}' (sep one of - / . used twice) or 'YYYYMMDD' into gA..gC.
 * Returns the index just after the date part, or -1 when the text does not start like that.
 */
function scanNumericDate(s: string): number {
  const n = s.length;
  let i = 0;
  let v = 0;
  let len = 0;
  while (i < n && isDigit(s.charCodeAt(i))) {
    v = v * 10 + s.charCodeAt(i) - 48;
    len++;
    i++;
  }
  if (len === 8 && (i === n || s.charCodeAt(i) === 84 /* T */ || isSpace(s.charCodeAt(i)))) {
    gA = Math.floor(v / 10000);
    gALen = 4;
    gB = Math.floor(v / 100) % 100;
    gC = v % 100;
    gCLen = 2;
    return i;
  }
  if (len < 1 || len > 4 || i >= n) return -1;
  gA = v;
  gALen = len;
  const sep = s.charCodeAt(i);
  if (sep !== 45 /* - */ && sep !== 47 /* / */ && sep !== 46 /* . */) return -1;
  i++;
  v = 0;
  len = 0;
  while (i < n && isDigit(s.charCodeAt(i))) {
    v = v * 10 + s.charCodeAt(i) - 48;
    len++;
    i++;
  }
  if (len < 1 || len > 2 || i >= n || s.charCodeAt(i) !== sep) return -1;
  gB = v;
  i++;
  v = 0;
  len = 0;
  while (i < n && isDigit(s.charCodeAt(i))) {
    v = v * 10 + s.charCodeAt(i) - 48;
    len++;
    i++;
  }
  if (len < 1 || len > 4) return -1;
  gC = v;
  gCLen = len;
  return i;
}

/** Reads exactly `count` digits at `i`; -1 if they are not all digits. */
function readDigits(s: string, i: number, count: number): number {
  if (i + count > s.length) return -1;
  let v = 0;
  for (let k = 0; k < count; k++) {
    const ch = s.charCodeAt(i + k);
    if (!isDigit(ch)) return -1;
    v = v * 10 + ch - 48;
  }
  return v;
}

/**
 * Scans the time that follows a date, from `i` (which is < s.length) to the end:
 * ('T' | spaces) H[H]:MM[:SS[.fff]] [spaces] [AM|PM|a.m.|p.m. | Z | UTC | GMT | ±HH[[:]MM]].
 * Fills S.hour..S.offsetMinutes (unvalidated). Returns false when the text is not shaped like that.
 */
function scanTime(s: string, i: number): boolean {
  const n = s.length;
  let ch = s.charCodeAt(i);
  if (ch === 84 /* T */ || ch === 116 /* t */) {
    i++;
  } else if (isSpace(ch)) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
  } else {
    return false;
  }
  // Hour: one or two digits.
  if (i >= n || !isDigit(s.charCodeAt(i))) return false;
  let hour = s.charCodeAt(i++) - 48;
  if (i < n && isDigit(s.charCodeAt(i))) hour = hour * 10 + s.charCodeAt(i++) - 48;
  if (i >= n || s.charCodeAt(i) !== 58 /* : */) return false;
  const minute = readDigits(s, i + 1, 2);
  if (minute < 0) return false;
  i += 3;
  let second = 0;
  let millis = 0;
  if (i < n && s.charCodeAt(i) === 58) {
    second = readDigits(s, i + 1, 2);
    if (second < 0) return false;
    i += 3;
    ch = i < n ? s.charCodeAt(i) : 0;
    if (ch === 46 /* . */ || ch === 44 /* , */) {
      i++;
      let digits = 0;
      while (i < n && isDigit(s.charCodeAt(i))) {
        if (digits < 3) millis = millis * 10 + s.charCodeAt(i) - 48;
        digits++;
        i++;
      }
      if (digits === 0 || digits > 9) return false;
      for (let k = digits; k < 3; k++) millis *= 10;
    }
  }
  S.hasTime = true;
  S.hour = hour;
  S.minute = minute;
  S.second = second;
  S.millis = millis;
  S.meridiem = 0;
  S.hasOffset = false;
  S.offsetMinutes = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  if (i === n) return true;
  ch = s.charCodeAt(i) | 0x20; // lower-case ASCII letters
  if (ch === 97 /* a */ || ch === 112 /* p */) {
    i++;
    if (i < n && s.charCodeAt(i) === 46) i++;
    if (i >= n || (s.charCodeAt(i) | 0x20) !== 109 /* m */) return false;
    i++;
    if (i < n && s.charCodeAt(i) === 46) i++;
    S.meridiem = ch === 97 ? 1 : 2;
    return i === n;
  }
  if (ch === 122 /* z */) {
    S.hasOffset = true;
    return i + 1 === n;
  }
  if (s.startsWith('UTC', i) || s.startsWith('GMT', i)) {
    S.hasOffset = true;
    return i + 3 === n;
  }
  ch = s.charCodeAt(i);
  if (ch === 43 /* + */ || ch === 45 /* - */) {
    const sign = ch === 43 ? 1 : -1;
    const oh = readDigits(s, i + 1, 2);
    if (oh < 0) return false;
    i += 3;
    let om = 0;
    if (i < n) {
      if (s.charCodeAt(i) === 58) i++;
      om = readDigits(s, i, 2);
      if (om < 0 || oh > 23 || om > 59) return false;
      i += 2;
    }
    if (i !== n || oh > 23) return false;
    S.hasOffset = true;
    S.offsetMinutes = sign * (oh * 60 + om);
    return true;
  }
  return false;
}

/** Validates S.hour..S.second and folds AM/PM into a 24-hour hour. */
function normalizeTime(): boolean {
  if (S.minute > 59 || S.second > 59) return false;
  if (S.meridiem === 0) return S.hour <= 23;
  if (S.hour > 12) return false;
  if (S.meridiem === 1) {
    if (S.hour === 12) S.hour = 0;
  } else if (S.hour < 12) {
    S.hour += 12;
  }
  return true;
}

function fail(reason: string): number {
  S.reason = reason;
  return ST_ERROR;
}

function notADate(s: string): number {
  return fail(`not a date: ${quote(s)}`);
}

/**
 * Parses a trimmed-or-not cell into S. Returns ST_OK (S.date etc. set), ST_NULL or ST_ERROR (S.reason set).
 */
function scan(raw: string, opts: DateOptions): number {
  const s = raw.trim();
  if (s.length === 0 || isNullMarker(s)) return ST_NULL;
  S.hasTime = false;
  S.hasOffset = false;

  let end = scanNumericDate(s);
  // Year, month, day and how many digits the year was written with (2 or 4).
  let y: number;
  let m: number;
  let d: number;
  let yearDigits: number;
  // For an out-of-range month in a D/M or M/D cell: the layout that would make it valid.
  let swapHint: string | null = null;
  if (end >= 0) {
    if (gALen === 4) {
      if (gCLen > 2) return notADate(s);
      y = gA;
      yearDigits = 4;
      m = gB;
      d = gC;
    } else if (gALen <= 2 && (gCLen === 2 || gCLen === 4)) {
      if (opts.order === 'ymd' && gALen === 2 && gCLen === 2) {
        y = gA;
        m = gB;
        d = gC;
        yearDigits = 2;
      } else if (opts.order === 'dmy') {
        d = gA;
        m = gB;
        y = gC;
        yearDigits = gCLen;
        swapHint = 'month-first';
      } else {
        m = gA;
        d = gB;
        y = gC;
        yearDigits = gCLen;
        swapHint = 'day-first';
      }
    } else {
      return notADate(s);
    }
  } else {
    const match = DAY_MONTH_NAME.exec(s) ?? MONTH_NAME_DAY.exec(s);
    if (match === null) return notADate(s);
    const dayFirst = isDigit(match[1].charCodeAt(0));
    const month = MONTH_WORDS.get((dayFirst ? match[2] : match[1]).toLowerCase());
    if (month === undefined) return notADate(s);
    m = month;
    d = +(dayFirst ? match[1] : match[2]);
    y = +match[3];
    yearDigits = match[3].length;
    end = match[0].length;
  }
  if (end < s.length && !scanTime(s, end)) return notADate(s);

  // Null markers written as dates: 0000-00-00, 00/00/0000, 0001-01-01 (any layout, with or without a time).
  if (yearDigits === 4 && ((y === 0 && m === 0 && d === 0) || (y === 1 && m === 1 && d === 1))) {
    return ST_NULL;
  }
  if (S.hasTime && !normalizeTime()) return fail(`invalid time in ${quote(s)}`);
  if (m < 1 || m > 12) {
    if (swapHint === null && m > 12) return fail(`month ${m} does not exist in ${quote(s)}`);
    if (swapHint !== null && m <= 31 && d >= 1 && d <= 12) {
      return fail(`month ${m} does not exist in ${quote(s)} (is it ${swapHint}?)`);
    }
    return notADate(s);
  }
  if (d < 1 || d > 31) return notADate(s);

  const todayYear = yearOf(opts.today);
  let future = false;
  if (yearDigits === 2) {
    if (opts.kind === 'birth') {
      y = todayYear - mod(todayYear - y, 100);
      // A date later this year would be in the future: it belongs to the previous century.
      if (formatDate(y, m, d <= daysInMonth(y, m) ? d : 1) > opts.today) y -= 100;
    } else {
      const low = todayYear - EVENT_PAST_YEARS;
      y = low + mod(y - low, 100);
    }
  } else if (y < MIN_YEAR) {
    return fail(`year ${y} is before ${MIN_YEAR}`);
  } else if (opts.kind === 'birth') {
    future = true;
  }
  if (d > daysInMonth(y, m)) return fail(`day ${d} does not exist in ${MONTH_NAMES[m - 1]} ${y}`);
  S.year = y;
  S.month = m;
  S.day = d;
  S.date = formatDate(y, m, d);
  if (future && S.date > opts.today) return fail(`birth date is in the future: ${S.date}`);
  return ST_OK;
}

/** Year of a 'YYYY-MM-DD' string (the import date). */
function yearOf(isoDate: string): number {
  const y = readDigits(isoDate, 0, 4);
  if (y < 0 || isoDate.length !== 10)
    throw new TypeError(`DateOptions.today must be 'YYYY-MM-DD', got '${isoDate}'`);
  return y;
}

/**
 * Parses a date cell to 'YYYY-MM-DD'. A time or offset in the cell is checked but ignored: the calendar date
 * is returned as written, with no zone shift.
 */
export function parseDate(raw: string, opts: DateOptions): DateResult {
  const status = scan(raw, opts);
  if (status === ST_OK) return { ok: true, value: S.date };
  if (status === ST_NULL) return { ok: true, value: null };
  return { ok: false, reason: S.reason };
}

// ---------------------------------------------------------------------------------------------------------
// Time zones. luxon's DateTime.fromObject costs ~12µs a call (each zone.offset() formats with Intl), and it
// resolves an ambiguous local time (the repeated hour when DST ends) with the zone's offset *now* as its
// guess, so the answer depends on the wall clock. Here offsets come from luxon's IANAZone, memoised per UTC
// day (a day with no transition has one offset), and ambiguous local times always take the earlier instant.

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const CACHE_SLOTS = 65_536; // power of two; 180 years of days
/** Direct-mapped memo: slot (UTC day & mask) → zone, day, and its offset or NaN if the day has a transition. */
const cacheZone: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);
const cacheDay = new Float64Array(CACHE_SLOTS).fill(NaN);
const cacheOffset = new Float64Array(CACHE_SLOTS);

/** The zone's UTC offset in minutes at instant `ts`. */
function offsetAt(zone: IANAZone, ts: number): number {
  const day = Math.floor(ts / DAY_MS);
  const slot = day & (CACHE_SLOTS - 1);
  if (cacheDay[slot] !== day || cacheZone[slot] !== zone.name) {
    const start = zone.offset(day * DAY_MS);
    const end = zone.offset(day * DAY_MS + DAY_MS - 1);
    cacheZone[slot] = zone.name;
    cacheDay[slot] = day;
    cacheOffset[slot] = start === end ? start : NaN;
  }
  const offset = cacheOffset[slot];
  return offset === offset ? offset : zone.offset(ts);
}

/**
 * The instant of wall-clock time `localTs` (local fields encoded as if UTC) in `zone`. In a DST gap the time
 * moves forward by the gap (as luxon does); in the repeated hour the earlier instant wins.
 */
function localToInstant(zone: IANAZone, localTs: number): number {
  const before = offsetAt(zone, localTs - DAY_MS);
  const after = offsetAt(zone, localTs + DAY_MS);
  const early = localTs - before * MINUTE_MS;
  if (before === after) return early;
  const late = localTs - after * MINUTE_MS;
  const earlyFits = offsetAt(zone, early) === before;
  const lateFits = offsetAt(zone, late) === after;
  if (earlyFits && lateFits) return Math.min(early, late);
  if (lateFits) return late;
  return early; // earlyFits, or a gap: the pre-transition offset moves the time forward
}

/** 'YYYY-MM-DD' of a count of days since 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days). */
function dateOfDays(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return formatDate(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}

function pad3(n: number): string {
  return n < 10 ? '00' + n : n < 100 ? '0' + n : '' + n;
}

/** 'YYYY-MM-DDTHH:mm:ss.sssZ' of epoch milliseconds; what Date#toISOString gives, without the Date. */
function isoInstant(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / MINUTE_MS);
  rest -= minute * MINUTE_MS;
  const second = Math.floor(rest / 1000);
  return (
    dateOfDays(days) +
    'T' +
    pad2(hour) +
    ':' +
    pad2(minute) +
    ':' +
    pad2(second) +
    '.' +
    pad3(rest - second * 1000) +
    'Z'
  );
}

/**
 * Parses a date or date-time cell. Without a time, instant is null. A local time is read in `opts.zone`
 * (in a DST gap it moves forward by the gap; in the repeated hour the earlier instant wins); an explicit
 * Z/offset gives that instant, and `date` becomes the calendar date of the instant in `opts.zone`.
 */
export function parseDateTime(raw: string, opts: DateTimeOptions): DateTimeResult {
  const status = scan(raw, opts);
  if (status === ST_NULL) return { ok: true, value: null };
  if (status === ST_ERROR) return { ok: false, reason: S.reason };
  if (!S.hasTime) return { ok: true, value: { date: S.date, instant: null } };
  const zone = IANAZone.create(opts.zone);
  if (!zone.isValid) return { ok: false, reason: `unknown time zone ${quote(opts.zone)}` };
  const wallClock = Date.UTC(S.year, S.month - 1, S.day, S.hour, S.minute, S.second, S.millis);
  if (S.hasOffset) {
    const instant = wallClock - S.offsetMinutes * MINUTE_MS;
    const date = dateOfDays(Math.floor((instant + offsetAt(zone, instant) * MINUTE_MS) / DAY_MS));
    return { ok: true, value: { date, instant: isoInstant(instant) } };
  }
  return { ok: true, value: { date: S.date, instant: isoInstant(localToInstant(zone, wallClock)) } };
}
