import { DomainError } from '@recall/core';

/**
 * What a supervisor scores on a reviewed call: the playbook's audit factors (call opening,
 * probing, empathy, resolution, script adherence, closing, compliance), each 1–5, plus the
 * disposition's accuracy. The call's QA score is the mean of the seven.
 */
export const QA_CRITERIA = [
  { key: 'opening', column: 'opening', label: 'Call opening' },
  { key: 'probing', column: 'probing', label: 'Probing' },
  { key: 'empathy', column: 'empathy', label: 'Empathy' },
  { key: 'resolution', column: 'resolution', label: 'Resolution' },
  { key: 'scriptAdherence', column: 'script_adherence', label: 'Script adherence' },
  { key: 'closing', column: 'closing', label: 'Call closing' },
  { key: 'compliance', column: 'compliance', label: 'Compliance' },
] as const;
export type QaCriterion = (typeof QA_CRITERIA)[number]['key'];

export const QA_SCALE = { min: 1, max: 5 } as const;
export const QA_SCALE_LABELS: Record<number, string> = {
  1: 'Poor',
  2: 'Needs work',
  3: 'Meets the standard',
  4: 'Good',
  5: 'Excellent',
};

export type QaScores = Record<QaCriterion, number>;

export interface QaScoreInput {
  scores: Partial<Record<string, unknown>>;
  /** Was the disposition code the right one for the call? */
  codeCorrect: unknown;
  /** Was the appointment booked as the notes say? Only for calls with an appointment. */
  appointmentCorrect?: unknown;
  comments?: unknown;
}

export interface ValidScore {
  scores: QaScores;
  codeCorrect: boolean;
  appointmentCorrect: boolean | null;
  comments: string | null;
  /** The mean of the criteria, two decimals. */
  score: number;
}

export const MAX_COMMENTS = 4000;

/** Checks a submitted score sheet; throws `invalid` naming the first field at fault. */
export function validateScores(input: QaScoreInput, call: { hasAppointment: boolean }): ValidScore {
  const given = input.scores ?? {};
  const known = new Set<string>(QA_CRITERIA.map((c) => c.key));
  for (const k of Object.keys(given)) {
    if (!known.has(k)) throw DomainError.invalid(`scores.${k}: not a QA criterion`, { field: `scores.${k}` });
  }
  const scores = {} as QaScores;
  for (const { key, label } of QA_CRITERIA) {
    const v = given[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < QA_SCALE.min || v > QA_SCALE.max) {
      throw DomainError.invalid(`scores.${key}: ${label} needs a whole score from 1 to 5`, {
        field: `scores.${key}`,
      });
    }
    scores[key] = v;
  }
  if (typeof input.codeCorrect !== 'boolean') {
    throw DomainError.invalid('codeCorrect: say whether the disposition code was right', {
      field: 'codeCorrect',
    });
  }
  let appointmentCorrect: boolean | null = null;
  if (call.hasAppointment) {
    if (typeof input.appointmentCorrect !== 'boolean') {
      throw DomainError.invalid(
        'appointmentCorrect: say whether the appointment was booked as the notes say',
        {
          field: 'appointmentCorrect',
        },
      );
    }
    appointmentCorrect = input.appointmentCorrect;
  } else if (input.appointmentCorrect !== undefined && input.appointmentCorrect !== null) {
    throw DomainError.invalid('appointmentCorrect: this call booked no appointment', {
      field: 'appointmentCorrect',
    });
  }
  if (input.comments !== undefined && input.comments !== null && typeof input.comments !== 'string') {
    throw DomainError.invalid('comments: text', { field: 'comments' });
  }
  const comments = typeof input.comments === 'string' ? input.comments.trim() : '';
  if (comments.length > MAX_COMMENTS) {
    throw DomainError.invalid(`comments: at most ${MAX_COMMENTS} characters`, { field: 'comments' });
  }
  return {
    scores,
    codeCorrect: input.codeCorrect,
    appointmentCorrect,
    comments: comments || null,
    score: qaScore(scores),
  };
}

export function qaScore(scores: QaScores): number {
  const total = QA_CRITERIA.reduce((n, c) => n + scores[c.key], 0);
  return Math.round((total / QA_CRITERIA.length) * 100) / 100;
}
