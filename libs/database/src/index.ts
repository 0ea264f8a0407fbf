export * from './data-source-options';
export * from './database-runtime';
export * from './database.module';
export * from './embedded-postgres';
export * from './schema-diff';
export { entities, migrations } from './schema';
