import { createReadStream } from 'node:fs';
import { DEFAULT_INPUT_LIMITS } from '../../../config/src/input-limits';
import { FormatError, type FileFormat } from './sniff';

/** A run of whole records: it starts at a record boundary and ends just after a line break. */
export interface Chunk {
  buffer: Buffer;
  /** Physical line number of the chunk's first line. */
  startLine: number;
  /** Byte offset in the file just after the chunk (for progress). */
  endOffset: number;
}

const QUOTE = 0x22;
/** A chunk never grows past this without a record boundary (an unclosed quote, say). */
const MAX_CARRY = 64 * 1024 * 1024;

/**
 * The offset just after the last line break that lies outside quotes, or -1. Quote parity is
 * exact for RFC 4180 files (an escaped "" flips twice); a bare quote inside an unquoted field
 * can mislead it, which the parser then reports and the importer retries in one piece.
 */
export function lastRecordBoundary(buf: Buffer, newline: number): number {
  let inQuotes = false;
  let pos = 0;
  let boundary = -1;
  for (;;) {
    const q = buf.indexOf(QUOTE, pos);
    const end = q === -1 ? buf.length : q;
    if (!inQuotes && end > pos) {
      const nl = buf.lastIndexOf(newline, end - 1);
      if (nl >= pos) boundary = nl + 1;
    }
    if (q === -1) return boundary;
    inQuotes = !inQuotes;
    pos = q + 1;
  }
}

function countByte(buf: Buffer, byte: number): number {
  let n = 0;
  let pos = buf.indexOf(byte);
  while (pos !== -1) {
    n++;
    pos = buf.indexOf(byte, pos + 1);
  }
  return n;
}

/**
 * Streams the data part of a file (after the header) as chunks of whole records, about
 * `chunkBytes` each, with constant memory. `whole` turns chunking off (one chunk per
 * `MAX_CARRY`), for files whose quoting defeats boundary detection.
 *
 * Memory stays bounded whatever the file holds: when quote parity finds no boundary within
 * `chunkBytes` + the longest row allowed, the chunk is cut at the last line break anyway (the
 * parser then decides, and reports a quote that never closes), and a stretch that long with
 * no line break at all is refused as a row over the limit (`FormatError` with its line).
 */
export async function* readChunks(
  path: string,
  format: FileFormat,
  opts: { chunkBytes?: number; whole?: boolean; maxRowChars?: number } = {},
): AsyncGenerator<Chunk> {
  const chunkBytes = opts.chunkBytes ?? 1 << 20;
  const maxRowChars = opts.maxRowChars ?? DEFAULT_INPUT_LIMITS.maxRowChars;
  // A character takes at most 4 bytes in UTF-8: past this, a row is over the limit for sure.
  const maxCarry = opts.whole ? MAX_CARRY : chunkBytes + 4 * maxRowChars;
  const newline = format.lineBreak === '\r' ? 0x0d : 0x0a;
  let line = format.dataLine;
  let offset = format.dataOffset;
  let carry: Buffer = Buffer.alloc(0);
  const emit = (buffer: Buffer): Chunk => {
    const chunk = { buffer, startLine: line, endOffset: offset - carry.length };
    line += countByte(buffer, newline);
    return chunk;
  };
  const stream = createReadStream(path, { start: format.dataOffset, highWaterMark: chunkBytes });
  try {
    for await (const block of stream as AsyncIterable<Buffer>) {
      offset += block.length;
      carry = carry.length ? Buffer.concat([carry, block]) : block;
      if (carry.length < chunkBytes && !opts.whole) continue;
      if (opts.whole && carry.length < MAX_CARRY) continue;
      let cut = opts.whole ? -1 : lastRecordBoundary(carry, newline);
      if (cut <= 0 && carry.length >= maxCarry) {
        cut = carry.lastIndexOf(newline) + 1;
        if (cut <= 0) {
          throw new FormatError(
            `line ${line}: a row of more than ${Math.round(maxRowChars / 1024)} KB without a line break (IMPORT_MAX_ROW_KB): ` +
              'not a CSV file, or a field that never ends',
            line,
          );
        }
      }
      if (cut > 0) {
        const head = carry.subarray(0, cut);
        carry = carry.subarray(cut);
        yield emit(head);
      }
    }
  } finally {
    stream.destroy();
  }
  if (carry.length > 0) {
    const rest = carry;
    carry = Buffer.alloc(0);
    yield emit(rest);
  }
}
