/**
 * Shapes of the QA API (libs/quality, `…/qa/…`) as the server sends them: the daily samples,
 * the review queue, a review with its call, and the criteria a supervisor scores.
 */

export type QaReviewState = 'pending' | 'scored';

export interface QaCriteria {
  items: { key: string; label: string }[];
  scale: { min: number; max: number };
  labels: Record<string, string>;
}

export interface QaSettings {
  sampleShare: number;
}

export interface QaSampleView {
  sampleId: string;
  day: string;
  seed: number;
  share: number;
  contacts: number;
  sampled: number;
  createdAt: string;
  created?: boolean;
  agents?: { agentId: string; agent: string; contacts: number; sampled: number }[];
}

export interface QaReviewSummary {
  id: string;
  state: QaReviewState;
  source: 'sample' | 'pick';
  attemptId: string;
  day: string;
  endedAt: string;
  agentId: string;
  agent: string;
  agentName: string;
  campaignName: string;
  code: string;
  mrn: string | null;
  patientName: string | null;
  score: number | null;
  reviewer: string | null;
  scoredAt: string | null;
  createdAt: string;
}

export interface QaReviewDetail extends QaReviewSummary {
  scores: Record<string, number>;
  codeCorrect: boolean | null;
  appointmentCorrect: boolean | null;
  comments: string | null;
  sample: { day: string; seed: number; share: number } | null;
  attempt: {
    id: string;
    code: string;
    codeLabel: string;
    attemptNumber: number | null;
    phone: string | null;
    startedAt: string | null;
    endedAt: string;
    handleSeconds: number | null;
    appointmentAt: string | null;
    callbackAt: string | null;
    reason: string | null;
    remarks: string | null;
  };
}

export interface QaCall {
  attemptId: string;
  endedAt: string;
  agent: string;
  campaignName: string;
  code: string;
  contact: boolean;
  mrn: string | null;
  patientName: string | null;
  reviewId: string | null;
  reviewState: QaReviewState | null;
}

/** A QA score (1–5, two decimals) as "4.25 / 5". */
export function scoreText(score: number | null | undefined): string {
  return typeof score === 'number' ? `${score.toFixed(2)} / 5` : '—';
}

/** 125 → "2:05". */
export function duration(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number') return '—';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
