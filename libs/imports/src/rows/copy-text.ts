/** PostgreSQL COPY text format: tab-separated, `\N` for NULL, backslash escapes. */
// NUL has no place in PostgreSQL text: it becomes U+FFFD (rows holding one are rejected anyway).
const SPECIAL = /[\\\t\n\r\0]/;
const SPECIAL_ALL = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\uFFFD',
};

export function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : value;
}

export function copyLine(values: (string | number | boolean | null | undefined)[]): string {
  let line = copyValue(values[0]);
  for (let i = 1; i < values.length; i++) line += '\t' + copyValue(values[i]);
  return line + '\n';
}

/** Re-quotes a parsed record as one CSV line (for the rejected-rows file). */
export function csvLine(cells: readonly string[], delimiter = ','): string {
  return cells
    .map((c) => (/["\r\n]/.test(c) || c.includes(delimiter) ? `"${c.replace(/"/g, '""')}"` : c))
    .join(delimiter);
}

/**
 * What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"): `=`, `+`, `-`,
 * `@`, tab, CR, LF, and their fullwidth forms, which Excel folds to ASCII. Leading apostrophes
 * are skipped so that a value already starting with `'=` gets one more and `unneutralize`
 * gives back exactly what went in.
 */
const FORMULA_START = /^'*[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * Prefixes `'` to a value a spreadsheet would run as a formula. A leading `-` counts too, as
 * OWASP says, so `-5` becomes `'-5`: no cell the sheet writes is a number in text form.
 */
export function neutralize(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse of `neutralize`, for reading a filled-in sheet back. */
export function unneutralize(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
