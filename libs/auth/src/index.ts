export * from './entities';
export * from './auth-user';
export * from './password';
export * from './auth.service';
export * from './practices.service';
export * from './sessions.service';
export * from './users.service';
export * from './auth.module';
