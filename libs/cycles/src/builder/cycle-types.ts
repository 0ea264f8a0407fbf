/** A campaign member the cycle may assign, as the builder sees it (ids and dates only). */
export interface CycleMember {
  memberId: string;
  /** Members sharing a household key (their best valid phone) go to one agent on one day. */
  householdKey: string | null;
  attempts: number;
  /** The agent who had the member in the previous cycle, if any. */
  previousAgentId: string | null;
  /** A promised callback: it stays with that agent, due on that practice-local day. */
  callback: { agentId: string; dueOn: string } | null;
  /** Earliest practice-local day the member may be called (the retry delay of the last disposition). */
  notBefore: string | null;
  /** The day the member became due (enrolment or end of the retry delay): earlier = more overdue. */
  dueSince: string;
}

export interface CycleAgent {
  agentId: string;
  callsPerDay: number;
  /** Practice-local days (YYYY-MM-DD) inside the cycle the agent does not work. */
  absentDays: string[];
}

export interface BuildCycleInput {
  members: CycleMember[];
  agents: CycleAgent[];
  /** The cycle's working days in order (YYYY-MM-DD, practice-local). */
  days: string[];
  seed: number;
}

export type AssignmentReason = 'callback' | 'retry' | 'carried' | 'new';

export interface CycleAssignment {
  memberId: string;
  agentId: string;
  dueOn: string;
  reason: AssignmentReason;
  /** 1 = callbacks, 2 = retries due, 3 = the rest (most overdue first within it). */
  priority: number;
}

export interface BuildCycleResult {
  assignments: CycleAssignment[];
  /** Members left for the next cycle because capacity ran out, in priority order. */
  backlog: string[];
}
