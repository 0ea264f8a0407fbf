import { CsvError, Parser } from 'csv-parse';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../../../config/src/input-limits';
import type { Delimiter, Encoding, LineBreak } from '../reader/sniff';

export interface CsvOptions {
  delimiter: Delimiter;
  lineBreak: LineBreak;
  encoding: Encoding;
}

/** A record past an input limit: the file is refused (fatal), naming the line and the column. */
export class CsvLimitError extends Error {
  constructor(
    message: string,
    /** 0-based index of the offending field, when one field is to blame. */
    readonly column: number | null,
  ) {
    super(message);
  }
}

export interface CsvRecordSink {
  /** `line`: the physical line (1-based within the buffer) where the record starts. */
  record(cells: string[], line: number): void;
  /** A record the parser could not read (lines `from`..`to`); it is skipped and parsing goes on. */
  skip(error: CsvError, from: number, to: number): void;
}

/**
 * Parses a chunk of whole records with csv-parse, calling back per record with its line.
 *
 * Uses the parser's synchronous core (`Parser#api`, what `csv-parse/sync` runs on) rather
 * than the stream or the sync helper: it reads `info.lines` at each record for free, where
 * the `info` option allocates two objects per row (about a third slower). The
 * `csv.spec.ts` test pins this behaviour, so an upgrade that changes it fails loudly.
 *
 * Windows-1252 is read as latin1 (same bytes except 0x80–0x9F) and fixed up per cell.
 * Returns a fatal error (an unclosed quote, a record or field past `limits`, …) with the line
 * of the record it began in, or null.
 */
export function parseCsv(
  buffer: Buffer,
  options: CsvOptions,
  sink: CsvRecordSink,
  limits: Pick<InputLimits, 'maxFieldChars' | 'maxRowChars' | 'maxColumns'> = DEFAULT_INPUT_LIMITS,
): { error: CsvError | Error; line: number } | null {
  const parser = new Parser({
    max_record_size: limits.maxRowChars,
    delimiter: options.delimiter,
    record_delimiter: options.lineBreak,
    encoding: options.encoding === 'utf-8' ? 'utf8' : 'latin1',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: false,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      if (!error) return;
      // An unclosed quote swallows the rest of the input: that is the file's structure
      // failing (or a chunk split in the wrong place), not one bad row.
      // A record past the size limit stops csv-parse for good: refuse the file, not the row.
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') fatal ??= { error, line: lastEnd + 1 };
      else if (error.code === 'CSV_MAX_RECORD_SIZE') {
        fatal ??= {
          error: new CsvLimitError(
            `a row of more than ${Math.round(limits.maxRowChars / 1024)} KB (IMPORT_MAX_ROW_KB)`,
            null,
          ),
          line: lastEnd + 1,
        };
      } else {
        const end = api.info.lines - extra;
        sink.skip(error, lastEnd + 1, end);
        lastEnd = end;
      }
    },
  });
  let fatal: { error: CsvError | CsvLimitError; line: number } | null = null;
  // csv-parse counts every CR and every LF inside a field as a line (CRLF twice); a file has
  // one line break character (LF for LF and CRLF files, CR for CR files). `extra` is the
  // difference so far, so lines match what an editor shows.
  const primary = options.lineBreak === '\r' ? '\r' : '\n';
  const other = primary === '\n' ? '\r' : '\n';
  let extra = 0;
  let lastEnd = 0;
  const api = (parser as unknown as { api: CsvApi }).api;
  const cp1252 = options.encoding === 'windows-1252';
  const error = api.parse(
    buffer,
    true,
    (cells: string[]) => {
      if (cp1252) fixCp1252(cells);
      let breaks = 0;
      let long = -1;
      for (let i = 0; i < cells.length; i++) {
        const c = cells[i];
        if (c.length > limits.maxFieldChars && long < 0) long = i;
        if (c.indexOf('\n') === -1 && c.indexOf('\r') === -1) continue;
        breaks += count(c, primary);
        extra += count(c, other);
      }
      const end = api.info.lines - extra;
      const start = end - breaks;
      lastEnd = end;
      if (fatal) return;
      if (long >= 0) {
        const error = new CsvLimitError(
          `a field of ${cells[long].length} characters; at most ${limits.maxFieldChars} are allowed (IMPORT_MAX_FIELD_CHARS)`,
          long,
        );
        fatal = { error, line: start };
      } else if (cells.length > limits.maxColumns) {
        const error = new CsvLimitError(
          `a row of ${cells.length} fields; at most ${limits.maxColumns} are allowed (IMPORT_MAX_COLUMNS)`,
          null,
        );
        fatal = { error, line: start };
      } else sink.record(cells, start);
    },
    () => undefined,
  );
  return error ? { error, line: lastEnd + 1 } : fatal;
}

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n++;
  return n;
}

interface CsvApi {
  info: { lines: number };
  parse(buf: Buffer, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
}

/** Windows-1252 characters at 0x80–0x9F (latin1 puts C1 controls there). */
const CP1252: Record<number, string> = {
  0x80: '€',
  0x82: '‚',
  0x83: 'ƒ',
  0x84: '„',
  0x85: '…',
  0x86: '†',
  0x87: '‡',
  0x88: 'ˆ',
  0x89: '‰',
  0x8a: 'Š',
  0x8b: '‹',
  0x8c: 'Œ',
  0x8e: 'Ž',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x98: '˜',
  0x99: '™',
  0x9a: 'š',
  0x9b: '›',
  0x9c: 'œ',
  0x9e: 'ž',
  0x9f: 'Ÿ',
};
const C1 = /[\u0080-\u009f]/;
const C1_ALL = /[\u0080-\u009f]/g;

function fixCp1252(cells: string[]): void {
  for (let i = 0; i < cells.length; i++) {
    if (C1.test(cells[i])) cells[i] = cells[i].replace(C1_ALL, (c) => CP1252[c.charCodeAt(0)] ?? c);
  }
}
