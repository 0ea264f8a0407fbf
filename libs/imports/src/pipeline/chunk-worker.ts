import { parentPort } from 'node:worker_threads';
import { processChunk, rowHandler, type RowHandler } from '../rows/process-chunk';
import type { RowContext } from '../rows/row-context';

/** Worker-thread side of the chunk pool: parses and normalises chunks for one file at a time. */
export type WorkerRequest =
  { type: 'context'; ctx: RowContext } | { type: 'chunk'; id: number; bytes: ArrayBuffer; startLine: number };

let ctx: RowContext | null = null;
let handler: RowHandler | null = null;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'context') {
    ctx = msg.ctx;
    handler = rowHandler(ctx);
    return;
  }
  try {
    if (!ctx || !handler) throw new Error('chunk before context');
    const output = processChunk(Buffer.from(msg.bytes), msg.startLine, ctx, handler);
    // Hand the COPY text over as UTF-8 bytes, moved rather than copied: the main thread writes
    // them to the connection as they are (no string copy, no re-encoding there).
    const staging = encode(output.staging);
    const issues = encode(output.issues);
    parentPort!.postMessage({ id: msg.id, output: { ...output, staging, issues } }, [
      staging.buffer as ArrayBuffer,
      issues.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort!.postMessage({ id: msg.id, error: (error as Error).stack ?? String(error) });
  }
});

function encode(text: string | Uint8Array): Uint8Array {
  if (typeof text !== 'string') return text;
  const bytes = Buffer.from(text, 'utf8');
  // A Buffer may share a pooled ArrayBuffer; a transfer needs one of its own.
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : new Uint8Array(bytes);
}
