import { DataSourceOptions } from 'typeorm';
import { entities, migrations } from './schema';

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
    extra: { max: 10, application_name: 'recall' },
    ...extra,
  } as DataSourceOptions;
}
