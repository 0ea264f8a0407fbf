/**
 * Helpers shared by the normalisers. Internal to this folder: not re-exported from index.ts.
 */

/** Longest null marker, used to skip the lookup cheaply for ordinary values. */
const MAX_MARKER_LENGTH = 4;

/**
 * Cell values EMR/spreadsheet exports use for "no value": SQL NULL, Excel's #N/A, pandas' NaN, dashes.
 * Compared lower-cased.
 */
const NULL_MARKERS: ReadonlySet<string> = new Set(['null', 'n/a', 'na', 'none', 'nan', '#n/a', '-', '--']);

/** True for a trimmed cell that says "no value" (case-insensitive). Does not treat '' as a marker. */
export function isNullMarker(trimmed: string): boolean {
  return trimmed.length <= MAX_MARKER_LENGTH && NULL_MARKERS.has(trimmed.toLowerCase());
}

/** Longest slice of the raw cell quoted back in a reason, so one garbage cell can't bloat a report. */
const MAX_QUOTED = 40;

/** `'value'` for use in human-readable reasons, shortened with an ellipsis when very long. */
export function quote(value: string): string {
  return value.length > MAX_QUOTED ? `'${value.slice(0, MAX_QUOTED)}…'` : `'${value}'`;
}
