import type { TargetRule } from '../campaign-types';

/** What the evaluation knows of one patient, as it returns it. */
export interface TargetFacts {
  last_seen_on: string | null;
  last_appt_on: string | null;
  last_appt_status: string | null;
  next_appt_on: string | null;
  age?: number | null;
  in_target: boolean;
}

const STATUS_TEXT: Record<string, string> = {
  no_show: 'a no-show',
  cancelled: 'cancelled',
  completed: 'completed',
  unknown: 'of unknown status',
};

/** "The rule wants X; this patient has Y", in words a manager reads without the SQL. */
export function describeTarget(rule: TargetRule, f: TargetFacts): string {
  const wants: string[] = [];
  const has: string[] = [];
  if (rule.lastEncounterMonths) {
    wants.push(`last seen ${rule.lastEncounterMonths.min}–${rule.lastEncounterMonths.max} months ago`);
    has.push(f.last_seen_on ? `last seen ${f.last_seen_on}` : 'never seen');
  }
  if (rule.lastAppointment) {
    wants.push(
      `last appointment ${STATUS_TEXT[rule.lastAppointment.status]} within ${rule.lastAppointment.withinDays} days, not rebooked`,
    );
    has.push(
      f.last_appt_on
        ? `last appointment ${f.last_appt_on} ${STATUS_TEXT[f.last_appt_status ?? 'unknown'] ?? f.last_appt_status}`
        : 'no past appointment',
    );
    if (f.next_appt_on) has.push(`rebooked for ${f.next_appt_on}`);
  }
  if (rule.neverSeen) {
    wants.push('never seen');
    has.push(f.last_seen_on ? `last seen ${f.last_seen_on}` : 'never seen');
  }
  if (rule.completedVisitWithinDays !== undefined) {
    wants.push(`a visit within the last ${rule.completedVisitWithinDays} days`);
    has.push(f.last_seen_on ? `last seen ${f.last_seen_on}` : 'never seen');
  }
  if (rule.lostAtLeastDaysAgo !== undefined) {
    wants.push(`LOST in another campaign at least ${rule.lostAtLeastDaysAgo} days ago`);
  }
  const filters: string[] = [];
  if (rule.providers?.length) filters.push(`provider ${rule.providers.join('/')}`);
  if (rule.locations?.length) filters.push(`location ${rule.locations.join('/')}`);
  if (rule.states?.length) filters.push(`state ${rule.states.join('/')}`);
  if (rule.ageMin !== undefined || rule.ageMax !== undefined) {
    filters.push(`age ${rule.ageMin ?? 0}–${rule.ageMax ?? '∞'}`);
    has.push(f.age === null || f.age === undefined ? 'age unknown' : `age ${f.age}`);
  }
  if (rule.contactCategory) {
    const category = rule.contactCategory.replace('_', ' ');
    wants.push(`${/^[aeiou]/.test(category) ? 'an' : 'a'} ${category} contact`);
  }
  const target = [...wants, ...filters].join(', ') || 'everyone';
  const facts = has.length ? `; this one: ${has.join(', ')}` : '';
  return `${f.in_target ? 'in the target' : 'outside the target'} (${target})${facts}`;
}
