/**
 * Shapes of the dispositions, workspace card, escalations and do-not-call API as the server
 * sends them; they mirror libs/dispositions, which the browser does not import. Also the
 * time-zone arithmetic the pickers need (a wall clock in the patient's or the practice's zone).
 */
import type { CallIdentity } from './identity-types';
import type { StoredPhone, VisitStatus } from './records';

export * from './identity-types';

export interface DispositionSpec {
  code: string;
  label: string;
  /** The workspace's keyboard key: one lower-case letter. */
  key: string;
  terminal: boolean;
  numberLevel: boolean;
  requiresAppointment: boolean;
  requiresCallback: boolean;
  requiresReason: boolean;
  requiresSurvivor: boolean;
  doNotCall: boolean;
}

export interface AttemptView {
  id: string;
  campaignId: string;
  campaignName: string;
  memberId: string;
  agentLogin: string;
  code: string;
  label: string;
  attemptNumber: number | null;
  phone: string | null;
  endedAt: string;
  handleSeconds: number | null;
  appointmentAt: string | null;
  callbackAt: string | null;
  reason: string | null;
  remarks: string | null;
  supersededBy: string | null;
  source: string;
}

/** A stored phone as the card shows it: `bad` when a call found it wrong or disconnected. */
export type CardPhone = StoredPhone & { bad?: 'WNUM' | 'DCONN' };

export interface WorkspaceCard {
  member: {
    id: string;
    campaignId: string;
    campaignName: string;
    state: string;
    attempts: number;
    attemptCap: number;
    lastCode: string | null;
    callbackAt: string | null;
    callbackAgentId: string | null;
  };
  patient: {
    id: string;
    mrn: string;
    name: { first: string | null; last: string | null };
    birthDate: string | null;
    state: string | null;
    zip?: string | null;
    timeZone: string;
    /** Valid numbers first, then the bad or invalid ones. */
    phones: CardPhone[];
    lastVisitOn: string | null;
    lastAppointment: { on: string; status: VisitStatus } | null;
    nextAppointmentOn: string | null;
    doNotCall: boolean;
  } | null;
  /** Every attempt on the patient, in every campaign, newest first. */
  attempts: AttemptView[];
  script: string;
  voicemail: string;
  /** The identity check of the viewer's current call on this patient. */
  identity: CallIdentity;
  /** Until the check passes: no visits, reasons or remarks (the server leaves them out). */
  redacted: boolean;
}

export interface DispositionResult {
  attemptId: string;
  code: string;
  attemptNumber: number | null;
  member: {
    id: string;
    state: string;
    attempts: number;
    attemptCap: number;
    notBefore: string | null;
    callbackAt: string | null;
  };
  nextNumber: string | null;
  markedBad: string | null;
  escalations: { category: string; reason: string; excerpt: string | null }[];
  replayed: boolean;
}

export interface RedFlag {
  category: string;
  phrase: string;
  match: string;
  excerpt: string;
}

export const ESCALATION_CATEGORY_LABELS: Record<string, string> = {
  legal: 'Legal',
  complaint: 'Complaint',
  social: 'Social media',
  financial: 'Financial',
  executive: 'Executive',
  threat: 'Threat',
  do_not_contact: 'Do not contact',
  repeated_contact: 'Reached 3+ times',
  callback_ticket: 'Ticket from an agent',
  transfer_callback: 'Callback: transfer queue unavailable',
};

export function categoryLabel(category: string): string {
  return ESCALATION_CATEGORY_LABELS[category] ?? category;
}

export interface EscalationView {
  id: string;
  category: string;
  reason: string;
  excerpt: string | null;
  status: 'open' | 'resolved';
  createdAt: string;
  patientId: string | null;
  mrn: string | null;
  patientName: string | null;
  campaignId: string | null;
  campaignName: string | null;
  agentLogin: string | null;
  resolvedAt: string | null;
  resolution: string | null;
}

export interface DoNotCallEntry {
  patientId: string;
  mrn: string;
  name: string;
  since: string;
  reason: string;
}

// Time zones ------------------------------------------------------------------------------------

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wallClock(instant: number, zone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The `datetime-local` value ("2026-06-15T14:00") an instant reads as on `zone`'s clock. */
export function toWallInput(instant: number, zone: string): string {
  const w = wallClock(instant, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The instant a wall-clock time ("2026-06-15T14:00") names in `zone`, or null when it is not a
 * date-time or does not exist there (the hour the clocks skip). The server decides the same way;
 * this is for showing the agent what the time is elsewhere before saving.
 */
export function wallToInstant(wall: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(wall);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const w = wallClock(guess, zone);
    const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - guess;
    guess = asUtc - offset;
  }
  return toWallInput(guess, zone) === wall.slice(0, 16) ? guess : null;
}

/** "Mon 15 Jun, 2:00 PM CDT" on `zone`'s clock. */
export function zonedTime(instant: number | string, zone: string | undefined, withDay = true): string {
  const date = new Date(instant);
  const options: Intl.DateTimeFormatOptions = {
    timeZone: zone,
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  };
  if (withDay) Object.assign(options, { weekday: 'short', day: 'numeric', month: 'short' });
  try {
    return date.toLocaleString(undefined, options);
  } catch {
    return date.toLocaleString(undefined, { ...options, timeZone: undefined });
  }
}

/** "Jun 15, 2026, 10:00 AM CDT" on `zone`'s clock: for lists that span more than this week. */
export function zonedStamp(instant: string | null, zone: string | undefined): string {
  if (!instant) return '—';
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  };
  try {
    return new Date(instant).toLocaleString(undefined, { ...options, timeZone: zone });
  } catch {
    return new Date(instant).toLocaleString(undefined, options);
  }
}

/** A zone name for people: "America/Chicago" → "Chicago". */
export function zoneCity(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}
