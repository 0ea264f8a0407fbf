/**
 * A year of calls for the reports benchmark, drawn from the demo's call model (libs/simulation):
 * the same pickup-by-hour and age band, booking rate falling with the attempt number, misses,
 * callbacks, DNC and LOST as `recall demo`, but written straight to the tables with COPY, since
 * millions of calls through the services would take days. Member i's calls are a pure function
 * of the seed and i, so a pass that only counts and the pass that writes agree.
 */
import {
  ageBand,
  dialTime,
  keptVisit,
  type SimulatedCode,
  simulateCall,
  type SimulationParams,
  drawInt,
} from '@recall/simulation';
import { codesWith } from '@recall/dispositions';
import { DateTime } from 'luxon';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export const BENCH_ZONE = 'America/Chicago';
const CAMPAIGN = 'bench';
const TERMINAL: Partial<Record<SimulatedCode, string>> = {
  DONE: 'converted',
  RECONFIRMED: 'reconfirmed',
  LOST: 'lost',
  DNC: 'dnc',
  // Each bench patient has one number: a bad one leaves nothing to dial.
  WNUM: 'unreachable',
  DCONN: 'unreachable',
};

export interface SimulatedCallRow {
  attempt: number;
  code: SimulatedCode;
  startedAt: Date;
  endedAt: Date;
  localHour: number;
  agentIndex: number;
  appointmentAt: Date | null;
  callbackAt: Date | null;
  reason: string | null;
  remarks: string | null;
  /** The member's state after this call. */
  memberState: string;
}

export interface BenchYear {
  params: SimulationParams;
  seed: number;
  /** The last day of the year (the benchmark's today). */
  today: string;
  agents: number;
  cap: number;
}

export function benchMrn(i: number): string {
  return `M${i}`;
}

/** Member i's birth date: spread over 1940–2019, as the generated patients have it. */
export function benchBirthDate(i: number): string {
  return DateTime.fromISO('1940-01-01', { zone: 'utc' })
    .plus({ days: i % 29000 })
    .toISODate()!;
}

const offsets = new Map<string, number>();
/** A local wall time on `day` in the bench zone as a Date (offset cached per day: dials are 9–19 h). */
function localTime(day: string, hour: number, minute: number, second: number): Date {
  let offset = offsets.get(day);
  if (offset === undefined) {
    offset = DateTime.fromISO(`${day}T12:00:00`, { zone: BENCH_ZONE }).offset;
    offsets.set(day, offset);
  }
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, hour, minute, second) - offset * 60_000);
}

const days = new Map<string, string[]>();
function yearDays(today: string): string[] {
  let list = days.get(today);
  if (!list) {
    const end = DateTime.fromISO(today, { zone: 'utc' });
    list = Array.from({ length: 400 }, (_, k) => end.minus({ days: 399 - k }).toISODate()!);
    days.set(today, list);
  }
  return list;
}

/** Member i's calls, a week apart from a random start in the year, until a terminal outcome or the cap. */
export function memberCalls(y: BenchYear, i: number): SimulatedCallRow[] {
  const mrn = benchMrn(i);
  const birth = benchBirthDate(i);
  const list = yearDays(y.today);
  // Day 0 is 360 days ago, as the benchmark's year; starts up to day 300 leave room for 5 weeks.
  const first = 40 + drawInt(y.seed, 0, 299, 'start-day', CAMPAIGN, mrn);
  const rows: SimulatedCallRow[] = [];
  let callback = false;
  for (let attempt = 1; attempt <= y.cap; attempt++) {
    const day = list[first + (attempt - 1) * 7];
    const dial = dialTime(y.params, y.seed, CAMPAIGN, mrn, attempt);
    const call = simulateCall(y.params, {
      seed: y.seed,
      campaign: CAMPAIGN,
      mrn,
      attempt,
      localHour: dial.hour,
      ageBand: ageBand(birth, day),
      callback,
    });
    const startedAt = localTime(day, dial.hour, dial.minute, dial.second);
    const ahead = (n: number | null) =>
      n === null
        ? null
        : localTime(
            DateTime.fromISO(day, { zone: 'utc' }).plus({ days: n }).toISODate()!,
            call.hourAhead ?? 10,
            0,
            0,
          );
    const terminal = TERMINAL[call.code];
    const state = terminal ?? (attempt === y.cap ? 'exhausted' : 'open');
    rows.push({
      attempt,
      code: call.code,
      startedAt,
      endedAt: new Date(startedAt.getTime() + call.handleSeconds * 1000),
      localHour: dial.hour,
      agentIndex: drawInt(y.seed, 0, y.agents - 1, 'agent', CAMPAIGN, mrn, attempt),
      appointmentAt: call.code === 'DONE' || call.code === 'RECONFIRMED' ? ahead(call.daysAhead) : null,
      callbackAt: call.code === 'CBACK' ? ahead(call.daysAhead) : null,
      reason: call.reason,
      remarks: call.remarks,
      memberState: state,
    });
    if (terminal) break;
    callback = call.code === 'CBACK';
  }
  return rows;
}

/** How many members make `attempts` calls, and each one's final state and attempt count. */
export function planMembers(y: BenchYear, attempts: number): { states: string[]; counts: number[] } {
  const states: string[] = [];
  const counts: number[] = [];
  let total = 0;
  for (let i = 1; total < attempts; i++) {
    const calls = memberCalls(y, i).slice(0, attempts - total);
    total += calls.length;
    states.push(calls[calls.length - 1].memberState);
    counts.push(calls.length);
  }
  return { states, counts };
}

const TALKED = new Set<string>(codesWith('contact'));

/** The identity check on a call that reached the patient: 90 % passed, 3 % failed, the rest not recorded. */
function identityOf(y: BenchYear, i: number, c: SimulatedCallRow): string | null {
  if (!TALKED.has(c.code)) return null;
  const draw = drawInt(y.seed, 0, 99, 'identity', CAMPAIGN, benchMrn(i), c.attempt);
  return draw < 90 ? 't' : draw < 93 ? 'f' : null;
}

const esc = (v: string | null) =>
  v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

export const ATTEMPT_COPY_COLUMNS = [
  'practice_id',
  'campaign_id',
  'member_id',
  'patient_id',
  'agent_id',
  'recorded_by',
  'phone',
  'started_at',
  'ended_at',
  'code',
  'attempt_number',
  'appointment_at',
  'callback_at',
  'reason',
  'remarks',
  'patient_local_hour',
  'member_state',
  'member_before',
  'outcome',
  'idempotency_key',
  'request_hash',
  'source',
  'identity_verified',
];

/**
 * Writes every member's calls (as `planMembers` counted them) with COPY, and the follow-up
 * export's visits for the bookings (kept or no-show, by the demo's show rate) with a second.
 */
export async function copyYear(
  client: ClientBase,
  y: BenchYear,
  ids: { practiceId: string; campaignId: string; agentIds: string[] },
  members: { memberId: string; patientId: string }[],
  counts: number[],
): Promise<{ attempts: number; visits: number }> {
  const bookings: { patientId: string; i: number; at: Date }[] = [];
  let written = 0;
  function* attemptLines(): Generator<string> {
    for (let k = 0; k < members.length; k++) {
      const i = k + 1;
      const { memberId, patientId } = members[k];
      let chunk = '';
      for (const c of memberCalls(y, i).slice(0, counts[k])) {
        const agent = ids.agentIds[c.agentIndex];
        if (c.code === 'DONE' && c.appointmentAt) bookings.push({ patientId, i, at: c.appointmentAt });
        chunk +=
          [
            ids.practiceId,
            ids.campaignId,
            memberId,
            patientId,
            agent,
            agent,
            '+13125550100',
            c.startedAt.toISOString(),
            c.endedAt.toISOString(),
            c.code,
            String(c.attempt),
            c.appointmentAt?.toISOString() ?? null,
            c.callbackAt?.toISOString() ?? null,
            c.reason,
            c.remarks,
            String(c.localHour),
            c.memberState,
            '{}',
            '{}',
            `bench-${i}-${c.attempt}`,
            '',
            'api',
            identityOf(y, i, c),
          ]
            .map(esc)
            .join('\t') + '\n';
        written++;
      }
      yield chunk;
    }
  }
  await pipeline(
    Readable.from(attemptLines()),
    client.query(copyFrom(`COPY call_attempt (${ATTEMPT_COPY_COLUMNS.join(', ')}) FROM STDIN`)),
  );
  function* visitLines(): Generator<string> {
    for (const b of bookings) {
      const kept = keptVisit(y.params, y.seed, CAMPAIGN, benchMrn(b.i));
      const day = DateTime.fromJSDate(b.at, { zone: BENCH_ZONE }).toISODate()!;
      // Only appointments that have happened by today carry an outcome; later ones are booked.
      const status = day > y.today ? 'scheduled' : kept ? 'completed' : 'no_show';
      yield (
        [ids.practiceId, b.patientId, 'appointment', `bench-${b.i}`, day, b.at.toISOString(), status, status]
          .map(esc)
          .join('\t') + '\n'
      );
    }
  }
  await pipeline(
    Readable.from(visitLines()),
    client.query(
      copyFrom(
        `COPY visit (practice_id, patient_id, kind, source_key, occurs_on, occurs_at, status, content_hash) FROM STDIN`,
      ),
    ),
  );
  return { attempts: written, visits: bookings.length };
}
