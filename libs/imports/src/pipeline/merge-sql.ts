import { PATIENT_STAGING_COLUMNS } from '../rows/patient-rows';
import { VISIT_STAGING_COLUMNS } from '../rows/visit-rows';

/**
 * The set-based half of an import: staging tables filled by COPY, then one statement per
 * step. All of it runs inside the import's transaction, so a failure leaves nothing behind.
 */

const PATIENT_TYPES: Record<(typeof PATIENT_STAGING_COLUMNS)[number], string> = {
  line: 'integer',
  mrn: 'text',
  join_key: 'text',
  first_name: 'text',
  middle_name: 'text',
  last_name: 'text',
  match_name: 'text',
  birth_date: 'date',
  sex: 'text',
  email: 'text',
  address: 'text',
  city: 'text',
  state: 'text',
  zip: 'text',
  time_zone: 'text',
  time_zone_source: 'text',
  phones: 'jsonb',
  provider: 'text',
  location: 'text',
  deceased: 'boolean',
  deceased_on: 'date',
  listed_last_visit_on: 'date',
  listed_last_appointment_on: 'date',
  listed_last_appointment_status: 'text',
  listed_next_appointment_on: 'date',
  do_not_call: 'boolean',
  inactive: 'boolean',
};

const VISIT_TYPES: Record<(typeof VISIT_STAGING_COLUMNS)[number], string> = {
  line: 'integer',
  patient_key: 'text',
  source_key: 'text',
  occurs_on: 'date',
  occurs_at: 'timestamptz',
  status: 'text',
  raw_status: 'text',
  provider: 'text',
  location: 'text',
  visit_type: 'text',
  raw_row: 'text',
};

export const STAGING_DDL = `
  CREATE TEMP TABLE stg_patients (${PATIENT_STAGING_COLUMNS.map((c) => `${c} ${PATIENT_TYPES[c]}`).join(', ')}) ON COMMIT DROP;
  CREATE TEMP TABLE stg_appointments (${VISIT_STAGING_COLUMNS.map((c) => `${c} ${VISIT_TYPES[c]}`).join(', ')}) ON COMMIT DROP;
  CREATE TEMP TABLE stg_encounters (LIKE stg_appointments) ON COMMIT DROP;
`;

export const COPY_PATIENTS = `COPY stg_patients (${PATIENT_STAGING_COLUMNS.join(', ')}) FROM STDIN`;
export const copyVisits = (kind: 'appointments' | 'encounters') =>
  `COPY stg_${kind} (${VISIT_STAGING_COLUMNS.join(', ')}) FROM STDIN`;
export const COPY_ISSUES =
  'COPY import_issue (import_id, file_kind, line, column_name, severity, reason, raw_row) FROM STDIN';

/**
 * Columns copied from the file into `patient` as they are (everything but identity and the
 * flags: do-not-call is never lifted, and no status keeps the stored inactive).
 */
const PATIENT_DATA = PATIENT_STAGING_COLUMNS.filter(
  (c) => c !== 'line' && c !== 'mrn' && c !== 'do_not_call' && c !== 'inactive',
);
/** Folded as "newest non-empty value wins". */
const NEWEST_WINS = [...PATIENT_DATA.filter((c) => c !== 'phones' && c !== 'deceased'), 'inactive'];

/**
 * Rows repeating a patient id in one file become one patient: the newest row's value for
 * each field, older rows filling its blanks, phones unioned (valid first, mobile preferred).
 */
export const FOLD_DUPLICATE_ROWS = `
  CREATE TEMP TABLE stg_repeated ON COMMIT DROP AS
    SELECT s.* FROM stg_patients s
    JOIN (SELECT mrn FROM stg_patients GROUP BY mrn HAVING count(*) > 1) dup USING (mrn);
  CREATE TEMP TABLE stg_folded ON COMMIT DROP AS
    SELECT DISTINCT ON (mrn) * FROM stg_repeated ORDER BY mrn, line DESC;
  WITH phones AS (
    SELECT mrn, jsonb_agg(ph ORDER BY rank) AS phones FROM (
      SELECT mrn, ph, row_number() OVER (PARTITION BY mrn ORDER BY valid DESC, pref, line DESC) AS rank
      FROM (
        SELECT DISTINCT ON (s.mrn, coalesce(e.ph->>'e164', e.ph->>'raw'), coalesce(e.ph->>'extension', ''))
          s.mrn, e.ph, (e.ph->>'valid')::boolean AS valid,
          array_position(ARRAY['mobile','home','work','other'], e.ph->>'type') AS pref, s.line
        FROM stg_repeated s, jsonb_array_elements(s.phones) e(ph)
        ORDER BY s.mrn, coalesce(e.ph->>'e164', e.ph->>'raw'), coalesce(e.ph->>'extension', ''), s.line DESC
      ) distinct_phones
    ) ranked
    WHERE rank <= 3
    GROUP BY mrn
  ),
  folded AS (
    SELECT s.mrn,
      ${NEWEST_WINS.map(
        (c) => `(array_agg(s.${c} ORDER BY s.line DESC) FILTER (WHERE s.${c} IS NOT NULL))[1] AS ${c}`,
      ).join(',\n      ')},
      bool_or(s.deceased) AS deceased,
      bool_or(s.do_not_call) AS do_not_call
    FROM stg_repeated s
    GROUP BY s.mrn
  )
  UPDATE stg_folded f SET
    ${PATIENT_DATA.filter((c) => c !== 'phones')
      .map((c) => `${c} = folded.${c}`)
      .join(', ')},
    do_not_call = folded.do_not_call, inactive = folded.inactive,
    phones = coalesce(phones.phones, '[]'::jsonb)
  FROM folded LEFT JOIN phones USING (mrn)
  WHERE f.mrn = folded.mrn;
`;

/**
 * Fields whose change counts as an update; md5 over their text form. Not the status: a row
 * without one keeps the stored value, so the update compares it with the patient's instead
 * (an empty status then changes nothing, and hashes stored before it existed stay valid).
 */
const HASHED: string[] = [...PATIENT_DATA, 'do_not_call'];
const hashOf = (alias: string) => `md5(ROW(${HASHED.map((c) => `${alias}.${c}`).join(', ')})::text)`;

/** The rows to merge: ids that appear once as they are, plus one folded row per repeated id. */
const MERGE_SOURCE = `
  SELECT * FROM stg_patients s WHERE NOT EXISTS (SELECT 1 FROM stg_folded r WHERE r.mrn = s.mrn)
  UNION ALL
  SELECT * FROM stg_folded`;

/**
 * Merges the folded rows into \`patient\`: an UPDATE of the known patients whose content changed,
 * then a plain INSERT of the new ones (both hash joins; no per-row speculative insertion,
 * which made \`INSERT … ON CONFLICT\` twice as slow here). Safe because imports of a practice
 * are serialised by an advisory lock and only imports create patients. An unchanged patient
 * is not written at all. A do-not-call is never lifted and a merged duplicate stays merged
 * (neither column is in the SET list); inactive follows the file's status, and a row without
 * one keeps the stored value. $1 practice, $2 import.
 */
export const MERGE_PATIENTS = `
  CREATE TEMP TABLE stg_source ON COMMIT DROP AS
    SELECT f.*, ${hashOf('f')} AS content_hash FROM (${MERGE_SOURCE}) f;
  ANALYZE stg_source;
`;

export const UPDATE_PATIENTS = `
  WITH up AS (
    UPDATE patient p SET
      ${PATIENT_DATA.map((c) => `${c} = f.${c}`).join(', ')},
      inactive = coalesce(f.inactive, p.inactive),
      do_not_call_at = coalesce(p.do_not_call_at, CASE WHEN f.do_not_call THEN now() END),
      do_not_call_reason = coalesce(p.do_not_call_reason, CASE WHEN f.do_not_call THEN 'export' END),
      content_hash = f.content_hash, last_import_id = $2, updated_at = now()
    FROM stg_source f
    WHERE p.practice_id = $1 AND p.mrn = f.mrn
      AND (p.content_hash <> f.content_hash OR f.inactive <> p.inactive)
    RETURNING 1
  )
  SELECT count(*)::int AS updated, (SELECT count(*)::int FROM stg_source) AS distinct_patients FROM up`;

export const INSERT_PATIENTS = `
  WITH ins AS (
    INSERT INTO patient (practice_id, mrn, ${PATIENT_DATA.join(', ')}, inactive, do_not_call_at,
                         do_not_call_reason, content_hash, created_import_id, last_import_id)
    SELECT $1, f.mrn, ${PATIENT_DATA.map((c) => `f.${c}`).join(', ')}, coalesce(f.inactive, false),
           CASE WHEN f.do_not_call THEN now() END, CASE WHEN f.do_not_call THEN 'export' END,
           f.content_hash, $2, $2
    FROM stg_source f
    WHERE NOT EXISTS (SELECT 1 FROM patient p WHERE p.practice_id = $1 AND p.mrn = f.mrn)
    RETURNING 1
  )
  SELECT count(*)::int AS created FROM ins`;

const VISIT_DATA = ['occurs_on', 'occurs_at', 'status', 'raw_status', 'provider', 'location', 'visit_type'];
const visitHash = (alias: string) =>
  `md5(ROW(p.id, ${VISIT_DATA.map((c) => `${alias}.${c}`).join(', ')})::text)`;

/**
 * Upserts appointments or encounters whose patient key matches a patient of the practice
 * (a merged duplicate's rows go to the patient it was merged into). $1 practice, $2 import.
 */
export const upsertVisits = (kind: 'appointments' | 'encounters') => `
  WITH src AS (
    SELECT DISTINCT ON (s.source_key) s.*, coalesce(p.merged_into_id, p.id) AS patient_id, ${visitHash('s')} AS hash
    FROM stg_${kind} s
    JOIN patient p ON p.practice_id = $1 AND p.join_key = s.patient_key
    ORDER BY s.source_key, s.line DESC, p.created_at
  ),
  up AS (
    INSERT INTO visit AS v (practice_id, patient_id, kind, source_key, ${VISIT_DATA.join(', ')}, content_hash, created_import_id, last_import_id)
    SELECT $1, src.patient_id, '${kind === 'appointments' ? 'appointment' : 'encounter'}', src.source_key,
           ${VISIT_DATA.map((c) => `src.${c}`).join(', ')}, src.hash, $2, $2
    FROM src
    ON CONFLICT (practice_id, kind, source_key) DO UPDATE SET
      patient_id = excluded.patient_id, ${VISIT_DATA.map((c) => `${c} = excluded.${c}`).join(', ')},
      content_hash = excluded.content_hash, last_import_id = excluded.last_import_id, updated_at = now()
    WHERE v.content_hash <> excluded.content_hash
    RETURNING (xmax = 0) AS created
  )
  SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated,
         (SELECT count(*)::int FROM src) AS distinct_visits
  FROM up`;

/** Rows of a visits file whose patient key matches no patient: rejected, with the row. $1 practice. */
export const unmatchedVisits = (kind: 'appointments' | 'encounters') => `
  SELECT s.line, s.patient_key, s.raw_row FROM stg_${kind} s
  WHERE NOT EXISTS (SELECT 1 FROM patient p WHERE p.practice_id = $1 AND p.join_key = s.patient_key)
  ORDER BY s.line`;

/**
 * Flags possible duplicates among the patients this import created or changed: same
 * normalised name and birth date, or same name and a shared valid phone. Never merges.
 * $1 practice, $2 import. Returns the number of new candidates.
 */
export const FLAG_DUPLICATES = `
  WITH touched AS MATERIALIZED (
    SELECT id, match_name, birth_date, phones FROM patient
    WHERE practice_id = $1 AND last_import_id = $2 AND merged_into_id IS NULL AND match_name <> ' '
  ),
  touched_phones AS MATERIALIZED (
    SELECT n.id, n.match_name, n.birth_date, x->>'e164' AS e164
    FROM touched n, jsonb_array_elements(n.phones) x WHERE (x->>'valid')::boolean
  ),
  practice_phones AS MATERIALIZED (
    SELECT p.id, p.match_name, p.birth_date, y->>'e164' AS e164
    FROM patient p, jsonb_array_elements(p.phones) y
    WHERE p.practice_id = $1 AND p.merged_into_id IS NULL AND (y->>'valid')::boolean
  ),
  pairs AS (
    SELECT least(n.id, o.id) AS a, greatest(n.id, o.id) AS b, 'name_birth_date' AS reason
    FROM touched n JOIN patient o
      ON o.practice_id = $1 AND o.match_name = n.match_name AND o.birth_date = n.birth_date AND o.id <> n.id
    WHERE o.merged_into_id IS NULL
    UNION ALL
    -- joined on phone and name together: a shared family phone alone never pairs everyone
    SELECT least(t.id, o.id), greatest(t.id, o.id), 'phone_name'
    FROM touched_phones t JOIN practice_phones o
      ON o.e164 = t.e164 AND o.match_name = t.match_name AND o.id <> t.id
         AND o.birth_date IS DISTINCT FROM t.birth_date
  ),
  ins AS (
    INSERT INTO duplicate_candidate (practice_id, patient_id_a, patient_id_b, reason, status, detected_import_id)
    SELECT DISTINCT ON (a, b) $1, a, b, reason, 'open', $2 FROM pairs ORDER BY a, b, reason
    ON CONFLICT (patient_id_a, patient_id_b) DO NOTHING
    RETURNING 1
  )
  SELECT count(*)::int AS flagged FROM ins`;
