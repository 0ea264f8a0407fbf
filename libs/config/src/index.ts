export * from './config.schema';
export * from './recall-config';
export * from './config.module';
