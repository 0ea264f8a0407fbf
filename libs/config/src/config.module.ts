import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, FixedClock, SystemClock } from '@recall/core';
import { RecallConfig } from './recall-config';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: RecallConfig, clock?: Clock): DynamicModule {
    const resolvedClock =
      clock ?? (config.env.RECALL_NOW ? new FixedClock(config.env.RECALL_NOW) : new SystemClock());
    return {
      module: ConfigModule,
      providers: [
        { provide: RecallConfig, useValue: config },
        { provide: Clock, useValue: resolvedClock },
      ],
      exports: [RecallConfig, Clock],
    };
  }
}
