export * from './jobs';
export * from './job-queue';
export * from './job-handler.registry';
export * from './in-process-job-queue';
export * from './bull-job-queue';
export * from './queue.module';
