import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { installPracticeScope } from './practice-scope';

const PRACTICE_SCOPE = Symbol('PRACTICE_SCOPE');

/** The one data source of the app, connected to a URL resolved before Nest boots. */
@Module({})
export class DatabaseModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url), migrationsRun: false })],
      // Every connection carries the current practice for row-level security.
      providers: [
        {
          provide: PRACTICE_SCOPE,
          inject: [getDataSourceToken()],
          useFactory: (ds: DataSource) => installPracticeScope(ds),
        },
      ],
      exports: [TypeOrmModule],
    };
  }
}
