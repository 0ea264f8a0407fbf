export * from './disposition-codes';
export * from './next-step';
export * from './red-flags';
