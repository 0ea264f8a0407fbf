import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobHandlerRegistry, JobQueue } from '@recall/queue';
import { MfaService } from './mfa.service';
import { SessionsService } from './sessions.service';

@Injectable()
export class AuthJobs implements OnApplicationBootstrap {
  constructor(
    registry: JobHandlerRegistry,
    sessions: SessionsService,
    mfa: MfaService,
    private readonly queue: JobQueue,
  ) {
    registry.register('sessions.purge-ended', async () => {
      await mfa.purgeChallenges();
      return sessions.purgeEnded();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.schedule(
      'sessions.purge-ended.hourly',
      { pattern: '17 * * * *' },
      'sessions.purge-ended',
      {},
    );
  }
}
