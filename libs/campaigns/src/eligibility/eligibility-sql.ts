import type { Audience, CampaignSettings, TargetRule } from '../campaign-types';
import { CONTACT_EXCLUSION_REASONS, EXCLUSION_REASONS, type ExclusionReason } from './exclusions';

/** One campaign's rules, as the evaluation needs them. */
export interface EligibilityInput {
  practiceId: string;
  campaignId: string;
  audience: Audience;
  rule: TargetRule;
  settings: Pick<CampaignSettings, 'upcomingAppointmentDays'>;
  /** The practice's calendar date: every "N days ago" counts from it. */
  today: string;
  /** The practice clock's instant (for timestamps such as LOST at least N days ago). */
  now: Date;
  /** Evaluate one patient only (explain): the same statement, without the whole population. */
  only?: { id: string } | { mrn: string };
  /** Evaluate only the campaign's open members (cycle builds), not the whole population. */
  openMembersOnly?: boolean;
}

export interface EvaluationQuery {
  /** A SELECT with one row per patient (or contact) of the practice. */
  sql: string;
  params: unknown[];
  reasons: readonly ExclusionReason[];
}

/**
 * A patient's activity in one set-based pass over the visits (a hash aggregate, not a
 * subquery per patient), merged with what the patients file itself listed. Same meaning as
 * PATIENT_ACTIVITY_SQL in @recall/patients: last seen = latest encounter or completed
 * appointment; last appointment = latest past appointment that is not still "scheduled".
 */
const ACTIVITY = (practice: string, today: string, visitFilter: string) => `
  SELECT x.patient_id, x.last_seen_on, x.next_appt_on,
    left(x.last_appt, 10)::date AS last_appt_on, substr(x.last_appt, 12) AS last_appt_status
  FROM (
    SELECT v.patient_id,
      max(v.occurs_on) FILTER (WHERE v.occurs_on <= ${today}
        AND (v.kind = 'encounter' OR v.status = 'completed')) AS last_seen_on,
      -- "date status" sorts by date (ISO), so one max() finds the latest and its status
      -- without sorting each patient's visits.
      max(v.occurs_on::text || ' ' || v.status) FILTER (WHERE v.kind = 'appointment'
        AND v.occurs_on <= ${today} AND v.status <> 'scheduled') AS last_appt,
      min(v.occurs_on) FILTER (WHERE v.kind = 'appointment' AND v.status = 'scheduled'
        AND v.occurs_on >= ${today}) AS next_appt_on
    FROM visit v WHERE v.practice_id = ${practice}${visitFilter}
    GROUP BY v.patient_id
  ) x`;

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

/** The SQL condition for "matches the campaign's target rule and filters". */
function targetCondition(
  rule: TargetRule,
  p: Params,
  today: string,
  now: () => string,
  campaign: string,
): string {
  const parts: string[] = [];
  if (rule.lastEncounterMonths) {
    const { min, max } = rule.lastEncounterMonths;
    parts.push(
      `a.last_seen_on BETWEEN (${today} - make_interval(months => ${p.add(max, '::int')}))::date
         AND (${today} - make_interval(months => ${p.add(min, '::int')}))::date`,
    );
  }
  if (rule.lastAppointment) {
    parts.push(
      `a.last_appt_status = ${p.add(rule.lastAppointment.status)}
       AND a.last_appt_on >= ${today} - ${p.add(rule.lastAppointment.withinDays, '::int')}
       AND a.next_appt_on IS NULL`,
    );
  }
  if (rule.neverSeen) parts.push(`a.last_seen_on IS NULL`);
  if (rule.completedVisitWithinDays !== undefined) {
    parts.push(`a.last_seen_on >= ${today} - ${p.add(rule.completedVisitWithinDays, '::int')}`);
  }
  if (rule.lostAtLeastDaysAgo !== undefined) {
    parts.push(`EXISTS (SELECT 1 FROM campaign_member lm WHERE lm.patient_id = a.id
      AND lm.campaign_id <> ${campaign} AND lm.state = 'lost'
      AND lm.closed_at <= ${now()} - make_interval(days => ${p.add(rule.lostAtLeastDaysAgo, '::int')}))`);
  }
  const anyOf = (column: string, values?: string[]) => {
    const list = (values ?? []).map((v) => v.trim().toLowerCase()).filter(Boolean);
    if (list.length) parts.push(`lower(btrim(${column})) = ANY(${p.add(list, '::text[]')})`);
  };
  anyOf('a.provider', rule.providers);
  anyOf('a.location', rule.locations);
  anyOf(
    'a.state',
    rule.states?.map((s) => s.toUpperCase()),
  );
  if (rule.ageMin !== undefined) parts.push(`a.age >= ${p.add(rule.ageMin, '::int')}`);
  if (rule.ageMax !== undefined) parts.push(`a.age <= ${p.add(rule.ageMax, '::int')}`);
  return parts.length ? parts.map((c) => `(${c})`).join(' AND ') : 'true';
}

/**
 * Evaluates every patient of the practice against one campaign in a single statement:
 * whether the patient is in the campaign's target, and each exclusion separately. Callers
 * wrap it to count (the breakdown), to list one reason, to explain one patient or to enrol.
 */
export function evaluationQuery(input: EligibilityInput): EvaluationQuery {
  return input.audience === 'contacts' ? contactQuery(input) : patientQuery(input);
}

function patientQuery(input: EligibilityInput): EvaluationQuery {
  const p = new Params();
  const practice = p.add(input.practiceId, '::uuid');
  const today = p.add(input.today, '::date');
  const campaign = p.add(input.campaignId, '::uuid');
  // Bound only when a rule uses it: PostgreSQL refuses a parameter it cannot type.
  const now = () => p.add(input.now, '::timestamptz');
  const upcoming = p.add(input.settings.upcomingAppointmentDays, '::int');
  const target = targetCondition(input.rule, p, today, now, campaign);
  let patientFilter = '';
  let visitFilter = '';
  if (input.openMembersOnly) {
    const members = `SELECT patient_id FROM campaign_member WHERE campaign_id = ${campaign} AND state = 'open'`;
    patientFilter = ` AND p.id IN (${members})`;
    visitFilter = ` AND v.patient_id IN (${members})`;
  } else if (input.only) {
    const match =
      'id' in input.only
        ? `id = ${p.add(input.only.id, '::uuid')}`
        : `mrn = ${p.add(input.only.mrn, '::text')}`;
    patientFilter = ` AND p.${match}`;
    visitFilter = ` AND v.patient_id IN (SELECT id FROM patient WHERE practice_id = ${practice} AND ${match})`;
  }
  const sql = `
    WITH act AS (${ACTIVITY(practice, today, visitFilter)}),
    last_import AS (
      SELECT max(finished_at) AS at FROM patient_import
      WHERE practice_id = ${practice} AND status = 'succeeded' AND NOT dry_run),
    a AS (
      SELECT p.id, p.mrn, p.first_name, p.last_name, p.birth_date, p.provider, p.location, p.state,
        p.phones, p.deceased, p.inactive, p.do_not_call_at, p.booked_at,
        date_part('year', age(${today}, p.birth_date))::int AS age,
        greatest(CASE WHEN p.listed_last_visit_on <= ${today} THEN p.listed_last_visit_on END,
          act.last_seen_on) AS last_seen_on,
        CASE WHEN p.listed_last_appointment_on <= ${today}
               AND (act.last_appt_on IS NULL OR p.listed_last_appointment_on > act.last_appt_on)
             THEN p.listed_last_appointment_on ELSE act.last_appt_on END AS last_appt_on,
        CASE WHEN p.listed_last_appointment_on <= ${today}
               AND (act.last_appt_on IS NULL OR p.listed_last_appointment_on > act.last_appt_on)
             THEN coalesce(p.listed_last_appointment_status, 'unknown') ELSE act.last_appt_status END
          AS last_appt_status,
        least(CASE WHEN p.listed_next_appointment_on >= ${today} THEN p.listed_next_appointment_on END,
          act.next_appt_on) AS next_appt_on,
        m.state AS member_state, om.campaign_id AS other_campaign_id, oc.name AS other_campaign_name
      FROM patient p
      LEFT JOIN act ON act.patient_id = p.id
      LEFT JOIN campaign_member m ON m.campaign_id = ${campaign} AND m.patient_id = p.id
      -- At most one row: a patient is open in one campaign at a time (a unique index).
      LEFT JOIN campaign_member om ON om.practice_id = p.practice_id AND om.patient_id = p.id
        AND om.state = 'open' AND om.campaign_id <> ${campaign}
      LEFT JOIN campaign oc ON oc.id = om.campaign_id
      WHERE p.practice_id = ${practice} AND p.merged_into_id IS NULL${patientFilter}
    )
    SELECT a.id, a.mrn, concat_ws(' ', a.first_name, a.last_name) AS name, a.first_name, a.last_name,
      a.birth_date, a.age, a.last_seen_on, a.last_appt_on, a.last_appt_status, a.next_appt_on, a.phones,
      a.member_state, a.other_campaign_id, a.other_campaign_name,
      coalesce(${target}, false) AS in_target,
      a.do_not_call_at IS NOT NULL AS x_do_not_call,
      a.deceased AS x_deceased,
      a.inactive AS x_inactive,
      NOT (a.phones @> '[{"valid": true}]') AS x_no_valid_phone,
      coalesce(a.next_appt_on <= ${today} + ${upcoming}, false) AS x_upcoming_appointment,
      a.other_campaign_id IS NOT NULL AS x_other_campaign,
      coalesce(a.member_state = 'exhausted', false) AS x_attempts_exhausted,
      coalesce(a.member_state NOT IN ('open', 'exhausted', 'released'), false) AS x_finished_in_campaign,
      coalesce(a.booked_at > coalesce((SELECT at FROM last_import), '-infinity'), false)
        AS x_booked_since_import
    FROM a`;
  return { sql, params: p.values, reasons: EXCLUSION_REASONS };
}

function contactQuery(input: EligibilityInput): EvaluationQuery {
  const p = new Params();
  const practice = p.add(input.practiceId, '::uuid');
  const campaign = p.add(input.campaignId, '::uuid');
  const category = p.add(input.rule.contactCategory ?? null, '::text');
  const states = (input.rule.states ?? []).map((s) => s.trim().toUpperCase()).filter(Boolean);
  const stateFilter = states.length ? `AND c.state = ANY(${p.add(states, '::text[]')})` : '';
  const sql = `
    SELECT c.id, NULL::text AS mrn, concat_ws(' · ', c.organisation, c.contact_name) AS name,
      c.contact_name AS first_name, NULL::text AS last_name, NULL::date AS birth_date, NULL::int AS age,
      NULL::date AS last_seen_on, NULL::date AS last_appt_on, NULL::text AS last_appt_status,
      NULL::date AS next_appt_on, c.phones, m.state AS member_state, NULL::uuid AS other_campaign_id,
      NULL::text AS other_campaign_name,
      (c.category = ${category} ${stateFilter}) AS in_target,
      c.do_not_call_at IS NOT NULL AS x_do_not_call,
      NOT (c.phones @> '[{"valid": true}]') AS x_no_valid_phone,
      coalesce(m.state = 'exhausted', false) AS x_attempts_exhausted,
      coalesce(m.state NOT IN ('open', 'exhausted', 'released'), false) AS x_finished_in_campaign
    FROM contact c
    LEFT JOIN campaign_member m ON m.campaign_id = ${campaign} AND m.contact_id = c.id
    WHERE c.practice_id = ${practice}${
      input.openMembersOnly
        ? ` AND c.id IN (SELECT contact_id FROM campaign_member WHERE campaign_id = ${campaign} AND state = 'open')`
        : ''
    }`;
  return { sql, params: p.values, reasons: CONTACT_EXCLUSION_REASONS };
}

/** "Not excluded for any reason", over the evaluation's columns. */
export function eligibleCondition(reasons: readonly ExclusionReason[], alias = 'e'): string {
  return `${alias}.in_target AND NOT (${reasons.map((r) => `${alias}.x_${r}`).join(' OR ')})`;
}
