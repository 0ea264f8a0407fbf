import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobHandlerRegistry, JobQueue } from '@recall/queue';
import { QualityService } from './quality.service';

@Injectable()
export class QualityJobs implements OnApplicationBootstrap {
  constructor(
    registry: JobHandlerRegistry,
    quality: QualityService,
    private readonly queue: JobQueue,
  ) {
    registry.register('quality.sample', () => quality.sampleDue());
  }

  async onApplicationBootstrap(): Promise<void> {
    // Hourly, so each practice's yesterday is sampled within the hour after its own midnight.
    await this.queue.schedule('quality.sample.hourly', { pattern: '15 * * * *' }, 'quality.sample', {});
  }
}
