import { PracticesService } from '@recall/auth';
import { CampaignsService, type MemberRow, type TargetRule } from '@recall/campaigns';
import { FixedClock, RequestContext } from '@recall/core';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestApi, TestApi } from './support/test-api';

/**
 * Random small practices, written straight into the tables, evaluated by CampaignsService
 * and by an independent model of the rules (DOMAIN.md §2, eligibility-sql.ts): the target
 * and every exclusion must agree patient by patient, and the breakdown, the lists and the
 * explanation must agree with each other.
 */

// The model's own list, in the order the breakdown must show it.
const REASONS = [
  'do_not_call',
  'deceased',
  'inactive',
  'no_valid_phone',
  'upcoming_appointment',
  'other_campaign',
  'attempts_exhausted',
  'finished_in_campaign',
  'booked_since_import',
] as const;
type Reason = (typeof REASONS)[number];

const PATIENT_TYPES = [
  'reactivation',
  'no_show',
  'cancelled',
  'no_encounters',
  'patient_reviews',
  'patient_referrals',
  'win_back',
] as const;
type PatientType = (typeof PATIENT_TYPES)[number];

const MEMBER_STATES = [
  'open',
  'lost',
  'converted',
  'exhausted',
  'released',
  'dnc',
  'unreachable',
  'booked_elsewhere',
  'reconfirmed',
] as const;

/** Practice clock instants and the Chicago calendar day each one is. */
const MOMENTS = [
  { instant: '2026-06-15T15:00:00Z', today: '2026-06-15' },
  { instant: '2026-06-16T04:30:00Z', today: '2026-06-15' }, // 23:30 CDT: UTC is already on the 16th
  { instant: '2026-03-31T16:00:00Z', today: '2026-03-31' }, // a month back is February 28
  { instant: '2024-02-29T18:00:00Z', today: '2024-02-29' }, // leap day
  { instant: '2027-01-01T05:30:00Z', today: '2026-12-31' }, // 23:30 CST on New Year's Eve
  { instant: '2025-11-20T12:00:00Z', today: '2025-11-20' },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BOUND_MONTHS = [0, 1, 3, 6, 12, 18, 24, 36, 48];
const BOUND_DAYS = [0, 7, 21, 28, 30, 60, 90, 365];
const LOST_DAYS = [0, 30, 60, 90];
const HOURS_AGO = [0, 1, 24, 48, 200, 400];
const AGES = [0, 17, 18, 40, 64, 65, 90];
const PROVIDERS = ['Dr. Lee', ' dr. lee ', 'DR. NG', 'Dr. Ng', 'Dr. Patel'];
const LOCATIONS = ['North', 'north ', 'South'];
const STATES = ['IL', 'il', ' WI', 'TX'];

// ---- calendar arithmetic of the model (plain UTC dates, no library) ----

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
/** The same day `months` earlier, or that month's last day when it is shorter. */
function minusMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${pad(year, 4)}-${pad(month + 1)}-${pad(Math.min(d, last))}`;
}
function ageOn(birth: string, today: string): number {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
const minDate = (ds: (string | null)[]) => ds.filter((d): d is string => d !== null).sort()[0] ?? null;
const maxDate = (ds: (string | null)[]) =>
  ds
    .filter((d): d is string => d !== null)
    .sort()
    .reverse()[0] ?? null;

// ---- generators ----

type DateSpec = { days: number } | { months: number; delta: number };
/** A date near today: uniform, or on (or a day off) a month or day bound the rules use. */
const nearDate = (months: number[], days: number[]): fc.Arbitrary<DateSpec> =>
  fc.oneof(
    fc.integer({ min: -1600, max: 120 }).map((d) => ({ days: d })),
    {
      weight: 2,
      arbitrary: fc.record({ months: fc.constantFrom(...months), delta: fc.integer({ min: -1, max: 1 }) }),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...days), fc.constantFrom(-1, -1, 1), fc.integer({ min: -1, max: 1 }))
        .map(([d, sign, delta]) => ({ days: sign * d + delta })),
    },
  );
const resolveDate = (s: DateSpec, today: string) =>
  'months' in s ? addDays(minusMonths(today, s.months), s.delta) : addDays(today, s.days);

const maybe = <T>(arb: fc.Arbitrary<T>, presentWeight = 1, absentWeight = 1) =>
  fc.oneof(
    { weight: absentWeight, arbitrary: fc.constant(null) },
    { weight: presentWeight, arbitrary: arb as fc.Arbitrary<T | null> },
  );
const rarely = fc.oneof(
  { weight: 9, arbitrary: fc.constant(false) },
  { weight: 1, arbitrary: fc.constant(true) },
);

const monthsArb = fc
  .tuple(fc.constantFrom(...BOUND_MONTHS), fc.constantFrom(...BOUND_MONTHS))
  .map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));
const withinArb = fc.constantFrom(...BOUND_DAYS);
const criterion: Record<PatientType, fc.Arbitrary<TargetRule>> = {
  reactivation: monthsArb.map((lastEncounterMonths) => ({ lastEncounterMonths })),
  no_show: withinArb.map((withinDays) => ({ lastAppointment: { status: 'no_show' as const, withinDays } })),
  cancelled: withinArb.map((withinDays) => ({
    lastAppointment: { status: 'cancelled' as const, withinDays },
  })),
  no_encounters: fc.constant({}),
  patient_reviews: withinArb.map((completedVisitWithinDays) => ({ completedVisitWithinDays })),
  patient_referrals: withinArb.map((completedVisitWithinDays) => ({ completedVisitWithinDays })),
  win_back: fc.constantFrom(...LOST_DAYS).map((lostAtLeastDaysAgo) => ({ lostAtLeastDaysAgo })),
};
const seldom = <T>(arb: fc.Arbitrary<T>) => maybe(arb, 1, 2);
/** The type's criterion with random bounds; now and then a second one; random filters. */
const ruleFor = (type: PatientType) =>
  fc
    .record({
      main: criterion[type],
      extra: maybe(fc.oneof(...Object.values(criterion), fc.constant({ neverSeen: false })), 1, 5),
      providers: maybe(fc.subarray(PROVIDERS, { minLength: 1 }), 1, 4),
      locations: maybe(fc.subarray(LOCATIONS, { minLength: 1 }), 1, 4),
      states: maybe(fc.subarray(STATES, { minLength: 1 }), 1, 4),
      ageMin: seldom(fc.constantFrom(0, 17, 18, 40, 65)),
      ageMax: seldom(fc.constantFrom(17, 18, 40, 64, 65, 90)),
      upcomingAppointmentDays: fc.constantFrom(0, 7, 21, 28, 60),
    })
    .map(({ main, extra, providers, locations, states, ageMin, ageMax, upcomingAppointmentDays }) => {
      const rule: TargetRule = { ...extra, ...main };
      if (providers) rule.providers = providers;
      if (locations) rule.locations = locations;
      if (states) rule.states = states.map((s) => s.trim());
      if (ageMin !== null && ageMax !== null) {
        rule.ageMin = Math.min(ageMin, ageMax);
        rule.ageMax = Math.max(ageMin, ageMax);
      } else if (ageMin !== null) rule.ageMin = ageMin;
      else if (ageMax !== null) rule.ageMax = ageMax;
      return { type, rule, upcomingAppointmentDays };
    });

interface Bounds {
  months: number[];
  days: number[];
  lostDays: number[];
}

const patientArb = ({ months, days, lostDays }: Bounds) => {
  const near = nearDate(months, days);
  const visit = fc.record({
    kind: fc.constantFrom('appointment', 'appointment', 'encounter'),
    on: near,
    status: fc.constantFrom(
      'scheduled',
      'completed',
      'completed',
      'no_show',
      'no_show',
      'cancelled',
      'cancelled',
      'unknown',
    ),
  });
  return fc.record({
    first: maybe(fc.constantFrom('Ann', 'bob', 'Çelik', 'Dee'), 5),
    last: maybe(fc.constantFrom('Ng', 'lee', 'Olsen', 'Zed'), 5),
    birth: maybe(
      fc.oneof(
        {
          weight: 2,
          arbitrary: fc.record({ years: fc.constantFrom(...AGES), delta: fc.integer({ min: -1, max: 1 }) }),
        },
        fc.integer({ min: 0, max: 36_000 }).map((d) => ({ days: -d })),
      ),
      6,
    ),
    provider: maybe(fc.constantFrom(...PROVIDERS), 5),
    location: maybe(fc.constantFrom(...LOCATIONS), 5),
    state: maybe(fc.constantFrom(...STATES), 5),
    listedLastVisit: maybe(near),
    listedLastAppt: maybe(
      fc.record({
        on: near,
        status: maybe(fc.constantFrom('completed', 'no_show', 'cancelled', 'unknown'), 3),
      }),
      1,
      2,
    ),
    listedNext: maybe(near, 1, 2),
    deceased: rarely,
    inactive: rarely,
    doNotCall: rarely,
    phones: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)), {
      maxLength: 3,
    }),
    bookedHoursAgo: maybe(fc.constantFrom(...HOURS_AGO), 1, 3),
    merged: fc.oneof(
      { weight: 11, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
    visits: fc.array(visit, { maxLength: 6 }),
    // Memberships in the practice's campaigns (indexes into PATIENT_TYPES).
    memberships: fc.uniqueArray(
      fc.record({
        campaign: fc.integer({ min: 0, max: PATIENT_TYPES.length - 1 }),
        state: fc.constantFrom('open', 'open', 'lost', 'lost', ...MEMBER_STATES),
        daysAgo: fc.constantFrom(...lostDays, 1, 200),
        minutes: fc.integer({ min: -1, max: 1 }),
      }),
      { maxLength: 2, selector: (m) => m.campaign },
    ),
  });
};

const scenarioArb = fc
  .record({
    moment: fc.constantFrom(...MOMENTS),
    campaigns: fc.tuple(...PATIENT_TYPES.map(ruleFor)),
  })
  .chain((base) => {
    const rules = base.campaigns.map((c) => c.rule);
    const defined = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined);
    // Dates fall on the rules' own bounds as often as on the fixed ones.
    const bounds: Bounds = {
      months: [
        ...defined(rules.flatMap((r) => [r.lastEncounterMonths?.min, r.lastEncounterMonths?.max])),
        ...BOUND_MONTHS,
      ],
      days: [
        ...defined(rules.flatMap((r) => [r.lastAppointment?.withinDays, r.completedVisitWithinDays])),
        ...base.campaigns.map((c) => c.upcomingAppointmentDays),
        ...BOUND_DAYS,
      ],
      lostDays: [...defined(rules.map((r) => r.lostAtLeastDaysAgo)), ...LOST_DAYS],
    };
    return fc.record({
      moment: fc.constant(base.moment),
      campaigns: fc.constant(base.campaigns),
      // Any size from 5 to 40 (fast-check's default size would keep to the small end).
      patients: fc
        .integer({ min: 5, max: 40 })
        .chain((n) => fc.array(patientArb(bounds), { minLength: n, maxLength: n })),
      imports: fc.array(
        fc.record({
          status: fc.constantFrom('succeeded', 'succeeded', 'failed', 'running'),
          dryRun: rarely,
          hoursAgo: fc.constantFrom(...HOURS_AGO),
        }),
        { maxLength: 3 },
      ),
    });
  });
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

// ---- the world as written to the database ----

interface Membership {
  campaign: number;
  state: string;
  closedAtMs: number | null;
}
interface Visit {
  kind: string;
  on: string;
  status: string;
}
interface WorldPatient {
  id: string;
  mrn: string;
  mergedIntoId: string | null;
  first: string | null;
  last: string | null;
  birth: string | null;
  provider: string | null;
  location: string | null;
  state: string | null;
  listedLastVisit: string | null;
  listedLastAppt: { on: string; status: string | null } | null;
  listedNext: string | null;
  deceased: boolean;
  inactive: boolean;
  doNotCall: boolean;
  phones: boolean[];
  bookedAtMs: number | null;
  visits: Visit[];
  memberships: Membership[];
}

function buildWorld(s: Scenario, today: string, nowMs: number): WorldPatient[] {
  const patients: WorldPatient[] = s.patients.map((p, i) => {
    // One past non-scheduled appointment per day: same-day ties have no defined order.
    const apptDays = new Set<string>();
    const visits: Visit[] = [];
    for (const v of p.visits) {
      const on = resolveDate(v.on, today);
      const status = v.kind === 'encounter' ? (v.status === 'unknown' ? 'unknown' : 'completed') : v.status;
      if (v.kind === 'appointment' && status !== 'scheduled') {
        if (apptDays.has(on)) continue;
        apptDays.add(on);
      }
      visits.push({ kind: v.kind, on, status });
    }
    // The database allows one open membership per patient.
    let open = false;
    const memberships = p.memberships.map((m) => {
      const state = m.state === 'open' && open ? 'released' : m.state;
      open ||= state === 'open';
      return {
        campaign: m.campaign,
        state,
        closedAtMs: state === 'open' ? null : nowMs - m.daysAgo * DAY + m.minutes * 60_000,
      };
    });
    const birth = p.birth
      ? 'years' in p.birth
        ? addDays(minusMonths(today, p.birth.years * 12), p.birth.delta)
        : addDays(today, p.birth.days)
      : null;
    const lastVisit = p.listedLastVisit ? resolveDate(p.listedLastVisit, today) : null;
    return {
      id: randomUUID(),
      mrn: `P${String(i).padStart(2, '0')}`,
      mergedIntoId: null,
      first: p.first,
      last: p.last,
      birth: birth && birth > today ? today : birth,
      provider: p.provider,
      location: p.location,
      state: p.state,
      // An export's last visit is in the past.
      listedLastVisit: lastVisit && lastVisit > today ? today : lastVisit,
      listedLastAppt: p.listedLastAppt
        ? { on: resolveDate(p.listedLastAppt.on, today), status: p.listedLastAppt.status }
        : null,
      listedNext: p.listedNext ? resolveDate(p.listedNext, today) : null,
      deceased: p.deceased,
      inactive: p.inactive,
      doNotCall: p.doNotCall,
      phones: p.phones,
      bookedAtMs: p.bookedHoursAgo === null ? null : nowMs - p.bookedHoursAgo * HOUR,
      visits,
      memberships,
    };
  });
  s.patients.forEach((p, i) => {
    if (p.merged && i > 0) patients[i].mergedIntoId = patients[0].id;
  });
  return patients;
}

// ---- the reference model ----

interface Facts {
  lastSeen: string | null;
  lastAppointment: { on: string; status: string } | null;
  next: string | null;
  age: number | null;
}

function factsOf(p: WorldPatient, today: string): Facts {
  const past = p.visits.filter((v) => v.on <= today);
  const lastSeen = maxDate([
    p.listedLastVisit,
    ...past.filter((v) => v.kind === 'encounter' || v.status === 'completed').map((v) => v.on),
  ]);
  const lastVisitAppt = past
    .filter((v) => v.kind === 'appointment' && v.status !== 'scheduled')
    .sort((a, b) => (a.on < b.on ? 1 : -1))[0];
  let lastAppointment = lastVisitAppt ? { on: lastVisitAppt.on, status: lastVisitAppt.status } : null;
  const listed = p.listedLastAppt;
  if (listed && listed.on <= today && (!lastAppointment || listed.on > lastAppointment.on)) {
    lastAppointment = { on: listed.on, status: listed.status ?? 'unknown' };
  }
  const next = minDate([
    p.listedNext !== null && p.listedNext >= today ? p.listedNext : null,
    ...p.visits
      .filter((v) => v.kind === 'appointment' && v.status === 'scheduled' && v.on >= today)
      .map((v) => v.on),
  ]);
  return { lastSeen, lastAppointment, next, age: p.birth ? ageOn(p.birth, today) : null };
}

const norm = (s: string) => s.trim().toLowerCase();
const anyOf = (value: string | null, wanted: string[] | undefined) =>
  !wanted?.length || (value !== null && wanted.map(norm).includes(norm(value)));

interface ModelContext {
  campaign: number;
  rule: TargetRule;
  upcomingDays: number;
  today: string;
  nowMs: number;
  lastImportMs: number | null;
}

function inTarget(p: WorldPatient, f: Facts, c: ModelContext): boolean {
  const { rule, today } = c;
  const { lastSeen, lastAppointment: last, next, age } = f;
  if (rule.lastEncounterMonths) {
    const { min, max } = rule.lastEncounterMonths;
    if (!lastSeen || lastSeen < minusMonths(today, max) || lastSeen > minusMonths(today, min)) return false;
  }
  if (rule.lastAppointment) {
    const { status, withinDays } = rule.lastAppointment;
    if (!last || last.status !== status || last.on < addDays(today, -withinDays) || next !== null)
      return false;
  }
  if (rule.neverSeen && lastSeen !== null) return false;
  if (rule.completedVisitWithinDays !== undefined) {
    if (!lastSeen || lastSeen < addDays(today, -rule.completedVisitWithinDays)) return false;
  }
  if (rule.lostAtLeastDaysAgo !== undefined) {
    const cutoff = c.nowMs - rule.lostAtLeastDaysAgo * DAY;
    const lost = p.memberships.some(
      (m) => m.campaign !== c.campaign && m.state === 'lost' && m.closedAtMs! <= cutoff,
    );
    if (!lost) return false;
  }
  if (
    !anyOf(p.provider, rule.providers) ||
    !anyOf(p.location, rule.locations) ||
    !anyOf(p.state, rule.states)
  ) {
    return false;
  }
  if (rule.ageMin !== undefined && (age === null || age < rule.ageMin)) return false;
  if (rule.ageMax !== undefined && (age === null || age > rule.ageMax)) return false;
  return true;
}

function exclusionsOf(p: WorldPatient, f: Facts, c: ModelContext): Reason[] {
  const own = p.memberships.find((m) => m.campaign === c.campaign);
  const flags: Record<Reason, boolean> = {
    do_not_call: p.doNotCall,
    deceased: p.deceased,
    inactive: p.inactive,
    no_valid_phone: !p.phones.some(Boolean),
    upcoming_appointment: f.next !== null && f.next <= addDays(c.today, c.upcomingDays),
    other_campaign: p.memberships.some((m) => m.campaign !== c.campaign && m.state === 'open'),
    attempts_exhausted: own?.state === 'exhausted',
    finished_in_campaign: own !== undefined && !['open', 'exhausted', 'released'].includes(own.state),
    booked_since_import: p.bookedAtMs !== null && (c.lastImportMs === null || p.bookedAtMs > c.lastImportMs),
  };
  return REASONS.filter((r) => flags[r]);
}

// ---- the test ----

describe('campaign eligibility properties', () => {
  let api: TestApi;
  let campaigns: CampaignsService;
  let practices: PracticesService;
  let db: DataSource;
  const clock = new FixedClock(MOMENTS[0].instant);
  const system = <T>(fn: () => Promise<T>) => RequestContext.run({ requestId: 't', channel: 'system' }, fn);
  let n = 0;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    campaigns = api.app.get(CampaignsService);
    practices = api.app.get(PracticesService);
    db = api.app.get(DataSource);
  });
  afterAll(() => api.close());

  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const phone = (valid: boolean, i: number) =>
    valid
      ? { e164: `+1312555010${i}`, extension: null, raw: `312-555-010${i}`, type: 'mobile', valid: true }
      : { e164: null, extension: null, raw: `555-01${i}`, type: 'home', valid: false };

  async function write(
    practiceId: string,
    world: WorldPatient[],
    campaignIds: string[],
    s: Scenario,
    nowMs: number,
  ) {
    const rows = world.map((p) => ({
      id: p.id,
      mrn: p.mrn,
      first_name: p.first,
      last_name: p.last,
      birth_date: p.birth,
      state: p.state,
      phones: p.phones.map(phone),
      provider: p.provider,
      location: p.location,
      deceased: p.deceased,
      inactive: p.inactive,
      last_visit: p.listedLastVisit,
      last_appt: p.listedLastAppt?.on ?? null,
      last_appt_status: p.listedLastAppt?.status ?? null,
      next_appt: p.listedNext,
      do_not_call_at: p.doNotCall ? iso(nowMs - 30 * DAY) : null,
      booked_at: iso(p.bookedAtMs),
    }));
    await db.query(
      `INSERT INTO patient (id, practice_id, mrn, join_key, first_name, last_name, match_name, birth_date, state,
         time_zone, time_zone_source, phones, provider, location, deceased, inactive, listed_last_visit_on,
         listed_last_appointment_on, listed_last_appointment_status, listed_next_appointment_on, do_not_call_at,
         booked_at, content_hash)
       SELECT x.id, $1, x.mrn, x.mrn, x.first_name, x.last_name, 'm', x.birth_date, x.state,
         'America/Chicago', 'practice', x.phones, x.provider, x.location, x.deceased, x.inactive, x.last_visit,
         x.last_appt, x.last_appt_status, x.next_appt, x.do_not_call_at, x.booked_at, 'h'
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, mrn text, first_name text, last_name text, birth_date date,
         state text, phones jsonb, provider text, location text, deceased boolean, inactive boolean,
         last_visit date, last_appt date, last_appt_status text, next_appt date, do_not_call_at timestamptz,
         booked_at timestamptz)`,
      [practiceId, JSON.stringify(rows)],
    );
    await db.query(
      `UPDATE patient p SET merged_into_id = x.survivor
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, survivor uuid) WHERE p.id = x.id`,
      [
        JSON.stringify(
          world.filter((p) => p.mergedIntoId).map((p) => ({ id: p.id, survivor: p.mergedIntoId })),
        ),
      ],
    );
    const visits = world.flatMap((p) =>
      p.visits.map((v, i) => ({
        patient_id: p.id,
        kind: v.kind,
        key: `${p.mrn}-${i}`,
        on: v.on,
        status: v.status,
      })),
    );
    await db.query(
      `INSERT INTO visit (practice_id, patient_id, kind, source_key, occurs_on, status, content_hash)
       SELECT $1, x.patient_id, x.kind, x.key, x.on, x.status, 'h'
       FROM jsonb_to_recordset($2::jsonb) AS x(patient_id uuid, kind text, key text, "on" date, status text)`,
      [practiceId, JSON.stringify(visits)],
    );
    const members = world.flatMap((p) =>
      p.memberships.map((m) => ({
        campaign_id: campaignIds[m.campaign],
        patient_id: p.id,
        state: m.state,
        closed_at: iso(m.closedAtMs),
      })),
    );
    await db.query(
      `INSERT INTO campaign_member (campaign_id, practice_id, patient_id, state, attempts, attempt_cap, enrolled_at,
         closed_at)
       SELECT x.campaign_id, $1, x.patient_id, x.state, 0, 5, $2, x.closed_at
       FROM jsonb_to_recordset($3::jsonb) AS x(campaign_id uuid, patient_id uuid, state text, closed_at timestamptz)`,
      [practiceId, new Date(nowMs - 400 * DAY), JSON.stringify(members)],
    );
    const imports = s.imports.map((i) => ({
      status: i.status,
      dry_run: i.dryRun,
      finished_at: i.status === 'running' ? null : iso(nowMs - i.hoursAgo * HOUR),
    }));
    await db.query(
      `INSERT INTO patient_import (practice_id, status, dry_run, files, rows_done, bytes_done, bytes_total, finished_at)
       SELECT $1, x.status, x.dry_run, '[]', 0, 0, 0, x.finished_at
       FROM jsonb_to_recordset($2::jsonb) AS x(status text, dry_run boolean, finished_at timestamptz)`,
      [practiceId, JSON.stringify(imports)],
    );
  }

  it('target, exclusions, breakdown, lists and explanations agree with the model', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.nat(), async (s, pick) => {
        clock.set(s.moment.instant);
        const { today } = s.moment;
        const nowMs = Date.parse(s.moment.instant);
        const practice = await system(() =>
          practices.create({ slug: `cprop${n++}`, timezone: 'America/Chicago' }),
        );
        const created = [];
        for (const [i, c] of s.campaigns.entries()) {
          // The rule is the patch over the type's default; the model reads the stored one.
          const view = await system(() =>
            campaigns.create(
              practice.id,
              {
                type: c.type,
                name: `C${i} ${c.type}`,
                rule: c.rule,
                settings: { upcomingAppointmentDays: c.upcomingAppointmentDays },
              },
              null,
            ),
          );
          created.push(view);
        }
        const world = buildWorld(s, today, nowMs);
        await write(
          practice.id,
          world,
          created.map((c) => c.id),
          s,
          nowMs,
        );
        const live = world.filter((p) => p.mergedIntoId === null);
        const finished = s.imports
          .filter((i) => i.status === 'succeeded' && !i.dryRun)
          .map((i) => nowMs - i.hoursAgo * HOUR);
        const lastImportMs = finished.length ? Math.max(...finished) : null;

        for (const [k, campaign] of created.entries()) {
          const ctx: ModelContext = {
            campaign: k,
            rule: campaign.rule,
            upcomingDays: s.campaigns[k].upcomingAppointmentDays,
            today,
            nowMs,
            lastImportMs,
          };
          const model = live.map((p) => {
            const f = factsOf(p, today);
            return { p, facts: f, inTarget: inTarget(p, f, ctx), reasons: exclusionsOf(p, f, ctx) };
          });
          const modelIds = (keep: (e: { inTarget: boolean; reasons: Reason[] }) => boolean) =>
            model
              .filter(keep)
              .map((e) => e.p.id)
              .sort();

          const summary = await campaigns.eligibility(practice.id, campaign.id);
          const lists = new Map<string, { total: number; items: MemberRow[] }>();
          for (const reason of ['eligible', 'not_target', ...REASONS]) {
            lists.set(
              reason,
              await campaigns.eligibilityList(practice.id, campaign.id, reason, { limit: 500 }),
            );
          }
          const idsOf = (reason: string) =>
            lists
              .get(reason)!
              .items.map((m) => m.id)
              .sort();

          // Every patient, as the lists show them, against the model.
          const rows = new Map<string, MemberRow>();
          for (const page of lists.values()) {
            expect(page.total).toBe(page.items.length);
            for (const row of page.items) {
              if (rows.has(row.id)) expect(row).toEqual(rows.get(row.id));
              rows.set(row.id, row);
            }
          }
          const notTarget = new Set(idsOf('not_target'));
          const mrnOf = new Map(world.map((p) => [p.id, p.mrn]));
          const actual = [...rows.values()]
            .map((r) => ({
              mrn: mrnOf.get(r.id),
              inTarget: !notTarget.has(r.id),
              reasons: r.reasons,
              lastEncounterOn: r.lastEncounterOn,
              lastAppointment: r.lastAppointment,
              nextAppointmentOn: r.nextAppointmentOn,
            }))
            .sort((a, b) => a.mrn!.localeCompare(b.mrn!));
          const wanted = model
            .map((e) => ({
              mrn: e.p.mrn,
              inTarget: e.inTarget,
              reasons: e.reasons,
              lastEncounterOn: e.facts.lastSeen,
              lastAppointment: e.facts.lastAppointment,
              nextAppointmentOn: e.facts.next,
            }))
            .sort((a, b) => a.mrn.localeCompare(b.mrn));
          expect({ campaign: s.campaigns[k], today, patients: actual }).toEqual({
            campaign: s.campaigns[k],
            today,
            patients: wanted,
          });

          // Each list is exactly the model's.
          expect(idsOf('eligible')).toEqual(modelIds((e) => e.inTarget && e.reasons.length === 0));
          expect(idsOf('not_target')).toEqual(modelIds((e) => !e.inTarget));
          for (const r of REASONS)
            expect(idsOf(r)).toEqual(modelIds((e) => e.inTarget && e.reasons.includes(r)));

          // A candidate is eligible or excluded, never both; merged duplicates are nowhere.
          const eligible = new Set(idsOf('eligible'));
          const excluded = new Set(REASONS.flatMap((r) => idsOf(r)));
          expect([...eligible].filter((id) => excluded.has(id))).toEqual([]);
          for (const row of rows.values()) {
            if (!notTarget.has(row.id)) expect(eligible.has(row.id)).toBe(row.reasons.length === 0);
          }
          for (const p of world.filter((w) => w.mergedIntoId)) expect(rows.has(p.id)).toBe(false);

          // The breakdown counts what the lists list.
          expect(summary).toMatchObject({
            asOf: today,
            population: live.length,
            candidates: live.length - notTarget.size,
            eligible: eligible.size,
          });
          expect(summary.candidates).toBe(summary.eligible + excluded.size);
          expect(summary.exclusions.map((x) => [x.reason, x.count])).toEqual(
            REASONS.map((r) => [r, lists.get(r)!.total]),
          );

          // Each patient's explanation agrees (each patient in one campaign per run, to stay fast).
          for (const [i, e] of model.entries()) {
            if ((i + pick) % created.length !== k) continue;
            const x = await campaigns.explain(practice.id, campaign.id, { patientId: e.p.id });
            expect({
              mrn: e.p.mrn,
              inTarget: x.inTarget,
              eligible: x.eligible,
              reasons: x.reasons.map((r) => r.reason),
            }).toEqual({
              mrn: e.p.mrn,
              inTarget: e.inTarget,
              eligible: eligible.has(e.p.id),
              reasons: [...(e.inTarget ? [] : ['not_target']), ...e.reasons],
            });
            const other = e.p.memberships.find((m) => m.campaign !== k && m.state === 'open');
            if (other) {
              expect(x.reasons.find((r) => r.reason === 'other_campaign')?.detail).toContain(
                created[other.campaign].name,
              );
            }
          }
        }

        // By MRN as by id; a merged duplicate cannot be explained.
        const campaign = created[pick % created.length];
        const some = live[pick % live.length];
        expect(await campaigns.explain(practice.id, campaign.id, { mrn: some.mrn })).toEqual(
          await campaigns.explain(practice.id, campaign.id, { patientId: some.id }),
        );
        const merged = world.find((p) => p.mergedIntoId);
        if (merged) {
          await expect(campaigns.explain(practice.id, campaign.id, { patientId: merged.id })).rejects.toThrow(
            'not found',
          );
        }

        // Pages of a list concatenate to the whole list; past the end the total still shows.
        const reasons = ['eligible', 'not_target', ...REASONS];
        const reason = reasons[pick % reasons.length];
        const whole = await campaigns.eligibilityList(practice.id, campaign.id, reason, { limit: 500 });
        const size = 1 + (pick % 7);
        const paged: string[] = [];
        for (let offset = 0; offset < whole.total; offset += size) {
          const page = await campaigns.eligibilityList(practice.id, campaign.id, reason, {
            limit: size,
            offset,
          });
          expect(page.total).toBe(whole.total);
          paged.push(...page.items.map((m) => m.id));
        }
        expect(paged).toEqual(whole.items.map((m) => m.id));
        expect(
          await campaigns.eligibilityList(practice.id, campaign.id, reason, {
            limit: size,
            offset: whole.total + 1,
          }),
        ).toEqual({ reason, total: whole.total, items: [] });
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
