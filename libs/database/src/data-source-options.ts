import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { SafeQueryLogger } from './query-logger';
import { entities, migrations } from './schema';

// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' instead of a Date at
// local midnight (which shifts a birth date by a day in western time zones).
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: ['error'],
    logger: new SafeQueryLogger(),
    extra: { max: 10, application_name: 'recall' },
    ...extra,
  } as DataSourceOptions;
}
