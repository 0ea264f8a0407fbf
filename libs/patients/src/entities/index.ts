export * from './patient.entity';
export * from './visit.entity';
export * from './duplicate-candidate.entity';
