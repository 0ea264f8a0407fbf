export * from './practice.entity';
export * from './user.entity';
export * from './session.entity';
