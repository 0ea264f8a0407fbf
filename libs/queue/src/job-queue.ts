import { JobName, JobPayloads, FailedJob, ScheduleSpec } from './jobs';

/** The app's only door to background work; BullMQ or in-process behind it. */
export abstract class JobQueue {
  abstract readonly mode: 'redis' | 'in-process';

  /** Runs after the caller's transaction has committed; ids only in the payload. */
  abstract enqueue<K extends JobName>(name: K, payload: JobPayloads[K]): Promise<string>;

  /** A recurring job, keyed by `scheduleId` (re-registering replaces it). */
  abstract schedule<K extends JobName>(
    scheduleId: string,
    spec: ScheduleSpec,
    name: K,
    payload: JobPayloads[K],
  ): Promise<void>;

  abstract failed(limit?: number): Promise<FailedJob[]>;

  abstract counts(): Promise<Record<string, number>>;
}
