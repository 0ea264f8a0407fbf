import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { RecallConfig } from '@recall/config';
import { BullJobQueue, JobProcessor } from './bull-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobQueue } from './job-queue';
import { QUEUE_NAME } from './jobs';

export interface QueueModuleOptions {
  /** This process consumes jobs from Redis (the worker app). */
  consume: boolean;
}

export function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

@Global()
@Module({})
export class QueueModule {
  static forRoot(config: RecallConfig, options: QueueModuleOptions): DynamicModule {
    const providers: Provider[] = [JobHandlerRegistry];
    if (!config.env.REDIS_URL) {
      providers.push({ provide: JobQueue, useClass: InProcessJobQueue });
      return { module: QueueModule, providers, exports: [JobQueue, JobHandlerRegistry] };
    }
    providers.push(BullJobQueue, { provide: JobQueue, useExisting: BullJobQueue });
    if (options.consume) providers.push(JobProcessor);
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({
          connection: redisConnection(config.env.REDIS_URL),
          prefix: config.env.QUEUE_PREFIX,
        }),
        BullModule.registerQueue({ name: QUEUE_NAME }),
      ],
      providers,
      exports: [JobQueue, JobHandlerRegistry, BullJobQueue],
    };
  }
}
