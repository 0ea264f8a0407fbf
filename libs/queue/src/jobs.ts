/**
 * Every background job: its name and its payload. Payloads carry ids only, never patient
 * data (they sit in Redis and in logs). Add a job here, then a handler in the worker.
 */
export interface JobPayloads {
  /** Deletes sessions that ended more than a day ago. */
  'sessions.purge-ended': Record<string, never>;
  /** Deletes audit events older than AUDIT_RETENTION_YEARS (never younger than 6 years). */
  'audit.purge-expired': Record<string, never>;
  /** Records a heartbeat in the audit log; proves the queue end to end (`recall jobs ping`). */
  'system.ping': { requestedBy: string; nonce: string };
  /** Runs one EMR import (patients, appointments, encounters files) end to end. */
  'imports.run': { importId: string };
  /** Builds the next cycle of every active campaign whose cycle ended (at each practice's midnight). */
  'cycles.rollover': Record<string, never>;
  /** Marks a number found wrong or disconnected on every patient of the practice that has it. */
  'dispositions.mark-bad-number': { practiceId: string; attemptId: string };
  /** Rebuilds the report rollups of the days written since the last run. */
  'reports.refresh': Record<string, never>;
  /** Draws the QA sample of every practice's yesterday that has none yet. */
  'quality.sample': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export interface JobDefinition<K extends JobName> {
  /** Same payload → same id, so enqueueing twice while pending is harmless. */
  jobId(payload: JobPayloads[K]): string;
  attempts: number;
}

export const JOBS: { [K in JobName]: JobDefinition<K> } = {
  'sessions.purge-ended': { jobId: () => 'sessions.purge-ended', attempts: 3 },
  'audit.purge-expired': { jobId: () => 'audit.purge-expired', attempts: 3 },
  'system.ping': { jobId: (p) => `system.ping.${p.nonce}`, attempts: 1 },
  // Retried after a crash: the import is one transaction, so a rerun starts from a clean slate.
  'imports.run': { jobId: (p) => `imports.run.${p.importId}`, attempts: 3 },
  // A rerun finds the cycles already built: a campaign has one open cycle, built under a lock.
  'cycles.rollover': { jobId: () => 'cycles.rollover', attempts: 3 },
  // Idempotent: a rerun finds the patients marked.
  'dispositions.mark-bad-number': {
    jobId: (p) => `dispositions.mark-bad-number.${p.attemptId}`,
    attempts: 5,
  },
  // One at a time is enough: a run picks up everything dirty.
  'reports.refresh': { jobId: () => 'reports.refresh', attempts: 3 },
  // A rerun finds the days sampled: one sample per practice and day, drawn under a lock.
  'quality.sample': { jobId: () => 'quality.sample', attempts: 3 },
};

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** Exponential backoff shared by both runners: 2 s, 4 s, 8 s, … */
export const BACKOFF_DELAY_MS = 2_000;

export const QUEUE_NAME = 'recall';

export type JobHandlers = { [K in JobName]: (payload: JobPayloads[K]) => Promise<unknown> };

export interface FailedJob {
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  failedAt: string | null;
}

export interface ScheduleSpec {
  /** Cron pattern (evaluated in `tz`), or a fixed interval. */
  pattern?: string;
  tz?: string;
  everyMs?: number;
}
