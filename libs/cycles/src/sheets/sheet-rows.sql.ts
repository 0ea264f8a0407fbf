import { PATIENT_ACTIVITY_SQL } from '../../../patients/src/patients.service';

/** PATIENT_ACTIVITY_SQL reads its as-of date from $2; here that is $4 (the practice's today). */
const ACTIVITY_AS_OF_TODAY = PATIENT_ACTIVITY_SQL.replace(/\$2(?!\d)/g, () => '$4');

const ISO_INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * One row per assignment of a cycle for one agent, shaped as `SheetRow` (camelCase aliases):
 * $1 practice id, $2 cycle id, $3 agent id, $4 the practice's today (YYYY-MM-DD).
 *
 * Assignments a rebuild replaced (`removed`) are left out. An assignment dates from the cycle's
 * start, or from when it was made if that was later. Encounter and appointment dates are the
 * patient view's (PATIENT_ACTIVITY_SQL) as of today; contacts have none. Call dates are the
 * member's call starts in the campaign, oldest first. Disposition, appointment (or callback)
 * and remarks are the member's latest attempt's, so a re-uploaded sheet records nothing new.
 */
export const SHEET_ROWS_SQL = `
  SELECT
    greatest(cy.start_on, (a.created_at AT TIME ZONE pr.timezone)::date) AS "assignedOn",
    a.due_on AS "dueOn",
    pa.mrn,
    coalesce(nullif(concat_ws(' ', pa.first_name, pa.last_name), ''),
      concat_ws(' · ', ct.organisation, ct.contact_name)) AS patient,
    pa.birth_date AS "birthDate",
    coalesce(pa.phones, ct.phones, '[]'::jsonb) AS phones,
    pa.last_encounter_on AS "lastEncounterOn",
    pa.last_appointment_on AS "lastAppointmentOn",
    pa.next_appointment_on AS "nextAppointmentOn",
    m.last_code AS disposition,
    to_char(coalesce(la.appointment_at, la.callback_at) AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS "appointmentAt",
    la.remarks AS remarks,
    array(SELECT to_char(s.started_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) FROM call_start s
          WHERE s.member_id = m.id ORDER BY s.started_at LIMIT 5) AS "callDates",
    -- The latest disposition's time (what a re-upload compares with), else the latest call start.
    to_char(coalesce(m.last_attempt_at, (SELECT max(s.started_at) FROM call_start s WHERE s.member_id = m.id))
      AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS "lastCallAt"
  FROM cycle_assignment a
  LEFT JOIN LATERAL (SELECT ca.appointment_at, ca.callback_at, ca.remarks FROM call_attempt ca
                     WHERE ca.member_id = a.member_id
                       AND NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = ca.id)
                     ORDER BY ca.ended_at DESC, ca.recorded_at DESC LIMIT 1) la ON true
  JOIN call_cycle cy ON cy.id = a.cycle_id
  JOIN practice pr ON pr.id = a.practice_id
  JOIN campaign_member m ON m.id = a.member_id
  LEFT JOIN LATERAL (${ACTIVITY_AS_OF_TODAY} AND p.id = m.patient_id) pa ON true
  LEFT JOIN contact ct ON ct.id = m.contact_id
  WHERE a.practice_id = $1 AND a.cycle_id = $2 AND a.agent_id = $3 AND a.state <> 'removed'
  ORDER BY a.due_on, pa.last_name NULLS LAST, pa.first_name NULLS LAST, patient, a.id`;
