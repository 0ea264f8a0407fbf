import type { StoredPhone } from './entities';

export type NotCallableReason =
  'merged_duplicate' | 'deceased' | 'do_not_call' | 'inactive' | 'no_valid_phone' | 'has_next_appointment';

export const NOT_CALLABLE_TEXT: Record<NotCallableReason, string> = {
  merged_duplicate: 'merged into another patient record',
  deceased: 'deceased',
  do_not_call: 'on the do-not-call list',
  inactive: 'marked inactive in the EMR',
  no_valid_phone: 'no valid phone number',
  has_next_appointment: 'already has an upcoming appointment',
};

export interface CallabilityInput {
  mergedIntoId: string | null;
  deceased: boolean;
  doNotCallAt: Date | string | null;
  inactive: boolean;
  phones: StoredPhone[];
  nextAppointmentOn: string | null;
}

/** Why a patient may or may not be called; every campaign and queue applies the same rule. */
export function callability(p: CallabilityInput): {
  callable: boolean;
  reasons: NotCallableReason[];
  explanation: string;
} {
  const reasons: NotCallableReason[] = [];
  if (p.mergedIntoId) reasons.push('merged_duplicate');
  if (p.deceased) reasons.push('deceased');
  if (p.doNotCallAt) reasons.push('do_not_call');
  if (p.inactive) reasons.push('inactive');
  if (!p.phones.some((ph) => ph.valid)) reasons.push('no_valid_phone');
  if (p.nextAppointmentOn) reasons.push('has_next_appointment');
  return {
    callable: reasons.length === 0,
    reasons,
    explanation:
      reasons.length === 0
        ? 'callable'
        : `not callable: ${reasons.map((r) => NOT_CALLABLE_TEXT[r]).join('; ')}`,
  };
}
