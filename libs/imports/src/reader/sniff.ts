import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../../../config/src/input-limits';

export type Encoding = 'utf-8' | 'windows-1252';
export type LineBreak = '\n' | '\r\n' | '\r';
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** How a file is laid out, as sniffed (or pinned by a profile). */
export interface FileFormat {
  encoding: Encoding;
  bom: boolean;
  delimiter: Delimiter;
  lineBreak: LineBreak;
  /** 1-based physical line of the header row (title and filter rows above it are skipped). */
  headerLine: number;
  /** Byte offset where the first data line starts, and that line's number. */
  dataOffset: number;
  dataLine: number;
  headers: string[];
  /** Report-title / filter lines found above the header, as text. */
  skippedLines: string[];
}

export interface FormatOverrides {
  encoding?: Encoding;
  delimiter?: Delimiter;
}

/** A file that cannot be read as CSV; `line` when the problem has one. */
export class FormatError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

const SAMPLE_BYTES = 256 * 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface FileScan {
  bytes: number;
  sha256: string;
  /** The whole file decodes as UTF-8. */
  utf8: boolean;
  /** Where UTF-8 breaks first (1-based line; `atEnd` when the last character is cut off). */
  invalidUtf8?: { line: number; atEnd: boolean };
  /** The first line holding a (valid) multi-byte UTF-8 character, if any. */
  utf8Line?: number;
}

const NON_ASCII = /[\u0080-\uffff]/;
/** A well-formed multi-byte UTF-8 sequence, matched in bytes read as latin1. */
const UTF8_SEQUENCE =
  /[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}/;

/**
 * One streaming pass (constant memory): size, SHA-256 for the audit log, UTF-8 validity, and
 * where UTF-8 text and bytes that are not UTF-8 first show (to refuse a file that mixes them).
 */
export async function scanFile(path: string): Promise<FileScan> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const hash = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  let utf8 = true;
  let invalidUtf8: FileScan['invalidUtf8'];
  let utf8Line: number | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    if (utf8) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        if (utf8Line === undefined) {
          const at = text.search(NON_ASCII);
          if (at >= 0) utf8Line = lines + countChar(text.slice(0, at), '\n') + 1;
        }
      } catch {
        utf8 = false;
        const at = firstInvalidUtf8(chunk);
        invalidUtf8 = { line: lines + countByte(chunk.subarray(0, at), 0x0a) + 1, atEnd: false };
      }
    }
    if (!utf8 && utf8Line === undefined) {
      const text = chunk.toString('latin1');
      const at = text.search(UTF8_SEQUENCE);
      if (at >= 0) utf8Line = lines + countChar(text.slice(0, at), '\n') + 1;
    }
    lines += countByte(chunk, 0x0a);
  }
  if (utf8) {
    try {
      decoder.decode();
    } catch {
      utf8 = false;
      invalidUtf8 = { line: lines + 1, atEnd: true };
    }
  }
  return { bytes, sha256: hash.digest('hex'), utf8, invalidUtf8, utf8Line };
}

/** Offset of the first byte that breaks UTF-8 (a sequence cut at the buffer's end counts as valid). */
export function firstInvalidUtf8(buf: Buffer): number {
  for (let i = 0; i < buf.length;) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= buf.length) return buf.length;
      const c = buf[i + k];
      const lo = k === 1 && b === 0xe0 ? 0xa0 : k === 1 && b === 0xf0 ? 0x90 : 0x80;
      const hi = k === 1 && b === 0xed ? 0x9f : k === 1 && b === 0xf4 ? 0x8f : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return buf.length;
}

function countByte(buf: Buffer, byte: number): number {
  let n = 0;
  for (let at = buf.indexOf(byte); at !== -1; at = buf.indexOf(byte, at + 1)) n++;
  return n;
}

function countChar(text: string, char: string): number {
  let n = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) n++;
  return n;
}

/** Leading bytes of file types people upload by mistake (or to hide a zip bomb). */
const MAGIC: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (an XLSX or other Office file?)'],
  [[0x50, 0x4b, 0x05, 0x06], 'an empty ZIP archive'],
  [[0x1f, 0x8b], 'gzip-compressed data'],
  [[0x42, 0x5a, 0x68], 'bzip2-compressed data'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed data'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed data'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7-Zip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Office file (.xls?)'],
  [[0xff, 0xfe], 'UTF-16 text'],
  [[0xfe, 0xff], 'UTF-16 text'],
];

/**
 * What a sample is when it is plainly not CSV text: a known binary format, UTF-16 (every
 * other byte NUL), or bytes where control characters are more than 1 %. Null for text.
 * A few stray NULs or control characters do not count: their rows are rejected one by one.
 */
export function describeBinary(sample: Buffer): string | null {
  for (const [magic, what] of MAGIC) {
    if (sample.length >= magic.length && magic.every((b, i) => sample[i] === b)) return what;
  }
  const n = Math.min(sample.length, 64 * 1024);
  let controls = 0;
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < n; i++) {
    const c = sample[i];
    if (c === 0) {
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    }
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) controls++;
  }
  if (n >= 8 && Math.max(nulEven, nulOdd) > n / 4) return 'UTF-16 text';
  if (controls >= 4 && controls * 100 > n) {
    return `binary data (${controls} control bytes in the first ${Math.ceil(n / 1024)} KB)`;
  }
  return null;
}

/** Sniffs a file's layout; pass `scan` when the file was already scanned (saves a full read). */
export async function sniffFile(
  path: string,
  overrides: FormatOverrides = {},
  scan?: FileScan,
  limits: Pick<InputLimits, 'maxColumns'> = DEFAULT_INPUT_LIMITS,
): Promise<FileFormat> {
  const handle = await open(path, 'r');
  let sample: Buffer;
  let whole: boolean;
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    sample = buf.subarray(0, bytesRead);
    whole = bytesRead >= size;
  } finally {
    await handle.close();
  }
  const binary = describeBinary(sample);
  if (binary) {
    throw new FormatError(
      `this is ${binary}, not CSV text: upload the export itself as CSV (UTF-8 or Windows-1252)`,
    );
  }
  const bom = sample.subarray(0, 3).equals(BOM);
  const scanned = scan ?? (await scanFile(path));
  if (!overrides.encoding) checkEncoding(scanned, bom);
  const encoding = overrides.encoding ?? (bom || scanned.utf8 ? 'utf-8' : 'windows-1252');
  return sniffSample(sample, {
    whole,
    encoding,
    bom,
    delimiter: overrides.delimiter,
    maxColumns: limits.maxColumns,
  });
}

/**
 * A file that is not UTF-8 is read as Windows-1252; one that is partly UTF-8 would then turn
 * every accent of its UTF-8 part into mojibake (`JosÃ©`), silently. Refuse it instead: the
 * file was cut off in the middle of a character, or pieces of it were saved differently.
 */
function checkEncoding(scan: FileScan, bom: boolean): void {
  const bad = scan.invalidUtf8;
  if (scan.utf8 || !bad) return;
  if (bad.atEnd) {
    throw new FormatError(
      `the file ends in the middle of a UTF-8 character on line ${bad.line}: it was cut off; upload the whole file`,
      bad.line,
    );
  }
  if (bom || scan.utf8Line !== undefined) {
    const utf8 = bom ? 'starts with a UTF-8 byte-order mark' : `has UTF-8 text on line ${scan.utf8Line}`;
    throw new FormatError(
      `mixed encodings: the file ${utf8} but line ${bad.line} is not valid UTF-8; save the whole file as UTF-8`,
      bad.line,
    );
  }
}

/** Decodes bytes of a file in `encoding` (BOM dropped). */
export function decode(bytes: Buffer, encoding: Encoding): string {
  const text = new TextDecoder(encoding === 'utf-8' ? 'utf-8' : 'windows-1252').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The line break used between records: breaks inside quoted fields do not count. */
export function detectLineBreak(text: string): LineBreak {
  let crlf = 0;
  let cr = 0;
  let lf = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (c === 10) lf++;
  }
  if (crlf >= lf && crlf >= cr && crlf > 0) return '\r\n';
  return cr > lf ? '\r' : '\n';
}

interface SampleRecord {
  cells: string[];
  /** 1-based physical line where the record ends. */
  endLine: number;
}

function parseSample(text: string, delimiter: string, lineBreak: LineBreak): SampleRecord[] {
  const out: SampleRecord[] = [];
  const options = {
    delimiter,
    record_delimiter: lineBreak,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    info: true,
    to: 400,
  };
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, options) as unknown as typeof rows;
  } catch (error) {
    // A broken row further down (an unclosed quote) must not hide the header above it:
    // sniff the lines before it; the import then reports the broken row with its line.
    const line = (error as { lines?: number }).lines ?? 0;
    if (line <= 2) throw error;
    rows = parse(text, { ...options, to_line: line - 1 }) as unknown as typeof rows;
  }
  for (const r of rows) out.push({ cells: r.record, endLine: r.info.lines });
  return out;
}

/** Index of the last non-blank cell + 1. */
function width(cells: string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i].trim() !== '') return i + 1;
  return 0;
}

function mode(values: number[]): { value: number; count: number } {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = { value: 0, count: 0 };
  for (const [value, count] of counts)
    if (count > best.count || (count === best.count && value > best.value)) best = { value, count };
  return best;
}

export function sniffSample(
  sample: Buffer,
  opts: { whole: boolean; encoding: Encoding; bom: boolean; delimiter?: Delimiter; maxColumns?: number },
): FileFormat {
  let bytes = sample;
  if (!opts.whole) {
    // Cut at the last line feed / carriage return so no record is half-read.
    const cut = Math.max(bytes.lastIndexOf(0x0a), bytes.lastIndexOf(0x0d));
    if (cut <= 0) {
      throw new FormatError(
        `no line break in the first ${Math.round(sample.length / 1024)} KB: not a CSV file, or a header row longer than that`,
        1,
      );
    }
    bytes = bytes.subarray(0, cut + 1);
  }
  const text = decode(bytes, opts.encoding);
  if (text.trim() === '') throw new FormatError('the file is empty');
  const lineBreak = detectLineBreak(text);

  let best: { delimiter: Delimiter; records: SampleRecord[]; score: number; modal: number } | null = null;
  for (const delimiter of opts.delimiter ? [opts.delimiter] : DELIMITERS) {
    let records: SampleRecord[];
    try {
      records = parseSample(text, delimiter, lineBreak);
    } catch {
      continue;
    }
    const widths = records.map((r) => width(r.cells)).filter((w) => w >= 2);
    const m = mode(widths);
    // Rows agreeing on a width, weighted by that width: a tab file whose names hold commas
    // ("MÜLLER,FRANÇOIS") splits into more columns on tabs than on commas.
    const score = m.value >= 2 ? m.count * m.value : 0;
    if (!best || score > best.score) best = { delimiter, records, score, modal: m.value };
  }
  if (!best || best.score === 0) {
    throw new FormatError(
      'no delimited header row found: expected columns separated by comma, semicolon, tab or |',
    );
  }

  // Too wide for the importer, header or not: say so rather than pick it as the header.
  const maxColumns = opts.maxColumns ?? DEFAULT_INPUT_LIMITS.maxColumns;
  const wide = best.records.findIndex((r) => width(r.cells) > maxColumns);
  if (wide >= 0) {
    const line = wide > 0 ? best.records[wide - 1].endLine + 1 : 1;
    throw new FormatError(
      `line ${line}: a row of ${width(best.records[wide].cells)} columns; at most ${maxColumns} are allowed (IMPORT_MAX_COLUMNS)`,
      line,
    );
  }
  const minWidth = Math.max(2, Math.ceil(best.modal * 0.6));
  const headerIndex = best.records.findIndex((r) => {
    const w = width(r.cells);
    const filled = r.cells.slice(0, w).filter((c) => c.trim() !== '').length;
    return w >= minWidth && filled >= Math.max(2, Math.ceil(w * 0.6));
  });
  if (headerIndex < 0) throw new FormatError('no header row found in the first lines of the file');
  const header = best.records[headerIndex];
  const previousEnd = headerIndex > 0 ? best.records[headerIndex - 1].endLine : 0;
  const headerLine = previousEnd + 1;

  const skippedLines = best.records
    .slice(0, headerIndex)
    .map((r) => r.cells.filter((c) => c.trim() !== '').join(' '))
    .filter((l) => l !== '');

  return {
    encoding: opts.encoding,
    bom: opts.bom,
    delimiter: best.delimiter,
    lineBreak,
    headerLine,
    dataOffset: offsetAfterLine(sample, header.endLine, lineBreak),
    dataLine: header.endLine + 1,
    headers: cleanHeaders(header.cells),
    skippedLines,
  };
}

/** Byte offset just after the `line`-th line break. */
export function offsetAfterLine(bytes: Buffer, line: number, lineBreak: LineBreak): number {
  const nl = lineBreak === '\r' ? 0x0d : 0x0a;
  let pos = 0;
  for (let i = 0; i < line; i++) {
    const at = bytes.indexOf(nl, pos);
    if (at < 0) return bytes.length;
    pos = at + 1;
  }
  return pos;
}

/** Trims, drops trailing blank columns, names blank ones and makes repeated names unique. */
export function cleanHeaders(cells: string[]): string[] {
  const w = width(cells);
  const seen = new Map<string, number>();
  return cells.slice(0, w).map((raw, i) => {
    let name = raw
      .replace(/^\uFEFF/, '')
      .trim()
      .replace(/\s+/g, ' ');
    if (name === '') name = `Column ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n > 1 ? `${name} (${n})` : name;
  });
}
