export * from './call-cycle.entity';
export * from './cycle-assignment.entity';
export * from './agent-absence.entity';
export * from './call-start.entity';
