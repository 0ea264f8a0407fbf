import { codesWith } from '../../dispositions/src/disposition-codes';

/**
 * Rebuilding the rollups of some practice-local days from the attempt log. $1 practice,
 * $2 the days (date[]), $3 the practice's time zone. Superseded attempts are left out.
 *
 * The days' bounds are computed first (OFFSET 0 keeps the planner from folding them back in):
 * under row-level security only leakproof conditions may reach an index, and `AT TIME ZONE`
 * on a column is not one, so `ended_at >= (d.day::timestamp AT TIME ZONE $3)` was a filter over
 * every attempt for every day (a nested loop: 24 s at 50,000 attempts), where
 * `ended_at >= d.lo` is a range scan of (practice_id, ended_at).
 */
const DAY_BOUNDS = `
  SELECT day, day::timestamp AT TIME ZONE $3 AS lo, (day + 1)::timestamp AT TIME ZONE $3 AS hi
  FROM unnest($2::date[]) day OFFSET 0`;

const DAY_ATTEMPTS = `
  SELECT a.*, d.day
  FROM (${DAY_BOUNDS}) d
  JOIN call_attempt a ON a.practice_id = $1 AND a.ended_at >= d.lo AND a.ended_at < d.hi
  WHERE NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = a.id)`;

const codeList = (codes: string[]) => `ARRAY[${codes.map((c) => `'${c}'`).join(', ')}]`;
const CONTACT_CODES = codeList(codesWith('contact'));
const CONVERTED_CODES = codeList(codesWith('converted'));

const minuteOfDay = (col: string) =>
  `(extract(hour FROM ${col} AT TIME ZONE $3) * 60 + extract(minute FROM ${col} AT TIME ZONE $3))`;

export const CLEAR_DAYS = [
  'report_attempt_day',
  'report_hour_day',
  'report_booking_day',
  'report_agent_day',
  'report_transfer_day',
].map((t) => `DELETE FROM ${t} WHERE practice_id = $1 AND day = ANY($2::date[])`);

export const ROLLUP_ATTEMPTS = `
  INSERT INTO report_attempt_day (campaign_id, day, agent_id, code, attempt_number, practice_id, dials, handled,
                                  handle_seconds, first_minute, last_minute)
  SELECT a.campaign_id, a.day, a.agent_id, a.code, coalesce(a.attempt_number, 0), $1, count(*), count(a.started_at),
         coalesce(sum(extract(epoch FROM a.ended_at - a.started_at)), 0)::int,
         min(${minuteOfDay('a.ended_at')})::smallint, max(${minuteOfDay('a.ended_at')})::smallint
  FROM (${DAY_ATTEMPTS}) a
  GROUP BY 1, 2, 3, 4, 5`;

/** Age on the day of the call, in the bands the heatmap shows. */
export const AGE_BANDS = ['<18', '18-34', '35-49', '50-64', '65-79', '80+', 'unknown'] as const;
const AGE_BAND = `CASE WHEN p.birth_date IS NULL THEN 'unknown' ELSE (
    SELECT CASE WHEN y < 18 THEN '<18' WHEN y < 35 THEN '18-34' WHEN y < 50 THEN '35-49'
                WHEN y < 65 THEN '50-64' WHEN y < 80 THEN '65-79' ELSE '80+' END
    FROM (SELECT extract(year FROM age(a.day, p.birth_date))::int AS y) age) END`;

export const ROLLUP_HOURS = `
  INSERT INTO report_hour_day (campaign_id, day, patient_hour, age_band, practice_id, dials, contacts, bookings)
  SELECT a.campaign_id, a.day, a.patient_local_hour, ${AGE_BAND}, $1, count(*),
         count(*) FILTER (WHERE a.code = ANY(${CONTACT_CODES})), count(*) FILTER (WHERE a.code = 'DONE')
  FROM (${DAY_ATTEMPTS}) a LEFT JOIN patient p ON p.id = a.patient_id
  WHERE a.attempt_number IS NOT NULL
  GROUP BY 1, 2, 3, 4`;

export const LEAD_BUCKETS = ['0-2', '3-7', '8-14', '15-30', '31+'] as const;

/**
 * A booking is kept when the EMR shows the appointment completed on its day, or a completed
 * encounter within a day of it, inside the campaign's attribution window; not kept when the
 * appointment shows as a no-show or cancelled; pending until then. Visits of a merged
 * duplicate moved to the survivor, so both are looked at.
 */
export const ROLLUP_BOOKINGS = `
  INSERT INTO report_booking_day (campaign_id, day, agent_id, attempt_number, lead_bucket, status, practice_id, bookings)
  SELECT a.campaign_id, a.day, a.agent_id, coalesce(a.attempt_number, 0),
         CASE WHEN lead < 3 THEN '0-2' WHEN lead < 8 THEN '3-7' WHEN lead < 15 THEN '8-14'
              WHEN lead < 31 THEN '15-30' ELSE '31+' END,
         outcome.status, $1, count(*)
  FROM (${DAY_ATTEMPTS}) a
  JOIN campaign c ON c.id = a.campaign_id
  LEFT JOIN patient p ON p.id = a.patient_id
  CROSS JOIN LATERAL (SELECT (a.appointment_at AT TIME ZONE $3)::date AS appt_day) x
  CROSS JOIN LATERAL (SELECT x.appt_day - a.day AS lead) l
  CROSS JOIN LATERAL (SELECT CASE
      WHEN EXISTS (SELECT 1 FROM visit v WHERE v.patient_id IN (a.patient_id, p.merged_into_id)
                     AND v.occurs_on BETWEEN x.appt_day - 1 AND x.appt_day + 1
                     AND v.occurs_on <= a.day + coalesce((c.settings->>'attributionDays')::int, 60)
                     AND ((v.kind = 'appointment' AND v.occurs_on = x.appt_day AND v.status = 'completed')
                          OR (v.kind = 'encounter' AND v.status NOT IN ('no_show', 'cancelled'))))
        THEN 'kept'
      WHEN EXISTS (SELECT 1 FROM visit v WHERE v.patient_id IN (a.patient_id, p.merged_into_id)
                     AND v.kind = 'appointment' AND v.occurs_on = x.appt_day AND v.status IN ('no_show', 'cancelled'))
        THEN 'not_kept'
      ELSE 'pending' END AS status) outcome
  WHERE a.code = 'DONE'
  GROUP BY 1, 2, 3, 4, 5, 6`;

/**
 * After an import: the days holding bookings it may settle (pending ones, and no-shows a
 * corrected export may turn into visits) need rebuilding. $1 practice.
 */
export const MARK_BOOKING_DAYS = `
  INSERT INTO report_dirty (practice_id, day)
  SELECT DISTINCT $1::uuid, r.day FROM report_booking_day r
  WHERE r.practice_id = $1 AND r.status IN ('pending', 'not_kept')`;

const GRAINS = `(VALUES ('week'), ('month')) g(grain)`;

/** The measures of report_agent_day that its weeks and months sum. */
export const AGENT_MEASURES = [
  'dials',
  'contacts',
  'bookings',
  'handled',
  'handle_seconds',
  'first_contacts',
  'first_contact_bookings',
  'identity_verified',
  'identity_failed',
  'reconfirmed',
  'kept',
  'not_kept',
  'pending',
];
const PERIOD_OF = (col: string) => `date_trunc(g.grain, ${col})::date`;

/**
 * Adds ($3 = 1) or takes away ($3 = -1) the rollup rows of some days ($2) to their weeks and
 * months: the refresh takes a day's old rows away before rebuilding it and adds the new ones
 * after, so a period always equals the sum of its days. $1 practice.
 */
export const SHIFT_PERIODS = [
  `INSERT INTO report_attempt_period AS p (campaign_id, grain, period, agent_id, code, attempt_number, practice_id,
                                         dials, handled, handle_seconds)
   SELECT r.campaign_id, g.grain, ${PERIOD_OF('r.day')}, r.agent_id, r.code, r.attempt_number, $1,
          $3::int * sum(r.dials), $3::int * sum(r.handled), $3::int * sum(r.handle_seconds)
   FROM report_attempt_day r CROSS JOIN ${GRAINS}
   WHERE r.practice_id = $1 AND r.day = ANY($2::date[])
   GROUP BY 1, 2, 3, 4, 5, 6
   ON CONFLICT (campaign_id, grain, period, agent_id, code, attempt_number) DO UPDATE
   SET dials = p.dials + excluded.dials, handled = p.handled + excluded.handled,
       handle_seconds = p.handle_seconds + excluded.handle_seconds`,
  `INSERT INTO report_booking_period AS p (campaign_id, grain, period, agent_id, attempt_number, lead_bucket, status,
                                         practice_id, bookings)
   SELECT r.campaign_id, g.grain, ${PERIOD_OF('r.day')}, r.agent_id, r.attempt_number, r.lead_bucket, r.status, $1,
          $3::int * sum(r.bookings)
   FROM report_booking_day r CROSS JOIN ${GRAINS}
   WHERE r.practice_id = $1 AND r.day = ANY($2::date[])
   GROUP BY 1, 2, 3, 4, 5, 6, 7
   ON CONFLICT (campaign_id, grain, period, agent_id, attempt_number, lead_bucket, status) DO UPDATE
   SET bookings = p.bookings + excluded.bookings`,
  `INSERT INTO report_agent_period AS p (campaign_id, grain, period, agent_id, practice_id, ${AGENT_MEASURES.join(', ')})
   SELECT r.campaign_id, g.grain, ${PERIOD_OF('r.day')}, r.agent_id, $1,
          ${AGENT_MEASURES.map((m) => `$3::int * sum(r.${m})`).join(', ')}
   FROM report_agent_day r CROSS JOIN ${GRAINS}
   WHERE r.practice_id = $1 AND r.day = ANY($2::date[])
   GROUP BY 1, 2, 3, 4
   ON CONFLICT (campaign_id, grain, period, agent_id) DO UPDATE
   SET ${AGENT_MEASURES.map((m) => `${m} = p.${m} + excluded.${m}`).join(', ')}`,
];

/** Period rows the shifts emptied. $1 practice, $2 the rebuilt days. */
export const DROP_EMPTY_PERIODS = [
  ['report_attempt_period', 'dials'],
  ['report_booking_period', 'bookings'],
  ['report_agent_period', 'dials'],
].map(
  ([table, measure]) => `
  DELETE FROM ${table} p USING (SELECT DISTINCT g.grain, ${PERIOD_OF('d')} AS period
                                FROM unnest($2::date[]) d CROSS JOIN ${GRAINS}) x
  WHERE p.practice_id = $1 AND p.grain = x.grain AND p.period = x.period AND p.${measure} = 0`,
);

/**
 * A member's first contact ever is the earliest of its (not superseded) contacts, ties broken by
 * when they were recorded: it counts on its own day, so first-contact resolution sums over days.
 * Writing or correcting a call can move a member's first contact to another day, always one
 * holding a contact of that member later than the changed call, and only when the changed call
 * is (or was, before its correction: the superseded row keeps its code) a contact: the refresh
 * rebuilds those days along with the dirty ones (DAYS_WITH_LATER_CONTACTS). $1 practice, $2
 * days, $3 zone.
 */
const FIRST_CONTACT = (a: string) => `${a}.code = ANY(${CONTACT_CODES}) AND NOT EXISTS (
    SELECT 1 FROM call_attempt x
    WHERE x.member_id = ${a}.member_id AND x.code = ANY(${CONTACT_CODES}) AND x.ended_at <= ${a}.ended_at
      AND (x.ended_at, x.recorded_at, x.id) < (${a}.ended_at, ${a}.recorded_at, ${a}.id)
      AND NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = x.id))`;

export const DAYS_WITH_LATER_CONTACTS = `
  SELECT DISTINCT to_char((x.ended_at AT TIME ZONE $3)::date, 'YYYY-MM-DD') AS day
  FROM (SELECT a.member_id, min(d.hi) AS after
        FROM (${DAY_BOUNDS}) d
        -- A range scan per day (the lateral, kept apart by OFFSET 0): joined the other way, the
        -- planner tested every contact against every day (20 s for a full rebuild at 1M).
        CROSS JOIN LATERAL (SELECT a.member_id FROM call_attempt a
                            WHERE a.practice_id = $1 AND a.ended_at >= d.lo AND a.ended_at < d.hi
                              AND a.code = ANY(${CONTACT_CODES}) OFFSET 0) a
        GROUP BY 1 OFFSET 0) m
  JOIN call_attempt x ON x.member_id = m.member_id AND x.ended_at >= m.after
  WHERE x.code = ANY(${CONTACT_CODES})`;

/**
 * Per agent, campaign and day: the first and last call (the agents report's pace and hours) and
 * the quality report's measures. Identity checks count on contacts only. $1 practice, $2 days, $3 zone.
 */
export const ROLLUP_AGENT_DAYS = `
  INSERT INTO report_agent_day (campaign_id, day, agent_id, practice_id, first_minute, last_minute, dials, contacts,
                                bookings, handled, handle_seconds, first_contacts, first_contact_bookings,
                                identity_verified, identity_failed, reconfirmed, kept, not_kept, pending)
  SELECT c.*, coalesce(b.kept, 0), coalesce(b.not_kept, 0), coalesce(b.pending, 0)
  FROM (
    SELECT a.campaign_id, a.day, a.agent_id, $1::uuid,
           min(${minuteOfDay('a.ended_at')})::smallint, max(${minuteOfDay('a.ended_at')})::smallint, count(*),
           count(*) FILTER (WHERE a.code = ANY(${CONTACT_CODES})),
           count(*) FILTER (WHERE a.code = ANY(${CONVERTED_CODES})), count(a.started_at),
           coalesce(sum(extract(epoch FROM a.ended_at - a.started_at)), 0)::int,
           count(*) FILTER (WHERE ${FIRST_CONTACT('a')}),
           count(*) FILTER (WHERE a.code = ANY(${CONVERTED_CODES}) AND ${FIRST_CONTACT('a')}),
           count(*) FILTER (WHERE a.code = ANY(${CONTACT_CODES}) AND a.identity_verified),
           count(*) FILTER (WHERE a.code = ANY(${CONTACT_CODES}) AND NOT a.identity_verified),
           count(*) FILTER (WHERE a.code = 'RECONFIRMED')
    FROM (${DAY_ATTEMPTS}) a
    GROUP BY 1, 2, 3) c
  -- The days' booking outcomes, rebuilt just before (ROLLUP_BOOKINGS).
  LEFT JOIN (
    SELECT r.campaign_id, r.day, r.agent_id, sum(r.bookings) FILTER (WHERE r.status = 'kept') AS kept,
           sum(r.bookings) FILTER (WHERE r.status = 'not_kept') AS not_kept,
           sum(r.bookings) FILTER (WHERE r.status = 'pending') AS pending
    FROM report_booking_day r WHERE r.practice_id = $1 AND r.day = ANY($2::date[])
    GROUP BY 1, 2, 3) b USING (campaign_id, day, agent_id)`;

/**
 * Transfers by the practice-local day they were tried, with the campaign of the member being
 * called. $1 practice, $2 days, $3 zone.
 */
export const ROLLUP_TRANSFERS = `
  INSERT INTO report_transfer_day (campaign_id, day, agent_id, group_id, kind, outcome, practice_id, transfers)
  SELECT m.campaign_id, d.day, t.agent_id, t.group_id, t.kind, t.outcome, $1, count(*)
  FROM (${DAY_BOUNDS}) d
  JOIN call_transfer t ON t.practice_id = $1 AND t.created_at >= d.lo AND t.created_at < d.hi
  JOIN campaign_member m ON m.id = t.member_id
  GROUP BY 1, 2, 3, 4, 5, 6`;
