export * from './patient-import.entity';
export * from './import-issue.entity';
export * from './mapping-profile.entity';
