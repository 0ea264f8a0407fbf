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
    parentPort!.postMessage({ id: msg.id, output });
  } catch (error) {
    parentPort!.postMessage({ id: msg.id, error: (error as Error).stack ?? String(error) });
  }
});
