/**
 * Shapes of the cycles and queue API as the server sends them; they mirror libs/cycles
 * (cycles.service.ts, queue.service.ts, windows/calling-window.ts), which the browser does not import.
 */
import type { StoredPhone } from './records';

export type AssignmentReason = 'callback' | 'retry' | 'carried' | 'new';

export const ASSIGNMENT_REASON_LABELS: Record<AssignmentReason, string> = {
  callback: 'Callback promised',
  retry: 'Retry due',
  carried: 'Carried over',
  new: 'New',
};

export function reasonLabel(reason: string): string {
  return ASSIGNMENT_REASON_LABELS[reason as AssignmentReason] ?? reason;
}

export interface CycleAgentSummary {
  agentId: string;
  /** The agent's login. */
  agent: string;
  displayName: string;
  assigned: number;
  done: number;
}

export interface CycleSummary {
  cycleId: string;
  campaignId: string;
  seq: number;
  /** Practice-local YYYY-MM-DD. */
  start: string;
  end: string;
  /** The cycle's working days, YYYY-MM-DD. */
  days: string[];
  seed: number;
  status: 'open' | 'closed';
  agents: CycleAgentSummary[];
  /** Callable members that did not fit this cycle's capacity. */
  backlog: number;
  /** Assignments moved to another agent (absences). */
  moved: number;
  createdAt: string;
}

export interface CycleAssignmentRow {
  id: string;
  agentId: string;
  agent: string;
  dueOn: string;
  reason: AssignmentReason | string;
  state: string;
  /** Login of the agent the item was moved from, when an absence moved it. */
  movedFromAgent: string | null;
  memberId: string;
  mrn: string | null;
  name: string;
}

export interface Absence {
  id: string;
  userId: string;
  login: string;
  from: string;
  to: string;
  reason: string | null;
}

export interface AbsenceResult {
  absenceId: string;
  moved: number;
}

export type QueueSection = 'callback' | 'open' | 'later';

export interface CallingWindow {
  open: boolean;
  /** Why the window is closed (the first rule that refuses), null when open. */
  reason: string | null;
  /** When closed: the next instant it opens (ISO, UTC). */
  opensAt: string | null;
  /** When open: the instant it closes (ISO, UTC). */
  closesAt: string | null;
  /** The instant on the patient's clock, e.g. "7:42 AM CST". */
  patientLocal: string;
}

export interface QueueItem {
  assignmentId: string;
  campaignId: string;
  campaignName: string;
  memberId: string;
  patientId: string | null;
  contactId: string | null;
  mrn: string | null;
  name: string;
  birthDate: string | null;
  phones: StoredPhone[];
  timeZone: string | null;
  state: string | null;
  dueOn: string;
  reason: AssignmentReason | string;
  priority: number;
  attempts: number;
  attemptCap: number;
  lastCode: string | null;
  callbackAt: string | null;
  section: QueueSection;
  window: CallingWindow;
  /** When the window opens, formatted in the practice's (agent's) and the patient's local time. */
  opensAtLocal: { practice: string; patient: string } | null;
}

export interface Queue {
  agentId: string;
  date: string;
  now: string;
  items: QueueItem[];
}

export interface CallStart {
  callStartId: string;
  dial: string;
  tel: string;
  startedAt: string;
}

/** Today (YYYY-MM-DD) on the clock of `timeZone`; the browser's own zone when it is not given. */
export function localToday(timeZone?: string | null, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timeZone ?? undefined,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      now,
    );
  }
}

/** A practice-local calendar day ("2026-06-15") for display, without shifting it through UTC. */
export function dayLabel(day: string | null | undefined): string {
  if (!day) return '—';
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Date(y, m - 1, d).toLocaleDateString(undefined, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
}

/** Whole years between a birth date and a day, both YYYY-MM-DD; null when unknown. */
export function ageOn(birthDate: string | null, day: string): number | null {
  if (!birthDate) return null;
  const [by, bm, bd] = birthDate.slice(0, 10).split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  if (!by || !bm || !bd || !y || !m || !d) return null;
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
