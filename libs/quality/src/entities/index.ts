export * from './qa.entity';
