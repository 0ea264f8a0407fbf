import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobHandlerRegistry, JobQueue } from '@recall/queue';
import { CyclesService } from './cycles.service';

@Injectable()
export class CycleJobs implements OnApplicationBootstrap {
  constructor(
    registry: JobHandlerRegistry,
    cycles: CyclesService,
    private readonly queue: JobQueue,
  ) {
    registry.register('cycles.rollover', () => cycles.rollover());
  }

  async onApplicationBootstrap(): Promise<void> {
    // Hourly, so each practice's cycles roll over within the hour after its own midnight.
    await this.queue.schedule('cycles.rollover.hourly', { pattern: '5 * * * *' }, 'cycles.rollover', {});
  }
}
