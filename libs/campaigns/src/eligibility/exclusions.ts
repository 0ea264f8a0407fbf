/**
 * Why a candidate of a campaign is not called. Each reason is counted separately (a patient
 * may have several); the order is the order the breakdown shows them in.
 */
export const EXCLUSION_REASONS = [
  'do_not_call',
  'deceased',
  'inactive',
  'no_valid_phone',
  'upcoming_appointment',
  'other_campaign',
  'attempts_exhausted',
  'finished_in_campaign',
  'booked_since_import',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** Reasons that apply to partner and community contacts (they have no EMR history). */
export const CONTACT_EXCLUSION_REASONS: readonly ExclusionReason[] = [
  'do_not_call',
  'no_valid_phone',
  'attempts_exhausted',
  'finished_in_campaign',
];

export const EXCLUSION_LABELS: Record<ExclusionReason, string> = {
  do_not_call: 'On the do-not-call list',
  deceased: 'Deceased',
  inactive: 'Inactive in the EMR',
  no_valid_phone: 'No valid phone number',
  upcoming_appointment: 'Appointment coming up',
  other_campaign: 'Active in another campaign',
  attempts_exhausted: 'Attempts exhausted',
  finished_in_campaign: 'Already finished in this campaign',
  booked_since_import: 'Booked since the last import',
};

export function isExclusionReason(value: string): value is ExclusionReason {
  return (EXCLUSION_REASONS as readonly string[]).includes(value);
}
