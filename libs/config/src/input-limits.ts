/**
 * Bounds on what an uploaded file may hold (EMR exports, contact lists, cycle sheets), so a
 * hostile or broken file ends in a clear error instead of exhausting memory. Plain data with
 * no imports: parser code (worker threads too) reads the defaults from here.
 */
export interface InputLimits {
  /** Longest field, in characters (Excel's own cell limit is 32,767). */
  maxFieldChars: number;
  /** Longest record (all its fields), in characters. */
  maxRowChars: number;
  /** Most columns in a header or a row. */
  maxColumns: number;
  /** Most data rows in one file. */
  maxRows: number;
}

export interface SheetLimits {
  /** Most bytes an XLSX may expand to when unzipped (a zip bomb stops here). */
  maxUnzippedBytes: number;
  /** Most rows in a filled-in cycle sheet. */
  maxRows: number;
  maxColumns: number;
  maxFieldChars: number;
}

export const INPUT_LIMIT_DEFAULTS = {
  IMPORT_MAX_FIELD_CHARS: 32_767,
  IMPORT_MAX_ROW_KB: 1024,
  IMPORT_MAX_COLUMNS: 2000,
  IMPORT_MAX_ROWS: 20_000_000,
  XLSX_MAX_UNZIPPED_MB: 256,
  SHEET_MAX_ROWS: 50_000,
} as const;

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxFieldChars: INPUT_LIMIT_DEFAULTS.IMPORT_MAX_FIELD_CHARS,
  maxRowChars: INPUT_LIMIT_DEFAULTS.IMPORT_MAX_ROW_KB * 1024,
  maxColumns: INPUT_LIMIT_DEFAULTS.IMPORT_MAX_COLUMNS,
  maxRows: INPUT_LIMIT_DEFAULTS.IMPORT_MAX_ROWS,
};

export const DEFAULT_SHEET_LIMITS: SheetLimits = {
  maxUnzippedBytes: INPUT_LIMIT_DEFAULTS.XLSX_MAX_UNZIPPED_MB * 1024 * 1024,
  maxRows: INPUT_LIMIT_DEFAULTS.SHEET_MAX_ROWS,
  maxColumns: INPUT_LIMIT_DEFAULTS.IMPORT_MAX_COLUMNS,
  maxFieldChars: INPUT_LIMIT_DEFAULTS.IMPORT_MAX_FIELD_CHARS,
};
