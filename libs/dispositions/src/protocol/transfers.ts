/**
 * The transfer directory (protocols 000, 001): which groups an agent may transfer to, which
 * fit the situation, whether a group is open now, and the scripts to read. Pure rules.
 */
import { DateTime } from 'luxon';
import { RED_FLAG_CATEGORIES } from '../red-flags';

export interface TransferHours {
  /** ISO weekdays (1 = Monday … 7 = Sunday). */
  days: number[];
  /** Local "HH:MM", in `timeZone` (default: the practice's). */
  open: string;
  close: string;
  timeZone?: string;
}

export interface TransferGroupRule {
  id: string;
  name: string;
  whenToTransfer: string;
  phone: string;
  extension: string | null;
  hours: TransferHours | null;
  allowedRoles: string[];
  situations: string[];
  active: boolean;
}

export const TRANSFER_KINDS = ['warm', 'blind'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];
export const TRANSFER_OUTCOMES = ['connected', 'no_answer', 'declined', 'unavailable'] as const;
export type TransferOutcome = (typeof TRANSFER_OUTCOMES)[number];

/** Roles that take calls, so may transfer them; "not as a level 1" leaves out `agent`. */
export const TRANSFER_ROLES = ['agent', 'manager', 'admin'] as const;

/**
 * What a call is about, as the workspace knows it: the red-flag categories its remarks raised,
 * a hot call, a patient reached three times, and the protocol-001 escalation routes.
 */
export const TRANSFER_SITUATIONS = [
  ...RED_FLAG_CATEGORIES,
  'repeated_contact',
  'hot_call',
  'supervisor_payment',
  'supervisor_other',
  'billing',
  'clinical',
] as const;
export type TransferSituation = (typeof TRANSFER_SITUATIONS)[number];

export const TRANSFER_SITUATION_LABELS: Readonly<Record<TransferSituation, string>> = {
  legal: 'Legal threat',
  complaint: 'Complaint',
  social: 'Social media',
  financial: 'Money or fraud',
  executive: 'Asks for an executive',
  threat: 'Threat',
  do_not_contact: 'Asks not to be contacted',
  repeated_contact: 'Reached 3+ times',
  hot_call: 'Hot call',
  supervisor_payment: 'Asks for a supervisor (payment, statement)',
  supervisor_other: 'Asks for a supervisor (not payment)',
  billing: 'Billing question',
  clinical: 'Clinical question',
};

export function isTransferSituation(value: string): value is TransferSituation {
  return (TRANSFER_SITUATIONS as readonly string[]).includes(value);
}

/** A call takes transfers until its attempt is saved, for as long as a disposition may still find it. */
export const CALL_IN_PROGRESS_HOURS = 4;

/** Protocol 000 waits a total of one minute for the receiving rep. */
export const WARM_TRANSFER_WAIT_SECONDS = 60;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function validateHours(hours: TransferHours | null): string | null {
  if (hours === null) return null;
  if (typeof hours !== 'object' || Array.isArray(hours)) return 'hours: an object with days, open and close';
  if (
    !Array.isArray(hours.days) ||
    !hours.days.length ||
    hours.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)
  ) {
    return 'hours.days: ISO weekdays 1 (Monday) to 7 (Sunday)';
  }
  if (!HHMM.test(hours.open ?? '') || !HHMM.test(hours.close ?? '')) return 'hours.open/close: "HH:MM"';
  if (hours.open >= hours.close) return 'hours.close: after hours.open';
  if (
    hours.timeZone !== undefined &&
    (typeof hours.timeZone !== 'string' || !DateTime.local().setZone(hours.timeZone).isValid)
  )
    return 'hours.timeZone: not a time zone';
  return null;
}

/** Open at `now`: inside its hours on one of its days (no hours = always). */
export function isGroupOpen(
  group: Pick<TransferGroupRule, 'hours' | 'active'>,
  now: Date,
  practiceZone: string,
): boolean {
  if (!group.active) return false;
  const h = group.hours;
  if (!h) return true;
  const local = DateTime.fromJSDate(now, { zone: h.timeZone ?? practiceZone });
  if (!h.days.includes(local.weekday)) return false;
  const hhmm = local.toFormat('HH:mm');
  return hhmm >= h.open && hhmm < h.close;
}

export function mayTransferTo(group: Pick<TransferGroupRule, 'allowedRoles'>, role: string): boolean {
  return group.allowedRoles.includes(role);
}

export interface TransferOption extends TransferGroupRule {
  open: boolean;
  /** It lists one of the call's situations (red-flag categories, "supervisor request", …). */
  suggested: boolean;
}

/** The groups the agent may use, the ones fitting the call's situations first, then by name. */
export function transferOptions(
  groups: readonly TransferGroupRule[],
  role: string,
  situations: readonly string[],
  now: Date,
  practiceZone: string,
): TransferOption[] {
  return groups
    .filter((g) => g.active && mayTransferTo(g, role))
    .map((g) => ({
      ...g,
      open: isGroupOpen(g, now, practiceZone),
      suggested: g.situations.some((s) => situations.includes(s)),
    }))
    .sort((a, b) => Number(b.suggested) - Number(a.suggested) || a.name.localeCompare(b.name));
}

/**
 * What a transfer records: a closed group is "unavailable" whatever the agent chose (the agent
 * files a callback ticket instead); a blind transfer follows a warm one nobody answered, with
 * the caller's permission.
 */
export function transferDecision(
  group: Pick<TransferGroupRule, 'hours' | 'active' | 'allowedRoles' | 'name'>,
  role: string,
  kind: TransferKind,
  outcome: TransferOutcome,
  now: Date,
  practiceZone: string,
):
  | { ok: true; outcome: TransferOutcome; fileTicket: boolean }
  | { ok: false; status: 'forbidden' | 'invalid'; message: string } {
  if (!mayTransferTo(group, role)) {
    return {
      ok: false,
      status: 'forbidden',
      message: `groupId: ${group.name} does not take transfers from the ${role} role`,
    };
  }
  if (!group.active) return { ok: false, status: 'invalid', message: `groupId: ${group.name} is archived` };
  if (!isGroupOpen(group, now, practiceZone)) return { ok: true, outcome: 'unavailable', fileTicket: true };
  if (outcome === 'unavailable') return { ok: true, outcome, fileTicket: true };
  if (kind === 'blind' && outcome === 'no_answer') {
    return {
      ok: false,
      status: 'invalid',
      message: 'outcome: a blind transfer is not answered by the agent; record connected or declined',
    };
  }
  return { ok: true, outcome, fileTicket: false };
}

export interface TransferScripts {
  toCaller: string;
  toRep: string;
  noAnswer: string;
  steps: string[];
}

/** Protocol 000's warm-transfer script, filled in. */
export function transferScripts(input: {
  groupName: string;
  topic: string;
  agentName: string;
}): TransferScripts {
  const topic = input.topic.trim() || '______';
  return {
    toCaller: `Since this is a question regarding ${topic}, I will need to transfer you to a ${input.groupName} representative. I'll speak to them first, so you won't have to repeat that information again.`,
    toRep: `Hi, ____. This is ${input.agentName}. I have a patient on the line calling regarding ${topic}.`,
    noAnswer:
      'Hi, ____. Are you still there? Thank you for holding. It looks like they are currently experiencing higher than usual call volumes. Do you mind if I transfer you without speaking to them first?',
    steps: [
      'Tell the caller why and that you will speak to the rep first.',
      `Wait a total of ${WARM_TRANSFER_WAIT_SECONDS / 60} minute for a rep to answer.`,
      'No answer: cancel the transfer and return to the caller.',
      'Ask permission to transfer without speaking to them first.',
      'With permission, blind transfer the call.',
    ],
  };
}

export interface TransferGroupInput {
  name: string;
  whenToTransfer: string;
  phone: string;
  extension: string | null;
  hours: TransferHours | null;
  allowedRoles: string[];
  situations: string[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/**
 * A directory entry as a manager sends it (all of it on create, any part on update, merged
 * over the stored one by the caller): named, reachable (a phone or an extension), open at
 * valid hours, open to at least one role, for known situations.
 */
export function parseTransferGroup(input: TransferGroupInput): Parsed<TransferGroupInput> {
  const name = input.name.trim();
  if (!name || name.length > 100) return bad('name', 'name: 1 to 100 characters');
  const phone = input.phone.trim();
  const extension = input.extension?.trim() || null;
  if (!phone && !extension) return bad('phone', 'phone: a phone number or an extension to dial');
  if (phone && !/^[+\d][\d ().\-/]{1,39}$/.test(phone))
    return bad('phone', 'phone: digits, spaces, ( ) . - / and a leading +');
  if (extension && !/^[\d*#]{1,10}$/.test(extension)) return bad('extension', 'extension: up to 10 digits');
  const hoursProblem = validateHours(input.hours);
  if (hoursProblem) return bad('hours', hoursProblem);
  const roles = [...new Set(input.allowedRoles)];
  const unknownRole = roles.find((r) => !(TRANSFER_ROLES as readonly string[]).includes(r));
  if (unknownRole)
    return bad('allowedRoles', `allowedRoles: ${unknownRole} is not one of ${TRANSFER_ROLES.join(', ')}`);
  if (!roles.length) return bad('allowedRoles', 'allowedRoles: at least one role may transfer here');
  const situations = [...new Set(input.situations)];
  const unknown = situations.find((s) => !isTransferSituation(s));
  if (unknown)
    return bad('situations', `situations: ${unknown} is not one of ${TRANSFER_SITUATIONS.join(', ')}`);
  return {
    ok: true,
    value: {
      name,
      whenToTransfer: input.whenToTransfer.trim(),
      phone,
      extension,
      hours: input.hours && {
        days: [...new Set(input.hours.days)].sort((a, b) => a - b),
        open: input.hours.open,
        close: input.hours.close,
        ...(input.hours.timeZone ? { timeZone: input.hours.timeZone } : {}),
      },
      allowedRoles: TRANSFER_ROLES.filter((r) => roles.includes(r)),
      situations: TRANSFER_SITUATIONS.filter((s) => situations.includes(s)),
    },
  };
}

function bad(field: string, message: string): { ok: false; field: string; message: string } {
  return { ok: false, field, message };
}

/**
 * Protocol 000: "always warm transfer"; a blind transfer only after a warm one to the same
 * group went unanswered (the agent returned to the caller and asked permission). Null: allowed.
 */
export function blindTransferProblem(
  earlier: readonly { groupId: string; kind: TransferKind; outcome: TransferOutcome }[],
  groupId: string,
): string | null {
  const unanswered = earlier.some(
    (t) => t.groupId === groupId && t.kind === 'warm' && t.outcome === 'no_answer',
  );
  return unanswered
    ? null
    : 'kind: a blind transfer follows a warm transfer to the same group that nobody answered (ask the caller first)';
}
