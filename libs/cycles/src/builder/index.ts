export * from './cycle-types';
export {
  assignmentPriority,
  assignmentReason,
  buildCycle,
  rebalanceAbsence,
  type AbsenceMove,
  type RebalanceAbsenceResult,
} from './build-cycle';
export { createRandom, shuffleInPlace, type SeededRandom } from './seeded-random';
