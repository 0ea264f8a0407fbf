import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

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

export class FormatError extends Error {}

const SAMPLE_BYTES = 256 * 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface FileScan {
  bytes: number;
  sha256: string;
  /** The whole file decodes as UTF-8. */
  utf8: boolean;
}

/** One streaming pass (constant memory): size, SHA-256 for the audit log, and UTF-8 validity. */
export async function scanFile(path: string): Promise<FileScan> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const hash = createHash('sha256');
  let bytes = 0;
  let utf8 = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    if (utf8) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        utf8 = false;
      }
    }
  }
  if (utf8) {
    try {
      decoder.decode();
    } catch {
      utf8 = false;
    }
  }
  return { bytes, sha256: hash.digest('hex'), utf8 };
}

/** Sniffs a file's layout; pass `scan` when the file was already scanned (saves a full read). */
export async function sniffFile(
  path: string,
  overrides: FormatOverrides = {},
  scan?: FileScan,
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
  const bom = sample.subarray(0, 3).equals(BOM);
  const utf8 = bom || (scan ?? (await scanFile(path))).utf8;
  const encoding = overrides.encoding ?? (utf8 ? 'utf-8' : 'windows-1252');
  return sniffSample(sample, { whole, encoding, bom, delimiter: overrides.delimiter });
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
  opts: { whole: boolean; encoding: Encoding; bom: boolean; delimiter?: Delimiter },
): FileFormat {
  let bytes = sample;
  if (!opts.whole) {
    // Cut at the last line feed / carriage return so no record is half-read.
    const cut = Math.max(bytes.lastIndexOf(0x0a), bytes.lastIndexOf(0x0d));
    if (cut > 0) bytes = bytes.subarray(0, cut + 1);
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
