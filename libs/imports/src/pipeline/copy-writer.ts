import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * One `COPY … FROM STDIN` on a connection: write text (backpressure honoured), then `end()`,
 * which resolves once the server has taken every row or rejects with its error.
 */
export class CopyWriter {
  private readonly stream: ReturnType<typeof copyFrom>;
  private error: Error | null = null;
  private readonly done: Promise<void>;

  constructor(client: ClientBase, sql: string) {
    this.stream = client.query(copyFrom(sql));
    this.done = new Promise((resolve, reject) => {
      this.stream.on('finish', resolve);
      this.stream.on('error', (e: Error) => {
        this.error = e;
        reject(e);
      });
    });
    this.done.catch(() => undefined);
  }

  async write(text: string | Uint8Array): Promise<void> {
    if (this.error) throw this.error;
    if (text.length === 0) return;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.stream.off('error', onError);
          resolve();
        };
        const onError = (e: Error) => {
          this.stream.off('drain', onDrain);
          reject(e);
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }

  async end(): Promise<void> {
    if (!this.stream.writableEnded) this.stream.end();
    await this.done;
  }
}
