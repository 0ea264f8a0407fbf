import { createReadStream } from 'node:fs';
import type { FileFormat } from './sniff';

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
 */
export async function* readChunks(
  path: string,
  format: FileFormat,
  opts: { chunkBytes?: number; whole?: boolean } = {},
): AsyncGenerator<Chunk> {
  const chunkBytes = opts.chunkBytes ?? 1 << 20;
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
  for await (const block of stream as AsyncIterable<Buffer>) {
    offset += block.length;
    carry = carry.length ? Buffer.concat([carry, block]) : block;
    if (carry.length < chunkBytes && !opts.whole) continue;
    if (opts.whole && carry.length < MAX_CARRY) continue;
    const cut = opts.whole ? -1 : lastRecordBoundary(carry, newline);
    if (cut > 0) {
      const head = carry.subarray(0, cut);
      carry = carry.subarray(cut);
      yield emit(head);
    } else if (carry.length >= MAX_CARRY) {
      const head = carry;
      carry = Buffer.alloc(0);
      yield emit(head);
    }
  }
  if (carry.length > 0) {
    const rest = carry;
    carry = Buffer.alloc(0);
    yield emit(rest);
  }
}
