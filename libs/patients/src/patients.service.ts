import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, DomainError } from '@recall/core';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { callability, type NotCallableReason } from './callability';
import type { StoredPhone, TimeZoneSource, VisitStatus } from './entities';

export interface PatientView {
  id: string;
  mrn: string;
  joinKey: string;
  name: { first: string | null; middle: string | null; last: string | null };
  birthDate: string | null;
  sex: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  timeZone: string;
  timeZoneSource: TimeZoneSource;
  phones: StoredPhone[];
  provider: string | null;
  location: string | null;
  deceased: boolean;
  deceasedOn: string | null;
  doNotCall: { since: string; reason: string | null } | null;
  /** The EMR's patient status says inactive (archived, non-patient…). */
  inactive: boolean;
  mergedIntoId: string | null;
  lastEncounterOn: string | null;
  lastAppointment: { on: string; status: VisitStatus } | null;
  nextAppointmentOn: string | null;
  callable: boolean;
  notCallableReasons: NotCallableReason[];
  callability: string;
  updatedAt: string;
}

/**
 * Activity as of a date: the newest of what the patient file listed and what the
 * appointments/encounters files hold. $1 practice, $2 as-of date (the practice's today).
 */
export const PATIENT_ACTIVITY_SQL = `
  SELECT p.*,
    greatest(p.listed_last_visit_on,
      (SELECT max(v.occurs_on) FROM visit v WHERE v.patient_id = p.id AND v.kind = 'encounter' AND v.occurs_on <= $2),
      (SELECT max(v.occurs_on) FROM visit v WHERE v.patient_id = p.id AND v.kind = 'appointment'
         AND v.status = 'completed' AND v.occurs_on <= $2)) AS last_encounter_on,
    la.occurs_on AS last_appointment_on, la.status AS last_appointment_status,
    least(CASE WHEN p.listed_next_appointment_on >= $2 THEN p.listed_next_appointment_on END,
      (SELECT min(v.occurs_on) FROM visit v WHERE v.patient_id = p.id AND v.kind = 'appointment'
         AND v.status = 'scheduled' AND v.occurs_on >= $2)) AS next_appointment_on
  FROM patient p
  LEFT JOIN LATERAL (
    SELECT * FROM (
      SELECT v.occurs_on, v.status FROM visit v
      WHERE v.patient_id = p.id AND v.kind = 'appointment' AND v.occurs_on <= $2 AND v.status <> 'scheduled'
      UNION ALL
      SELECT p.listed_last_appointment_on, coalesce(p.listed_last_appointment_status, 'unknown')
      WHERE p.listed_last_appointment_on IS NOT NULL AND p.listed_last_appointment_on <= $2
    ) a ORDER BY a.occurs_on DESC LIMIT 1
  ) la ON true
  WHERE p.practice_id = $1`;

const iso = (d: Date | string | null): string | null =>
  d === null ? null : typeof d === 'string' ? d : d.toISOString();

@Injectable()
export class PatientsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The practice's time zone and its calendar date now: the "today" every date rule uses. */
  async practiceDay(practiceId: string): Promise<{ zone: string; today: string }> {
    const [p] = await this.db.query(`SELECT timezone FROM practice WHERE id = $1`, [practiceId]);
    if (!p) throw DomainError.notFound('practice');
    return {
      zone: p.timezone,
      today: DateTime.fromJSDate(this.clock.nowDate()).setZone(p.timezone).toISODate()!,
    };
  }

  async today(practiceId: string): Promise<string> {
    return (await this.practiceDay(practiceId)).today;
  }

  async findByMrn(practiceId: string, mrn: string): Promise<PatientView> {
    const rows = await this.db.query(`${PATIENT_ACTIVITY_SQL} AND p.mrn = $3`, [
      practiceId,
      await this.today(practiceId),
      mrn,
    ]);
    if (!rows[0]) throw DomainError.notFound(`patient with MRN "${mrn}"`);
    return toView(rows[0]);
  }

  async findById(practiceId: string, id: string): Promise<PatientView> {
    const rows = await this.db.query(`${PATIENT_ACTIVITY_SQL} AND p.id = $3`, [
      practiceId,
      await this.today(practiceId),
      id,
    ]);
    if (!rows[0]) throw DomainError.notFound('patient');
    return toView(rows[0]);
  }

  /** Alphabetical; `search` matches the MRN exactly, or a name or phone loosely. */
  async list(
    practiceId: string,
    opts: { search?: string; limit?: number; offset?: number },
  ): Promise<{ total: number; patients: PatientView[] }> {
    const search = opts.search?.trim();
    const params: unknown[] = [practiceId, await this.today(practiceId)];
    let filter = '';
    if (search) {
      params.push(search, `%${search.toLowerCase().replace(/[%_\\]/g, '')}%`);
      filter = ` AND (p.mrn = $3
        OR lower(concat_ws(' ', p.first_name, p.last_name)) LIKE $4
        OR lower(concat_ws(', ', p.last_name, p.first_name)) LIKE $4
        OR p.phones::text LIKE $4)`;
    }
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
    const offset = Math.max(opts.offset ?? 0, 0);
    const [{ total }] = await this.db.query(
      `SELECT count(*)::int AS total FROM patient p WHERE p.practice_id = $1 AND $2::date IS NOT NULL${filter}`,
      params,
    );
    const rows = await this.db.query(
      `${PATIENT_ACTIVITY_SQL}${filter}
       ORDER BY p.last_name NULLS LAST, p.first_name NULLS LAST, p.mrn LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { total, patients: rows.map(toView) };
  }
}

/** A row of PATIENT_ACTIVITY_SQL (snake_case, as PostgreSQL returns it). */
export interface PatientActivityRow {
  id: string;
  mrn: string;
  join_key: string;
  first_name: string | null;
  middle_name: string | null;
  last_name: string | null;
  birth_date: string | null;
  sex: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  time_zone: string;
  time_zone_source: TimeZoneSource;
  phones: StoredPhone[];
  provider: string | null;
  location: string | null;
  deceased: boolean;
  deceased_on: string | null;
  do_not_call_at: Date | null;
  do_not_call_reason: string | null;
  inactive: boolean;
  merged_into_id: string | null;
  last_encounter_on: string | null;
  last_appointment_on: string | null;
  last_appointment_status: VisitStatus | null;
  next_appointment_on: string | null;
  updated_at: Date;
}

export function toView(r: PatientActivityRow): PatientView {
  const next = r.next_appointment_on as string | null;
  const c = callability({
    mergedIntoId: r.merged_into_id,
    deceased: r.deceased,
    doNotCallAt: r.do_not_call_at,
    inactive: r.inactive,
    phones: r.phones,
    nextAppointmentOn: next,
  });
  return {
    id: r.id,
    mrn: r.mrn,
    joinKey: r.join_key,
    name: { first: r.first_name, middle: r.middle_name, last: r.last_name },
    birthDate: r.birth_date,
    sex: r.sex,
    email: r.email,
    address: r.address,
    city: r.city,
    state: r.state,
    zip: r.zip,
    timeZone: r.time_zone,
    timeZoneSource: r.time_zone_source,
    phones: r.phones,
    provider: r.provider,
    location: r.location,
    deceased: r.deceased,
    deceasedOn: r.deceased_on,
    doNotCall: r.do_not_call_at ? { since: iso(r.do_not_call_at)!, reason: r.do_not_call_reason } : null,
    inactive: r.inactive,
    mergedIntoId: r.merged_into_id,
    lastEncounterOn: r.last_encounter_on,
    lastAppointment: r.last_appointment_on
      ? { on: r.last_appointment_on, status: r.last_appointment_status ?? 'unknown' }
      : null,
    nextAppointmentOn: next,
    callable: c.callable,
    notCallableReasons: c.reasons,
    callability: c.explanation,
    updatedAt: iso(r.updated_at)!,
  };
}
