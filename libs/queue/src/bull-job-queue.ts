import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RecallConfig } from '@recall/config';
import { Job, Queue } from 'bullmq';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobQueue } from './job-queue';
import { BACKOFF_DELAY_MS, FailedJob, JobName, JobPayloads, JOBS, QUEUE_NAME, ScheduleSpec } from './jobs';

const jobOptions = (name: JobName) => ({
  attempts: JOBS[name].attempts,
  backoff: { type: 'exponential', delay: BACKOFF_DELAY_MS },
  removeOnComplete: true,
  removeOnFail: { age: 14 * 24 * 3600 },
});

@Injectable()
export class BullJobQueue extends JobQueue {
  readonly mode = 'redis' as const;

  constructor(@InjectQueue(QUEUE_NAME) private readonly queue: Queue) {
    super();
  }

  async enqueue<K extends JobName>(name: K, payload: JobPayloads[K]): Promise<string> {
    const jobId = JOBS[name].jobId(payload);
    await this.queue.add(name, payload, { jobId, ...jobOptions(name) });
    return jobId;
  }

  async schedule<K extends JobName>(
    scheduleId: string,
    spec: ScheduleSpec,
    name: K,
    payload: JobPayloads[K],
  ): Promise<void> {
    const repeat = spec.pattern ? { pattern: spec.pattern, tz: spec.tz } : { every: spec.everyMs };
    await this.queue.upsertJobScheduler(scheduleId, repeat, { name, data: payload, opts: jobOptions(name) });
  }

  async failed(limit = 50): Promise<FailedJob[]> {
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.map((j) => ({
      id: String(j.id),
      name: j.name,
      failedReason: j.failedReason,
      attemptsMade: j.attemptsMade,
      failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
    }));
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
  }

  /** A round trip to Redis, for /health. */
  async ping(): Promise<void> {
    await this.queue.getJobCounts('waiting');
  }
}

/** The worker app's one processor: a shim from BullMQ to the registered handler. */
@Processor(QUEUE_NAME)
export class JobProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('JobProcessor');

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly config: RecallConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    const missing = this.registry.missing();
    if (missing.length) throw new Error(`jobs without a handler: ${missing.join(', ')}`);
    this.worker.concurrency = this.config.env.WORKER_CONCURRENCY;
  }

  async process(job: Job): Promise<unknown> {
    this.logger.log({ jobId: job.id, job: job.name, attempt: job.attemptsMade + 1 }, 'job started');
    return this.registry.dispatch(job.name as JobName, job.data as never, String(job.id));
  }
}
