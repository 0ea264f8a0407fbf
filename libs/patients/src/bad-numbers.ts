/**
 * Bad numbers (WNUM, DCONN) as set-based SQL. `bad_number` is the practice's list; each
 * patient's stored phones carry the mark too (`valid` false, `bad` the code), so eligibility,
 * queues, sheets and the household key, which read `valid`, leave the number alone.
 */

/** The phones of one row with every number on the practice's list marked. `p` is the patient row. */
const MARKED_PHONES = `
  (SELECT jsonb_agg(CASE WHEN b.e164 IS NULL THEN ph
                         ELSE ph || jsonb_build_object('valid', false, 'bad', b.code) END ORDER BY n)
   FROM jsonb_array_elements(p.phones) WITH ORDINALITY e(ph, n)
   LEFT JOIN bad_number b ON b.practice_id = p.practice_id AND b.e164 = ph->>'e164')`;

const HAS_UNMARKED_BAD = `
  EXISTS (SELECT 1 FROM jsonb_array_elements(p.phones) ph
          JOIN bad_number b ON b.practice_id = p.practice_id AND b.e164 = ph->>'e164'
          WHERE ph->>'bad' IS NULL)`;

/** Marks one number bad on every patient of the practice that has it. $1 practice, $2 E.164. */
export const MARK_NUMBER_ON_PATIENTS = `
  UPDATE patient p SET phones = ${MARKED_PHONES}, updated_at = now()
  WHERE p.practice_id = $1 AND p.phones @> jsonb_build_array(jsonb_build_object('e164', $2::text))
    AND ${HAS_UNMARKED_BAD}`;

/** The same on one patient (the one just called), at once. $1 practice, $2 patient. */
export const MARK_BAD_ON_PATIENT = `
  UPDATE patient p SET phones = ${MARKED_PHONES}, updated_at = now()
  WHERE p.practice_id = $1 AND p.id = $2 AND ${HAS_UNMARKED_BAD}`;

/**
 * After an import: the patients it wrote get their marks back (the file brings the numbers as
 * valid). The content hash stays the file's, so an unchanged re-import writes nothing and the
 * marks stay. $1 practice, $2 import.
 */
export const REAPPLY_BAD_NUMBERS = `
  UPDATE patient p SET phones = ${MARKED_PHONES}
  WHERE p.practice_id = $1 AND p.last_import_id = $2 AND ${HAS_UNMARKED_BAD}`;

/** One row when the practice has any bad number. $1 practice. */
export const ANY_BAD_NUMBER = `SELECT 1 FROM bad_number WHERE practice_id = $1 LIMIT 1`;
