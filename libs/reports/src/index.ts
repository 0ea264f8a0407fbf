export * from './entities';
export * from './rollup-sql';
export * from './refresh.service';
export * from './reports.service';
export * from './reports.module';
