import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Chunk } from '../reader/chunks';
import { processChunk, rowHandler, type RowHandler } from '../rows/process-chunk';
import type { ChunkOutput, PooledOutput, RowContext } from '../rows/row-context';
import type { WorkerRequest } from './chunk-worker';

/**
 * Parses and normalises chunks, in worker threads when the compiled worker script exists
 * (built app, benchmark) or in the calling thread otherwise (tests running TypeScript
 * sources, `threads: 0`). Both paths run the same `processChunk`.
 */
export abstract class ChunkPool {
  abstract readonly threads: number;
  abstract setContext(ctx: RowContext): void;
  abstract process(chunk: Chunk): Promise<PooledOutput>;
  abstract close(): Promise<void>;

  static create(threads: number): ChunkPool {
    const script = join(__dirname, 'chunk-worker.js');
    return threads > 0 && existsSync(script) ? new ThreadPool(script, threads) : new InlinePool();
  }
}

class InlinePool extends ChunkPool {
  readonly threads = 0;
  private ctx: RowContext | null = null;
  private handler: RowHandler | null = null;

  setContext(ctx: RowContext): void {
    this.ctx = ctx;
    this.handler = rowHandler(ctx);
  }

  async process(chunk: Chunk): Promise<ChunkOutput> {
    if (!this.ctx || !this.handler) throw new Error('chunk before context');
    // Yield between chunks so progress, cancellation and HTTP keep flowing.
    await new Promise((resolve) => setImmediate(resolve));
    return processChunk(chunk.buffer, chunk.startLine, this.ctx, this.handler);
  }

  async close(): Promise<void> {}
}

interface Pending {
  resolve(output: PooledOutput): void;
  reject(error: Error): void;
}

class ThreadPool extends ChunkPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(
    script: string,
    readonly threads: number,
  ) {
    super();
    this.workers = Array.from({ length: threads }, () => {
      // A small heap per parser: chunks are short-lived, and memory must stay flat.
      const worker = new Worker(script, {
        resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
      });
      worker.on('message', (msg: { id: number; output?: PooledOutput; error?: string }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.output) p.resolve(msg.output);
        else p.reject(new Error(msg.error ?? 'worker failed'));
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`chunk worker exited with code ${code}`));
      });
      return worker;
    });
  }

  private closing = false;

  private fail(error: Error): void {
    if (this.closing) return;
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  setContext(ctx: RowContext): void {
    for (const w of this.workers) w.postMessage({ type: 'context', ctx } satisfies WorkerRequest);
  }

  process(chunk: Chunk): Promise<PooledOutput> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length];
    // A private copy of the bytes, handed over without a second copy.
    const bytes = new Uint8Array(chunk.buffer).slice().buffer;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'chunk', id, bytes, startLine: chunk.startLine } satisfies WorkerRequest, [
        bytes,
      ]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const abandoned = [...this.pending.values()];
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const p of abandoned) p.reject(new Error('chunk pool closed'));
  }
}
