import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@recall/audit';
import { AuthModule } from '@recall/auth';
import { CampaignsModule } from '@recall/campaigns';
import { CyclesModule } from '@recall/cycles';
import { DispositionsModule } from '@recall/dispositions';
import { ReportsModule } from '@recall/reports';
import { QualityModule } from '@recall/quality';
import { ConfigModule, RecallConfig } from '@recall/config';
import { pinoParams } from '@recall/core';
import { DatabaseModule } from '@recall/database';
import { ImportsModule } from '@recall/imports';
import { PatientsModule } from '@recall/patients';
import { QueueModule } from '@recall/queue';
import { LoggerModule } from 'nestjs-pino';

/** No HTTP: consumes jobs from Redis and runs them through the domain modules' handlers. */
@Module({})
export class WorkerModule {
  static forRoot(config: RecallConfig, databaseUrl: string): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(pinoParams(config.env.LOG_LEVEL)),
        DatabaseModule.forRoot(databaseUrl),
        QueueModule.forRoot(config, { consume: true }),
        AuditModule,
        AuthModule,
        PatientsModule,
        ImportsModule,
        CampaignsModule,
        CyclesModule,
        DispositionsModule,
        ReportsModule,
        QualityModule,
      ],
    };
  }
}
