import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RecallConfig } from '@recall/config';
import { Job, Queue, Worker } from 'bullmq';
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

  private readonly logger = new Logger('JobQueue');

  constructor(@InjectQueue(QUEUE_NAME) private readonly queue: Queue) {
    super();
    // While Redis is down, enqueues wait for it to return; say so once per failed reconnect.
    queue.on('error', (err) => this.logger.warn({ err: err.message }, 'Redis unavailable'));
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

  /** A round trip to Redis, for /health; commands wait offline while Redis is down, so it times out. */
  async ping(timeoutMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis did not answer')), timeoutMs);
    });
    try {
      await Promise.race([this.queue.getJobCounts('waiting'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The worker app's one consumer: a shim from BullMQ to the registered handler. It builds its
 * BullMQ worker itself because the lock and stalled-check timings come from the config.
 */
@Injectable()
export class JobProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobProcessor');
  private worker?: Worker;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly config: RecallConfig,
    @InjectQueue(QUEUE_NAME) private readonly queue: Queue,
  ) {}

  onApplicationBootstrap(): void {
    const missing = this.registry.missing();
    if (missing.length) throw new Error(`jobs without a handler: ${missing.join(', ')}`);
    const env = this.config.env;
    this.worker = new Worker(QUEUE_NAME, (job) => this.process(job), {
      connection: this.queue.opts.connection,
      prefix: this.queue.opts.prefix,
      concurrency: env.WORKER_CONCURRENCY,
      lockDuration: env.WORKER_LOCK_MS,
      stalledInterval: env.WORKER_STALLED_CHECK_MS,
      maxStalledCount: env.WORKER_MAX_STALLED,
    });
    this.worker.on('error', (err) => this.logger.error({ err: err.message }, 'queue connection error'));
  }

  /** Before the database closes: BullMQ's close() waits for the active jobs. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  async process(job: Job): Promise<unknown> {
    this.logger.log({ jobId: job.id, job: job.name, attempt: job.attemptsMade + 1 }, 'job started');
    return this.registry.dispatch(job.name as JobName, job.data as never, String(job.id));
  }
}
