import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '@recall/audit';
import { AuthModule } from '@recall/auth';
import { ConfigModule, RecallConfig } from '@recall/config';
import { Clock, pinoParams } from '@recall/core';
import { DatabaseModule } from '@recall/database';
import { QueueModule } from '@recall/queue';
import { LoggerModule } from 'nestjs-pino';
import { AdminController } from './controllers/admin.controller';
import { AuthController } from './controllers/auth.controller';
import { HealthController } from './controllers/health.controller';
import { PracticesController } from './controllers/practices.controller';
import { UsersController } from './controllers/users.controller';
import { DomainErrorFilter } from './http/domain-error.filter';
import { SessionGuard } from './http/session.guard';

export interface ApiModuleOptions {
  config: RecallConfig;
  databaseUrl: string;
  clock?: Clock;
}

@Module({})
export class ApiModule {
  static forRoot({ config, databaseUrl, clock }: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        LoggerModule.forRoot(pinoParams(config.env.LOG_LEVEL)),
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
        AuditModule,
        AuthModule,
      ],
      controllers: [AuthController, UsersController, PracticesController, AdminController, HealthController],
      providers: [
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
      ],
    };
  }
}
