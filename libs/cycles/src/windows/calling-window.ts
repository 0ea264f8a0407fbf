import { DomainError } from '@recall/core';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import rawCallingRules from './calling-rules.json';

/**
 * Calling windows (DOMAIN.md §6): a call may start only when federal hours and the state's
 * rules hold in the patient's local time AND the practice's calling hours, working days and
 * holidays hold in the practice's local time. Everything here is a pure function of an instant,
 * the two parties and the versioned rules in calling-rules.json.
 *
 * "Local time" is the wall clock: an instant is inside 08:00–21:00 when the clock on the wall in
 * that zone reads 08:00:00.000 to 20:59:59.999. DST gaps and repeats follow from that.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const DEFAULT_HORIZON_DAYS = 14;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Local wall-clock hours "HH:mm", start inclusive, end exclusive ("24:00" = end of day). */
export interface HoursRange {
  start: string;
  end: string;
}

export interface StateCallingRule extends HoursRange {
  /** Weekday overrides in the patient's local time: other hours, or null for no calls that day. */
  days?: Partial<Record<Weekday, HoursRange | null>>;
  maxCallsPer24h?: number;
  /** Patient-local dates with no calls: named holidaySets plus the state's own dates. */
  holidays?: { sets: string[]; dates: string[] };
  /** The hours must also hold in this fixed zone (a statute that names standard time). */
  fixedZone?: string;
  citation: string;
  note: string;
}

export interface CallingRules {
  version: string;
  source: string;
  federal: HoursRange & { citation?: string; note?: string };
  fallback: { note: string; zones: string[] };
  /** Holiday data covers patient-local dates up to this one; past it holiday states fail closed. */
  holidaysThrough: string;
  holidaySets: Record<string, string[]>;
  states: Record<string, StateCallingRule>;
  stateZones: Record<string, string[]>;
}

/** The called party. `timeZone` null (or not an IANA zone) means "no usable zone". */
export interface CallingParty {
  timeZone: string | null;
  state: string | null;
}

export interface PracticeCallingHours {
  timeZone: string;
  hours: HoursRange;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** Practice-local dates (YYYY-MM-DD) with no calls. */
  holidays: string[];
}

export interface CallingWindow {
  open: boolean;
  /** Why the window is closed (the first rule that refuses), null when open. */
  reason: string | null;
  /** When closed: the next instant it opens (ISO, UTC), null if not within the horizon. */
  opensAt: string | null;
  /** When open: the instant it closes (ISO, UTC). */
  closesAt: string | null;
  /** The instant on the patient's clock, e.g. "7:42 AM CST" (every candidate zone when unknown). */
  patientLocal: string;
}

// ---------------------------------------------------------------------------------------------
// Loading and validating the rules

const TIME_RE = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const time = z.string().regex(TIME_RE, 'a time "HH:mm" between 00:00 and 24:00');
const isoDate = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v).isValid, 'a date YYYY-MM-DD');
const validZones = new Map<string, boolean>();
function isZone(name: string): boolean {
  let valid = validZones.get(name);
  if (valid === undefined) validZones.set(name, (valid = IANAZone.isValidZone(name)));
  return valid;
}
const zoneName = z.string().refine(isZone, 'an IANA time zone, e.g. America/Chicago');
const stateCode = z.string().regex(/^[A-Z]{2}$/, 'a two-letter state code, e.g. FL');
const text = z.string().min(1);

function startBeforeEnd(h: HoursRange): boolean {
  return !TIME_RE.test(h.start) || !TIME_RE.test(h.end) || timeToMs(h.start) < timeToMs(h.end);
}
const ordered = { message: 'start must be before end', path: ['end'] };

const hoursSchema = z.strictObject({ start: time, end: time }).refine(startBeforeEnd, ordered);

const stateRuleSchema = z
  .strictObject({
    start: time,
    end: time,
    days: z
      .strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, hoursSchema.nullable().optional()])))
      .optional(),
    maxCallsPer24h: z.number().int().min(1).optional(),
    holidays: z.strictObject({ sets: z.array(text), dates: z.array(isoDate) }).optional(),
    fixedZone: zoneName.optional(),
    citation: text,
    note: text,
  })
  .refine(startBeforeEnd, ordered);

const rulesSchema = z
  .strictObject({
    version: isoDate,
    source: text,
    federal: z
      .strictObject({ start: time, end: time, citation: text.optional(), note: text.optional() })
      .refine(startBeforeEnd, ordered),
    fallback: z.strictObject({ note: text, zones: z.array(zoneName).min(1) }),
    holidaysThrough: isoDate,
    holidaySets: z.record(text, z.array(isoDate)),
    states: z.record(stateCode, stateRuleSchema),
    stateZones: z.record(stateCode, z.array(zoneName).min(1)),
  })
  .superRefine((rules, ctx) => {
    for (const [code, rule] of Object.entries(rules.states)) {
      rule.holidays?.sets.forEach((set, i) => {
        if (!(set in rules.holidaySets)) {
          ctx.addIssue({
            code: 'custom',
            path: ['states', code, 'holidays', 'sets', i],
            message: `unknown holiday set "${set}" (holidaySets has: ${Object.keys(rules.holidaySets).join(', ')})`,
          });
        }
      });
    }
  });

let defaultRules: CallingRules | undefined;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * The calling rules, validated. Without an argument: the bundled calling-rules.json (parsed
 * once). A bad file fails with every problem named by its key, e.g. `states.FL.end: …`.
 */
export function loadCallingRules(source?: unknown): CallingRules {
  if (source === undefined && defaultRules) return defaultRules;
  const result = rulesSchema.safeParse(source ?? rawCallingRules);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)';
      return `${key}: ${issue.message.replace(/^Invalid input: /, '')}`;
    });
    throw new Error(`calling-rules.json is invalid:\n  ${problems.join('\n  ')}`);
  }
  // Frozen: compiled forms and plans are cached per rules object.
  const rules = deepFreeze(result.data as CallingRules);
  if (source === undefined) defaultRules = rules;
  return rules;
}

// ---------------------------------------------------------------------------------------------
// Compiled form: numbers instead of strings, cached per rules object

interface CompiledState {
  code: string;
  /** Index 1–7 (ISO weekday): [start, end) in ms of the local day, or null for no calls. */
  byWeekday: ([number, number] | null)[];
  dayOverride: boolean[];
  holidays: Set<number> | null;
  fixedZone: IANAZone | null;
  hours: HoursRange;
  days: Partial<Record<Weekday, HoursRange | null>>;
}

interface CompiledRules {
  federal: [number, number];
  federalLabel: string;
  holidaysThrough: number;
  holidaysThroughIso: string;
  states: Map<string, CompiledState>;
  stateZones: Map<string, IANAZone[]>;
  fallbackZones: IANAZone[];
}

const compiledCache = new WeakMap<CallingRules, CompiledRules>();

function compile(rules: CallingRules): CompiledRules {
  const cached = compiledCache.get(rules);
  if (cached) return cached;
  const states = new Map<string, CompiledState>();
  for (const [code, rule] of Object.entries(rules.states)) {
    const byWeekday: ([number, number] | null)[] = [null];
    const dayOverride: boolean[] = [false];
    WEEKDAYS.forEach((d) => {
      const override = rule.days?.[d];
      dayOverride.push(override !== undefined);
      byWeekday.push(override === null ? null : range(override ?? rule));
    });
    let holidays: Set<number> | null = null;
    if (rule.holidays) {
      const dates = [
        ...rule.holidays.sets.flatMap((s) => rules.holidaySets[s] ?? []),
        ...rule.holidays.dates,
      ];
      holidays = new Set(dates.map(dayNumber));
    }
    states.set(code, {
      code,
      byWeekday,
      dayOverride,
      holidays,
      fixedZone: rule.fixedZone ? IANAZone.create(rule.fixedZone) : null,
      hours: { start: rule.start, end: rule.end },
      days: rule.days ?? {},
    });
  }
  const compiled: CompiledRules = {
    federal: range(rules.federal),
    federalLabel: `${rules.federal.start}-${rules.federal.end}`,
    holidaysThrough: dayNumber(rules.holidaysThrough),
    holidaysThroughIso: rules.holidaysThrough,
    states,
    stateZones: new Map(
      Object.entries(rules.stateZones).map(([code, zones]) => [code, zones.map((n) => IANAZone.create(n))]),
    ),
    fallbackZones: rules.fallback.zones.map((n) => IANAZone.create(n)),
  };
  compiledCache.set(rules, compiled);
  return compiled;
}

function timeToMs(hhmm: string): number {
  return (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * MINUTE_MS;
}

function range(h: HoursRange): [number, number] {
  return [timeToMs(h.start), timeToMs(h.end)];
}

/** Days since 1970-01-01 of a calendar date. */
function dayNumber(isoDate: string): number {
  return (
    Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) /
    DAY_MS
  );
}

function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday) of a day number; 1970-01-01 was a Thursday. */
function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

// ---------------------------------------------------------------------------------------------
// Wall clocks

/**
 * A zone's UTC offsets as a table of transitions, built from luxon's IANAZone once per zone and
 * UTC year (asking Intl for each offset is ~100x slower, and a search asks thousands of times).
 * Offsets are sampled daily, so two changes within one day would be missed: no zone has them.
 */
interface OffsetYear {
  from: number;
  to: number;
  /** Instants from which `offsets[i]` (minutes) applies; starts[0] is the year's first instant. */
  starts: number[];
  offsets: number[];
}

class ZoneClock {
  private readonly years = new Map<number, OffsetYear>();
  private last: OffsetYear | null = null;

  constructor(readonly zone: IANAZone) {}

  /** The offset from UTC in minutes at instant `ms`. */
  offset(ms: number): number {
    let table = this.last;
    if (!table || ms < table.from || ms >= table.to) {
      table = this.last = this.year(new Date(ms).getUTCFullYear());
    }
    let i = table.starts.length - 1;
    while (i > 0 && table.starts[i] > ms) i--;
    return table.offsets[i];
  }

  /** The local day number and ms into that day at instant `ms`. */
  wall(ms: number): { day: number; tod: number } {
    const local = ms + this.offset(ms) * MINUTE_MS;
    const day = Math.floor(local / DAY_MS);
    return { day, tod: local - day * DAY_MS };
  }

  /** Every instant at which the wall clock reads `tod` on `day`: none in a DST gap, two in a repeat. */
  instantsAt(day: number, tod: number, out: number[]): void {
    const asUtc = day * DAY_MS + tod;
    const o1 = this.offset(asUtc - DAY_MS);
    const o2 = this.offset(asUtc);
    const o3 = this.offset(asUtc + DAY_MS);
    for (const o of o1 === o2 && o2 === o3 ? [o1] : [...new Set([o1, o2, o3])]) {
      const instant = asUtc - o * MINUTE_MS;
      if (this.offset(instant) === o) out.push(instant);
    }
  }

  /** Offset changes in (a, b]: the first instant of each new offset. */
  transitions(a: number, b: number, out: number[]): void {
    for (let year = new Date(a).getUTCFullYear(); year <= new Date(b).getUTCFullYear(); year++) {
      const { starts, offsets } = this.year(year);
      for (let i = 0; i < starts.length; i++) {
        if (starts[i] <= a || starts[i] > b) continue;
        const previous = i > 0 ? offsets[i - 1] : this.offset(starts[0] - 1);
        if (offsets[i] !== previous) out.push(starts[i]);
      }
    }
  }

  private year(year: number): OffsetYear {
    const cached = this.years.get(year);
    if (cached) return cached;
    const from = Date.UTC(year, 0, 1);
    const to = Date.UTC(year + 1, 0, 1);
    const table: OffsetYear = { from, to, starts: [from], offsets: [this.zone.offset(from)] };
    for (let lo = from; lo < to; lo += DAY_MS) {
      const hi = Math.min(lo + DAY_MS, to - 1);
      const before = table.offsets[table.offsets.length - 1];
      const after = this.zone.offset(hi);
      if (after === before) continue;
      let x = lo;
      let y = hi;
      while (y - x > 1) {
        const mid = Math.floor((x + y) / 2);
        if (this.zone.offset(mid) === before) x = mid;
        else y = mid;
      }
      table.starts.push(y);
      table.offsets.push(after);
    }
    this.years.set(year, table);
    return table;
  }
}

const zoneClocks = new Map<string, ZoneClock>();

function clockOf(zone: IANAZone): ZoneClock {
  let clock = zoneClocks.get(zone.name);
  if (!clock) zoneClocks.set(zone.name, (clock = new ZoneClock(zone)));
  return clock;
}

// ---------------------------------------------------------------------------------------------
// The plan: what must hold, zone by zone

/** What `refuse` returns when asked for a verdict without the explanation. */
const CLOSED = 'closed';

/**
 * The rules evaluated on one zone's wall clock. `boundaries` are the local times of day at which
 * the verdict can change (with midnight when it depends on the date); between two consecutive
 * boundary crossings or DST transitions the verdict is constant, which makes the search exact.
 */
interface ZoneCheck {
  clock: ZoneClock;
  boundaries: number[];
  /** null when this check allows a call; else why not (or CLOSED when `explain` is false). */
  refuse(day: number, tod: number, explain: boolean): string | null;
}

interface Plan {
  checks: ZoneCheck[];
  clocks: ZoneClock[];
  patientZones: ZoneClock[];
}

function normaliseState(state: string | null): string | null {
  const s = state?.trim().toUpperCase();
  return s ? s : null;
}

function resolvePatientZones(party: CallingParty, c: CompiledRules): { zones: IANAZone[]; known: boolean } {
  if (party.timeZone && isZone(party.timeZone))
    return { zones: [IANAZone.create(party.timeZone)], known: true };
  const state = normaliseState(party.state);
  const zones = (state && c.stateZones.get(state)) || c.fallbackZones;
  return { zones, known: false };
}

/**
 * The zones the patient's window is checked in: their own zone, else every zone of their state,
 * else every contiguous-US zone (see `fallback` in calling-rules.json).
 */
export function patientZonesFor(party: CallingParty, rules: CallingRules): string[] {
  return resolvePatientZones(party, compile(rules)).zones.map((z) => z.name);
}

function inRange(tod: number, r: [number, number]): boolean {
  return tod >= r[0] && tod < r[1];
}

interface CompiledPractice {
  zone: IANAZone;
  hours: [number, number];
  workingDays: Set<number>;
  holidays: Set<number>;
  /** Plans by party ("zone|state"), so a queue of patients reuses them. */
  plans: Map<string, Plan>;
}

const practiceCache = new WeakMap<CallingRules, WeakMap<PracticeCallingHours, CompiledPractice>>();

/** Inputs are treated as immutable: plans are cached per rules and practice object. */
function planFor(party: CallingParty, practice: PracticeCallingHours, rules: CallingRules): Plan {
  let byPractice = practiceCache.get(rules);
  if (!byPractice) practiceCache.set(rules, (byPractice = new WeakMap()));
  let p = byPractice.get(practice);
  if (!p) byPractice.set(practice, (p = compilePractice(practice)));
  const key = `${party.timeZone ?? ''}|${party.state ?? ''}`;
  let plan = p.plans.get(key);
  if (!plan) p.plans.set(key, (plan = buildPlan(party, practice, p, compile(rules))));
  return plan;
}

function compilePractice(practice: PracticeCallingHours): CompiledPractice {
  if (!isZone(practice.timeZone)) {
    throw DomainError.invalid(`practice time zone "${practice.timeZone}" is not an IANA time zone`);
  }
  const { start, end } = practice.hours;
  if (!TIME_RE.test(start) || !TIME_RE.test(end) || timeToMs(start) >= timeToMs(end)) {
    throw DomainError.invalid(
      `practice calling hours must be "HH:mm" with start before end (got ${start}-${end})`,
    );
  }
  for (const d of practice.workingDays) {
    if (!Number.isInteger(d) || d < 1 || d > 7)
      throw DomainError.invalid(`working day ${d} is not an ISO weekday 1-7`);
  }
  for (const h of practice.holidays) {
    if (!isoDate.safeParse(h).success)
      throw DomainError.invalid(`practice holiday "${h}" is not a date YYYY-MM-DD`);
  }
  return {
    zone: IANAZone.create(practice.timeZone),
    hours: range(practice.hours),
    workingDays: new Set(practice.workingDays),
    holidays: new Set(practice.holidays.map(dayNumber)),
    plans: new Map(),
  };
}

function buildPlan(
  party: CallingParty,
  practice: PracticeCallingHours,
  p: CompiledPractice,
  c: CompiledRules,
): Plan {
  const { zones, known } = resolvePatientZones(party, c);
  const stateCode = normaliseState(party.state);
  const state = stateCode ? c.states.get(stateCode) : undefined;
  const checks: ZoneCheck[] = [];

  for (const zone of zones) {
    const where = known
      ? `the patient's time zone (${zone.name})`
      : `${zone.name}, one of the patient's possible time zones (no usable time zone on file)`;
    const boundaries = new Set([0, ...c.federal]);
    if (state) for (const r of state.byWeekday) if (r) r.forEach((t) => boundaries.add(t));
    checks.push({
      clock: clockOf(zone),
      boundaries: [...boundaries],
      refuse: (day, tod, explain) => {
        if (!inRange(tod, c.federal)) {
          return explain ? `outside federal calling hours (${c.federalLabel}) in ${where}` : CLOSED;
        }
        if (!state) return null;
        if (state.holidays) {
          if (day > c.holidaysThrough) {
            return explain
              ? `${state.code} bans calls on legal holidays and calling-rules.json lists them only through ${c.holidaysThroughIso}: update it`
              : CLOSED;
          }
          if (state.holidays.has(day)) {
            return explain ? `${state.code} legal holiday (${isoOfDay(day)}) in ${where}` : CLOSED;
          }
        }
        const weekday = weekdayOf(day);
        const hours = state.byWeekday[weekday];
        if (!hours) return explain ? `no calls on ${WEEKDAY_NAMES[weekday - 1]}s in ${state.code}` : CLOSED;
        if (inRange(tod, hours)) return null;
        if (!explain) return CLOSED;
        const override = state.dayOverride[weekday];
        const h = override ? state.days[WEEKDAYS[weekday - 1]]! : state.hours;
        const on = override ? ` on ${WEEKDAY_NAMES[weekday - 1]}s` : '';
        return `outside ${state.code} calling hours (${h.start}-${h.end}${on}) in ${where}`;
      },
    });
  }

  if (state?.fixedZone) {
    const fixed = state.fixedZone;
    const hours = range(state.hours);
    const label = `${state.hours.start}-${state.hours.end} ${fixed.name}, standard time`;
    checks.push({
      clock: clockOf(fixed),
      boundaries: [...hours],
      refuse: (_day, tod, explain) =>
        inRange(tod, hours) ? null : explain ? `outside ${state.code} calling hours (${label})` : CLOSED,
    });
  }

  const practiceLabel = `${practice.hours.start}-${practice.hours.end}, ${p.zone.name}`;
  checks.push({
    clock: clockOf(p.zone),
    boundaries: [...new Set([0, ...p.hours])],
    refuse: (day, tod, explain) => {
      if (p.holidays.has(day)) return explain ? `practice holiday (${isoOfDay(day)})` : CLOSED;
      const weekday = weekdayOf(day);
      if (!p.workingDays.has(weekday)) {
        return explain ? `not a practice working day (${WEEKDAY_NAMES[weekday - 1]})` : CLOSED;
      }
      if (inRange(tod, p.hours)) return null;
      return explain ? `outside the practice's calling hours (${practiceLabel})` : CLOSED;
    },
  });

  const clocks = [...new Set(checks.map((check) => check.clock))];
  return { checks, clocks, patientZones: zones.map(clockOf) };
}

function refusal(plan: Plan, ms: number, explain: boolean): string | null {
  for (const check of plan.checks) {
    const { day, tod } = check.clock.wall(ms);
    const reason = check.refuse(day, tod, explain);
    if (reason !== null) return reason;
  }
  return null;
}

/** Instants in (a, b] where some check's verdict may change, ascending. */
function candidates(plan: Plan, a: number, b: number): number[] {
  const found: number[] = [];
  for (const check of plan.checks) {
    const last = check.clock.wall(b).day + 1;
    for (let day = check.clock.wall(a).day - 1; day <= last; day++) {
      for (const tod of check.boundaries) check.clock.instantsAt(day, tod, found);
    }
  }
  for (const clock of plan.clocks) clock.transitions(a, b, found);
  return [...new Set(found.filter((t) => t > a && t <= b))].sort((x, y) => x - y);
}

/** The first instant after `from` (within the horizon) where the window is `open` (or closed). */
function nextChange(plan: Plan, from: number, open: boolean, horizonMs: number): number | null {
  const end = from + horizonMs;
  for (let a = from; a < end; a += DAY_MS / 2) {
    const b = Math.min(a + DAY_MS / 2, end);
    for (const t of candidates(plan, a, b)) if ((refusal(plan, t, false) === null) === open) return t;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Public API

function toMs(instant: Date | string): number {
  if (instant instanceof Date) {
    const ms = instant.getTime();
    if (Number.isNaN(ms)) throw DomainError.invalid('invalid Date');
    return ms;
  }
  const parsed = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(instant)
    ? DateTime.fromISO(instant, { setZone: true })
    : null;
  if (!parsed?.isValid) throw DomainError.invalid(`not an ISO instant with an offset: ${instant}`);
  return parsed.toMillis();
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

const zoneAbbreviations = new Map<string, string>();

/** "EST", "CDT", "HST"…: luxon asks Intl for it, which is slow, so one lookup per zone and offset. */
function zoneAbbreviation(zone: IANAZone, ms: number, offset: number): string {
  const key = `${zone.name} ${offset}`;
  let name = zoneAbbreviations.get(key);
  if (name === undefined) {
    name = DateTime.fromMillis(ms, { zone, locale: 'en-US' }).toFormat('ZZZZ');
    zoneAbbreviations.set(key, name);
  }
  return name;
}

function patientLocal(ms: number, clocks: ZoneClock[]): string {
  const shown = clocks.map((clock) => {
    const { tod } = clock.wall(ms);
    const minutes = Math.floor(tod / MINUTE_MS);
    const hour = Math.floor(minutes / 60);
    const time = `${hour % 12 || 12}:${String(minutes % 60).padStart(2, '0')} ${hour < 12 ? 'AM' : 'PM'}`;
    return `${time} ${zoneAbbreviation(clock.zone, ms, clock.offset(ms))}`;
  });
  return [...new Set(shown)].join(' / ');
}

/** Whether a call may start at `instant`, and the first rule that refuses it. No search. */
export function windowStatus(
  instant: Date | string,
  party: CallingParty,
  practice: PracticeCallingHours,
  rules: CallingRules,
): { open: boolean; reason: string | null } {
  const reason = refusal(planFor(party, practice, rules), toMs(instant), true);
  return { open: reason === null, reason };
}

/**
 * The calling window at `instant`: open or not (and why), when it next opens or when it closes,
 * and the patient's local time. Searches at most `horizonDays` (default 14) ahead.
 */
export function windowFor(
  instant: Date | string,
  party: CallingParty,
  practice: PracticeCallingHours,
  rules: CallingRules,
  horizonDays = DEFAULT_HORIZON_DAYS,
): CallingWindow {
  const ms = toMs(instant);
  const plan = planFor(party, practice, rules);
  const reason = refusal(plan, ms, true);
  const open = reason === null;
  const horizon = horizonDays * DAY_MS;
  return {
    open,
    reason,
    opensAt: open ? null : iso(nextChange(plan, ms, true, horizon)),
    closesAt: open ? iso(nextChange(plan, ms, false, horizon)) : null,
    patientLocal: patientLocal(ms, plan.patientZones),
  };
}

/**
 * The first instant at or after `instant` at which a call may start (ISO, UTC): `instant` itself
 * when the window is open, null when it does not open within `horizonDays` (default 14).
 */
export function nextOpening(
  instant: Date | string,
  party: CallingParty,
  practice: PracticeCallingHours,
  rules: CallingRules,
  horizonDays = DEFAULT_HORIZON_DAYS,
): string | null {
  const ms = toMs(instant);
  const plan = planFor(party, practice, rules);
  if (refusal(plan, ms, false) === null) return iso(ms);
  return iso(nextChange(plan, ms, true, horizonDays * DAY_MS));
}

/** The state's cap on calls to one person in 24 hours, null when it has none. */
export function callsAllowedIn24h(state: string | null, rules: CallingRules): number | null {
  const code = normaliseState(state);
  return (code && rules.states[code]?.maxCallsPer24h) || null;
}

/**
 * Whether a call at `instant` would put more than the state's cap of calls (to this person, on
 * this subject) into some 24-hour period. `previousCallInstants` are the other calls, earlier or
 * later (a sheet import checks recorded calls out of order).
 */
export function exceedsDailyCap(
  previousCallInstants: Date[],
  instant: Date | string,
  state: string | null,
  rules: CallingRules,
): boolean {
  const cap = callsAllowedIn24h(state, rules);
  if (cap === null) return false;
  const t = toMs(instant);
  const near = previousCallInstants
    .map((d) => d.getTime())
    .filter((c) => Math.abs(c - t) < DAY_MS)
    .sort((x, y) => x - y);
  // Every 24-hour period [s, s + 24h) holding t, started at t or at one of the nearby earlier calls.
  for (const s of [t, ...near.filter((c) => c <= t)]) {
    const inPeriod = near.filter((c) => c >= s && c < s + DAY_MS).length + 1;
    if (inPeriod > cap) return true;
  }
  return false;
}
