import { normalizeHeader } from '../mapping/fields';
import { isNullMarker } from './shared';

/** How a patient-status column is read, judged by its header. */
export type StatusColumnKind = 'active_flag' | 'inactive_flag' | 'status';

export function statusColumnKind(header: string): StatusColumnKind {
  const h = normalizeHeader(header);
  if (h.includes('inactive')) return 'inactive_flag';
  if (h.includes('active')) return 'active_flag';
  return 'status';
}

const YES = ['y', 'yes', 'true', 't', '1', 'x'];
const NO = ['n', 'no', 'false', 'f', '0'];

/**
 * The lower-cased values that mean "inactive" in a patient-status column with this header:
 * the codes (defaults plus the mapping's), and yes/no values only where the header says
 * which way they point: "N"/"0" in an Active or IsActive column, "Y"/"1" in an Inactive one.
 * In a status column they point nowhere (Open Dental PatStatus 0 is an ordinary patient).
 */
export function inactiveValues(header: string, codes: readonly string[]): Set<string> {
  const kind = statusColumnKind(header);
  const flag = kind === 'active_flag' ? NO : kind === 'inactive_flag' ? YES : [];
  return new Set([...codes, ...flag].map((c) => c.trim().toLowerCase()));
}

/**
 * true: inactive; false: the export shows the patient active (any other value); null: the
 * cell is empty or a null marker, so the export says nothing and the stored value stays.
 */
export function readInactive(raw: string, values: ReadonlySet<string>): boolean | null {
  const v = raw.trim();
  if (v === '' || isNullMarker(v)) return null;
  return values.has(v.toLowerCase());
}
