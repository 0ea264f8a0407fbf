export * from './entities';
export * from './qa-criteria';
export * from './qa-sampler';
export * from './quality.service';
export * from './quality.module';
