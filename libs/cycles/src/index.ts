export * from './entities';
// The builder's plain assignment is exported as PlannedAssignment: CycleAssignment is the entity.
export {
  buildCycle,
  assignmentPriority,
  rebalanceAbsence,
  type BuildCycleInput,
  type BuildCycleResult,
  type CycleAgent,
  type CycleMember,
  type CycleAssignment as PlannedAssignment,
} from './builder';
export * from './windows';
export * from './sheets';
export * from './cycle-days';
export * from './cycles.service';
export * from './queue.service';
export * from './cycles.module';
