import { Injectable } from '@nestjs/common';
import { JobHandlerRegistry } from '@recall/queue';
import { AuditService } from './audit.service';

@Injectable()
export class AuditJobs {
  constructor(registry: JobHandlerRegistry, audit: AuditService) {
    registry.register('system.ping', (p) =>
      audit.record({ action: 'system.ping', actor: { login: p.requestedBy }, details: { nonce: p.nonce } }),
    );
  }
}
