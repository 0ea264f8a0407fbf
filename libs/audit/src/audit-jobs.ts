import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RecallConfig } from '@recall/config';
import { JobHandlerRegistry, JobQueue } from '@recall/queue';
import { AuditService } from './audit.service';

@Injectable()
export class AuditJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger('AuditRetention');

  constructor(
    registry: JobHandlerRegistry,
    audit: AuditService,
    config: RecallConfig,
    private readonly queue: JobQueue,
  ) {
    registry.register('system.ping', (p) =>
      audit.record({ action: 'system.ping', actor: { login: p.requestedBy }, details: { nonce: p.nonce } }),
    );
    registry.register('audit.purge-expired', async () => {
      const years = config.env.AUDIT_RETENTION_YEARS;
      const purged = await audit.purgeExpired(years);
      // The purge itself is history worth keeping.
      if (purged > 0)
        await audit.record({ action: 'audit.purged', details: { purged, retentionYears: years } });
      this.logger.log({ purged, retentionYears: years }, 'audit retention applied');
      return { purged };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.schedule(
      'audit.purge-expired.daily',
      { pattern: '41 3 * * *' },
      'audit.purge-expired',
      {},
    );
  }
}
