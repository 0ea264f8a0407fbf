export * from './clock';
export * from './domain-error';
export * from './roles';
export * from './request-context';
export * from './logging';
export * from './repo-root';
