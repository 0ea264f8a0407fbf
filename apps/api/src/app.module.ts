import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '@recall/audit';
import { AuthModule } from '@recall/auth';
import { CampaignsModule, ContactsModule } from '@recall/campaigns';
import { CyclesModule } from '@recall/cycles';
import { DispositionsModule } from '@recall/dispositions';
import { ReportsModule } from '@recall/reports';
import { QualityModule } from '@recall/quality';
import { ConfigModule, RecallConfig } from '@recall/config';
import { Clock, pinoParams } from '@recall/core';
import { DatabaseModule } from '@recall/database';
import { ImportsModule } from '@recall/imports';
import { PatientsModule } from '@recall/patients';
import { QueueModule } from '@recall/queue';
import { MulterModule } from '@nestjs/platform-express';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { diskStorage } from 'multer';
import { AdminController } from './controllers/admin.controller';
import { AuthController } from './controllers/auth.controller';
import { CampaignCatalogueController, CampaignsController } from './controllers/campaigns.controller';
import { ContactsController } from './controllers/contacts.controller';
import { CyclesController, QueueController } from './controllers/cycles.controller';
import { DispositionsController, EscalationsController } from './controllers/dispositions.controller';
import { IdentityController } from './controllers/identity.controller';
import { ReportsController } from './controllers/reports.controller';
import { TransfersController } from './controllers/transfers.controller';
import { QualityController } from './controllers/quality.controller';
import { HealthController } from './controllers/health.controller';
import { PracticesController } from './controllers/practices.controller';
import { PrivacyController } from './controllers/privacy.controller';
import { ImportFieldsController, ImportsController } from './controllers/imports.controller';
import {
  DuplicatesController,
  MappingProfilesController,
  PatientsController,
} from './controllers/patients.controller';
import { UsersController } from './controllers/users.controller';
import { AuditContextGuard, AuditDeniedFilter } from './http/audit-denied';
import { AuditInterceptor } from './http/audit.interceptor';
import { DatabaseUnavailableFilter } from './http/database-unavailable.filter';
import { DomainErrorFilter } from './http/domain-error.filter';
import { PracticeAccessGuard } from './http/practice-access.guard';
import { SessionGuard } from './http/session.guard';

export interface ApiModuleOptions {
  config: RecallConfig;
  databaseUrl: string;
  clock?: Clock;
  /** Where the log goes instead of stdout (tests scan it for patient data). */
  logStream?: DestinationStream;
}

@Module({})
export class ApiModule {
  static forRoot({ config, databaseUrl, clock, logStream }: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        LoggerModule.forRoot(pinoParams(config.env.LOG_LEVEL, logStream)),
        DatabaseModule.forRoot(databaseUrl),
        QueueModule.forRoot(config, { consume: false }),
        ThrottlerModule.forRoot({
          errorMessage: 'Too many sign-in attempts; wait a minute and try again',
          throttlers: [
            {
              name: 'login',
              ttl: config.env.LOGIN_THROTTLE_TTL_SECONDS * 1000,
              limit: config.env.LOGIN_THROTTLE_LIMIT,
              // One budget per client address across both sign-in routes.
              generateKey: (_ctx, tracker, name) => `${name}:${tracker}`,
            },
          ],
        }),
        TerminusModule.forRoot({ logger: false }),
        // Uploads stream to disk (never memory) in the import directory workers share.
        MulterModule.register({
          storage: diskStorage({
            destination: (_req, _file, done) => {
              mkdirSync(config.importDir, { recursive: true, mode: 0o700 });
              done(null, config.importDir);
            },
            filename: (_req, _file, done) => done(null, `${randomUUID()}.upload`),
          }),
          limits: { fileSize: config.env.UPLOAD_MAX_MB * 1024 * 1024, files: 3 },
        }),
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
      controllers: [
        AuthController,
        UsersController,
        PracticesController,
        AdminController,
        PrivacyController,
        HealthController,
        ImportsController,
        ImportFieldsController,
        PatientsController,
        DuplicatesController,
        MappingProfilesController,
        CampaignCatalogueController,
        DispositionsController,
        ReportsController,
        QualityController,
        EscalationsController,
        TransfersController,
        IdentityController,
        CampaignsController,
        ContactsController,
        CyclesController,
        QueueController,
      ],
      providers: [
        // First: notes the route's audit declaration, so a refusal by the session guard is audited.
        { provide: APP_GUARD, useClass: AuditContextGuard },
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_GUARD, useClass: PracticeAccessGuard },
        // Filters are tried last-registered first: this catch-all only sees what the others leave.
        { provide: APP_FILTER, useClass: DatabaseUnavailableFilter },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        { provide: APP_FILTER, useClass: AuditDeniedFilter },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
    };
  }
}
