import { Injectable } from '@nestjs/common';
import { RequestContext } from '@recall/core';
import { JOB_NAMES, JobHandlers, JobName, JobPayloads } from './jobs';

/**
 * Domain modules register the service method behind each job; both runners (BullMQ worker
 * and in-process) dispatch through here, so a job behaves the same in either mode.
 */
@Injectable()
export class JobHandlerRegistry {
  private readonly handlers = new Map<JobName, (payload: never) => Promise<unknown>>();

  register<K extends JobName>(name: K, handler: JobHandlers[K]): void {
    this.handlers.set(name, handler as (payload: never) => Promise<unknown>);
  }

  missing(): JobName[] {
    return JOB_NAMES.filter((n) => !this.handlers.has(n));
  }

  async dispatch<K extends JobName>(name: K, payload: JobPayloads[K], jobId: string): Promise<unknown> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no handler registered for job "${name}"`);
    return RequestContext.run({ requestId: `job:${jobId}`, channel: 'worker' }, () =>
      handler(payload as never),
    );
  }
}
