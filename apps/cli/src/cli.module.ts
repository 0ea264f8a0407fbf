import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@recall/audit';
import { AuthModule } from '@recall/auth';
import { CampaignsModule, ContactsModule } from '@recall/campaigns';
import { CyclesModule } from '@recall/cycles';
import { DispositionsModule } from '@recall/dispositions';
import { ReportsModule } from '@recall/reports';
import { QualityModule } from '@recall/quality';
import { ConfigModule, RecallConfig } from '@recall/config';
import type { Clock } from '@recall/core';
import { DatabaseModule } from '@recall/database';
import { ImportsModule } from '@recall/imports';
import { PatientsModule } from '@recall/patients';
import { QueueModule } from '@recall/queue';

@Module({})
export class CliModule {
  static forRoot(config: RecallConfig, databaseUrl: string, clock?: Clock): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        DatabaseModule.forRoot(databaseUrl),
        QueueModule.forRoot(config, { consume: false }),
        AuditModule,
        AuthModule,
        PatientsModule,
        ImportsModule,
        CampaignsModule,
        ContactsModule,
        CyclesModule,
        DispositionsModule,
        ReportsModule,
        QualityModule,
      ],
    };
  }
}
