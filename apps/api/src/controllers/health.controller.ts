import { Controller, Get, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { BullJobQueue, JobQueue } from '@recall/queue';
import { NoPatientData } from '../http/audit.decorators';
import { Public } from '../http/policy.decorators';

@ApiTags('health')
@NoPatientData()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly queue: JobQueue,
    @Optional() private readonly bull?: BullJobQueue,
  ) {}

  /** Database and, when configured, Redis. 503 when either is down. */
  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 3000 }),
      async () => {
        const redis = this.indicators.check('queue');
        if (!this.bull) return redis.up({ mode: this.queue.mode });
        try {
          await this.bull.ping();
          return redis.up({ mode: this.queue.mode });
        } catch (e) {
          return redis.down({ mode: this.queue.mode, message: (e as Error).message });
        }
      },
    ]);
  }
}
