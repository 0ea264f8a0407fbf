import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Clock } from '@recall/core';
import { CronExpressionParser } from 'cron-parser';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobQueue } from './job-queue';
import { BACKOFF_DELAY_MS, FailedJob, JobName, JobPayloads, JOBS, ScheduleSpec } from './jobs';

const KEEP_FAILED = 200;

/** No REDIS_URL: jobs run in this process, through the same handlers, with the same retries. */
@Injectable()
export class InProcessJobQueue extends JobQueue implements OnModuleInit, OnApplicationShutdown {
  readonly mode = 'in-process' as const;
  private readonly logger = new Logger('JobQueue');
  private readonly running = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failures: FailedJob[] = [];
  private completed = 0;
  private closed = false;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly clock: Clock,
  ) {
    super();
  }

  onModuleInit(): void {
    this.logger.log('single-process mode: no REDIS_URL, background jobs run in this process');
  }

  async enqueue<K extends JobName>(name: K, payload: JobPayloads[K]): Promise<string> {
    const id = JOBS[name].jobId(payload);
    if (this.closed) throw new Error('the job queue is shutting down');
    if (!this.running.has(id)) {
      const run = this.run(id, name, payload).finally(() => this.running.delete(id));
      this.running.set(id, run);
    }
    return id;
  }

  async schedule<K extends JobName>(
    scheduleId: string,
    spec: ScheduleSpec,
    name: K,
    payload: JobPayloads[K],
  ): Promise<void> {
    clearTimeout(this.timers.get(scheduleId));
    const arm = () => {
      if (this.closed) return;
      const timer = setTimeout(
        () => {
          void this.enqueue(name, payload).catch(() => undefined);
          arm();
        },
        nextDelayMs(spec, this.clock.nowDate()),
      );
      timer.unref();
      this.timers.set(scheduleId, timer);
    };
    arm();
  }

  async failed(limit = 50): Promise<FailedJob[]> {
    return this.failures.slice(0, limit);
  }

  async counts(): Promise<Record<string, number>> {
    return { active: this.running.size, completed: this.completed, failed: this.failures.length };
  }

  /** Graceful shutdown: no new work, wait for what is running. */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.timers.forEach((t) => clearTimeout(t));
    await Promise.allSettled([...this.running.values()]);
  }

  private async run<K extends JobName>(id: string, name: K, payload: JobPayloads[K]): Promise<void> {
    await sleep(0); // never inside the caller's transaction or request
    const attempts = JOBS[name].attempts;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await this.registry.dispatch(name, payload, id);
        this.completed++;
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt === attempts || this.closed) {
          this.logger.error({ jobId: id, job: name, attempts: attempt, err: reason }, 'job failed');
          this.failures.unshift({
            id,
            name,
            failedReason: reason,
            attemptsMade: attempt,
            failedAt: this.clock.now().toISO(),
          });
          this.failures.length = Math.min(this.failures.length, KEEP_FAILED);
          return;
        }
        await sleep(BACKOFF_DELAY_MS * 2 ** (attempt - 1));
      }
    }
  }
}

export function nextDelayMs(spec: ScheduleSpec, now: Date): number {
  if (spec.everyMs) return spec.everyMs;
  if (!spec.pattern) throw new Error('a schedule needs a pattern or everyMs');
  const next = CronExpressionParser.parse(spec.pattern, { currentDate: now, tz: spec.tz ?? 'UTC' }).next();
  return Math.max(1_000, next.getTime() - now.getTime());
}
