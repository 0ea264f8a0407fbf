export * from './data-source-options';
export * from './database-runtime';
export * from './database-unavailable';
export * from './database.module';
export * from './embedded-postgres';
export * from './practice-scope';
export * from './schema-diff';
export * from './scratch-database';
export { entities, migrations } from './schema';
