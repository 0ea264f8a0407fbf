import { createInflateRaw } from 'node:zlib';

/** Why an XLSX (a zip) is refused before it is unzipped for real. */
export class ZipGuardError extends Error {}

/** An XLSX holds a dozen parts; a zip with thousands is not one of ours. */
const MAX_ENTRIES = 1000;
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Checks, with bounded memory, that a zip expands to at most `maxBytes` in total: first the
 * sizes its directory declares, then by inflating every entry and counting (declared sizes
 * can lie), stopping as soon as the budget is spent. exceljs unzips into memory, so a small
 * zip bomb (a gigabyte of one repeated byte compresses to about a megabyte) must stop here.
 */
export async function checkZipExpansion(zip: Buffer, maxBytes: number): Promise<void> {
  const end = findEndOfDirectory(zip);
  const entries = zip.readUInt16LE(end + 10);
  const dirOffset = zip.readUInt32LE(end + 16);
  if (entries === 0xffff || dirOffset === 0xffffffff)
    throw new ZipGuardError('a ZIP64 archive, not an XLSX file');
  if (entries > MAX_ENTRIES) throw new ZipGuardError(`a zip of ${entries} files, not an XLSX file`);
  const parts: { name: string; method: number; data: Buffer; declared: number }[] = [];
  let declaredTotal = 0;
  let at = dirOffset;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL)
      throw new ZipGuardError('a damaged zip directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const declared = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL)
      throw new ZipGuardError(`a damaged zip entry (${name})`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + compressed > zip.length)
      throw new ZipGuardError(`a truncated zip entry (${name}): the file was cut off`);
    declaredTotal += declared;
    parts.push({ name, method, data: zip.subarray(start, start + compressed), declared });
  }
  const limit = `at most ${Math.round(maxBytes / 1024 / 1024)} MB (XLSX_MAX_UNZIPPED_MB)`;
  if (declaredTotal > maxBytes) {
    throw new ZipGuardError(`it would unzip to ${Math.round(declaredTotal / 1024 / 1024)} MB; ${limit}`);
  }
  let total = 0;
  for (const part of parts) {
    if (part.method === 0) total += part.data.length;
    else if (part.method === 8) total += await inflatedSize(part.data, maxBytes - total, part.name);
    else
      throw new ZipGuardError(
        `zip entry ${part.name} uses compression method ${part.method}, not one XLSX uses`,
      );
    if (total > maxBytes) throw new ZipGuardError(`it unzips to more than ${limit.replace('at most ', '')}`);
  }
}

function findEndOfDirectory(zip: Buffer): number {
  const floor = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= floor; i--) if (zip.readUInt32LE(i) === EOCD) return i;
  throw new ZipGuardError('no zip directory at its end: not an XLSX file, or one cut off');
}

/** Inflates `data`, counting bytes and keeping none; stops once past `budget`. */
function inflatedSize(data: Buffer, budget: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let bytes = 0;
    inflate.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > budget) {
        inflate.removeAllListeners('end');
        inflate.destroy();
        resolve(bytes);
      }
    });
    inflate.on('end', () => resolve(bytes));
    inflate.on('error', () => reject(new ZipGuardError(`zip entry ${name} is damaged`)));
    inflate.end(data);
  });
}
