import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobHandlerRegistry, JobQueue } from '@recall/queue';
import { RollupRefreshService } from './refresh.service';

@Injectable()
export class ReportJobs implements OnApplicationBootstrap {
  constructor(
    registry: JobHandlerRegistry,
    refresh: RollupRefreshService,
    private readonly queue: JobQueue,
  ) {
    registry.register('reports.refresh', () => refresh.refresh());
  }

  async onApplicationBootstrap(): Promise<void> {
    // Reports also catch up when read; the job keeps the rollups warm in between.
    await this.queue.schedule('reports.refresh.minutely', { everyMs: 60_000 }, 'reports.refresh', {});
  }
}
