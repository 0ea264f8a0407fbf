export * from './call-model';
export * from './demo-export';
export * from './demo-simulator';
export * from './seeded-draw';
export * from './simulation-params';
export * from './demo-summary';
