import { createWriteStream } from 'node:fs';
import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * Hostile files, made on the fly (nothing big is committed): zips and zip bombs, seeded
 * random bytes, and large files streamed to disk in blocks so the test's memory stays flat.
 */

/** Deterministic bytes (xorshift32): the same seed gives the same "binary garbage". */
export function randomBytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export interface ZipEntry {
  name: string;
  /** Stored as is (method 0) when `raw` is absent; `raw` is a ready raw-deflate stream. */
  data?: Buffer;
  raw?: { deflated: Buffer; size: number; declaredSize?: number };
}

/** A plain zip archive (no ZIP64), deflating `data` entries. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const deflated = e.raw ? e.raw.deflated : deflateRawSync(e.data ?? Buffer.alloc(0));
    const size = e.raw ? (e.raw.declaredSize ?? e.raw.size) : (e.data?.length ?? 0);
    const crc = e.data ? crc32(e.data) : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(Math.min(size, 0xfffffffe), 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(Math.min(size, 0xfffffffe), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated);
    centrals.push(central, name);
    offset += local.length + name.length + deflated.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/**
 * A raw-deflate stream of `megabytes` MB of one repeated byte, about 1 KB per MB: one
 * full-flushed block (no references across blocks) repeated, then an empty final block.
 */
export function deflateBomb(megabytes: number, byte = 0x3c): { deflated: Buffer; size: number } {
  const block = deflateRawSync(Buffer.alloc(1 << 20, byte), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  });
  const parts = Array.from({ length: megabytes }, () => block);
  parts.push(Buffer.from([0x03, 0x00]));
  return { deflated: Buffer.concat(parts), size: megabytes * (1 << 20) };
}

/** A minimal XLSX-shaped zip whose worksheet is a bomb. */
export function xlsxBomb(megabytes: number, declaredSize?: number): Buffer {
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0"?><workbook/>') },
    { name: 'xl/worksheets/sheet1.xml', raw: { ...deflateBomb(megabytes), declaredSize } },
  ]);
}

/** Writes `head`, then `repeat` copies of `block`, then `tail`, streaming (flat memory). */
export async function writeRepeated(
  file: string,
  head: string | Buffer,
  block: string | Buffer,
  repeat: number,
  tail: string | Buffer = '',
): Promise<void> {
  const out = createWriteStream(file);
  let failed: Error | null = null;
  out.on('error', (e) => (failed = e));
  const write = (data: string | Buffer) =>
    new Promise<void>((resolve, reject) => {
      if (failed) reject(failed);
      else if (out.write(data)) resolve();
      else out.once('drain', resolve);
    });
  await write(head);
  // Batch small blocks into ~1 MB writes.
  const unit = Buffer.isBuffer(block) ? block : Buffer.from(block);
  const per = Math.max(1, Math.floor((1 << 20) / Math.max(1, unit.length)));
  const batch = Buffer.concat(Array.from({ length: Math.min(per, repeat) }, () => unit));
  let left = repeat;
  while (left >= per) {
    await write(batch);
    left -= per;
  }
  if (left > 0) await write(Buffer.concat(Array.from({ length: left }, () => unit)));
  await write(tail);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
