export * from './disposition-codes';
export * from './next-step';
export * from './red-flags';
export * from './entities';
export * from './dispositions.service';
export * from './escalations.service';
export * from './do-not-call.service';
export * from './dispositions.module';
