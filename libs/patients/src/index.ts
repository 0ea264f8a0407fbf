export * from './entities';
export * from './callability';
export * from './bad-numbers';
export * from './patients.service';
export * from './duplicates.service';
export * from './patients.module';
