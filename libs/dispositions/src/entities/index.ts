export * from './call-attempt.entity';
export * from './bad-number.entity';
export * from './escalation.entity';
export * from './call-protocol.entity';
