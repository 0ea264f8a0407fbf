export * from './config.schema';
export * from './recall-config';
export * from './config.module';
export * from './input-limits';
