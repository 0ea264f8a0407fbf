import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { Clock, DomainError, Role } from '@recall/core';
import {
  ATTEMPT_VIEW_SQL,
  codesWith,
  DISPOSITIONS,
  toAttemptView,
  type AttemptView,
} from '@recall/dispositions';
import { DateTime } from 'luxon';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { QaReviewSource, QaReviewState } from './entities';
import { QA_CRITERIA, validateScores, type QaScoreInput, type QaScores } from './qa-criteria';
import { DEFAULT_QA_SHARE, sampleContacts } from './qa-sampler';

const CONTACTS = codesWith('contact');
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface Viewer {
  id: string;
  role: Role;
}

export interface QaSampleResult {
  sampleId: string;
  day: string;
  seed: number;
  share: number;
  contacts: number;
  sampled: number;
  /** False when the day had been sampled already: nothing was added. */
  created: boolean;
  agents: { agentId: string; agent: string; contacts: number; sampled: number }[];
  createdAt: string;
}

export interface QaReviewSummary {
  id: string;
  state: QaReviewState;
  source: QaReviewSource;
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
  scores: Partial<QaScores>;
  codeCorrect: boolean | null;
  appointmentCorrect: boolean | null;
  comments: string | null;
  sample: { day: string; seed: number; share: number } | null;
  attempt: AttemptView & { codeLabel: string };
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

const REVIEW_SQL = `
  SELECT r.*, to_char(a.ended_at AT TIME ZONE pr.timezone, 'YYYY-MM-DD') AS day, a.ended_at, a.code,
         u.login AS agent_login, u.display_name AS agent_name, c.name AS campaign_name, p.mrn,
         nullif(concat_ws(' ', p.first_name, p.last_name), '') AS patient_name, rv.login AS reviewer_login,
         s.day::text AS sample_day, s.seed AS sample_seed, s.share AS sample_share
  FROM qa_review r
  JOIN call_attempt a ON a.id = r.attempt_id
  JOIN practice pr ON pr.id = r.practice_id
  JOIN app_user u ON u.id = r.agent_id
  JOIN campaign c ON c.id = a.campaign_id
  LEFT JOIN patient p ON p.id = a.patient_id
  LEFT JOIN app_user rv ON rv.id = r.reviewer_id
  LEFT JOIN qa_sample s ON s.id = r.sample_id`;

/**
 * QA: the daily random sample of each agent's contacts, the supervisors' review queue and
 * score sheets, and the agents' view of their own scores. The sampler itself is pure
 * (qa-sampler.ts); this service feeds it the day's contacts and stores what it drew.
 */
@Injectable()
export class QualityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async settings(practiceId: string): Promise<{ sampleShare: number }> {
    await this.practice(practiceId);
    const [row] = await this.db.query(`SELECT sample_share FROM qa_setting WHERE practice_id = $1`, [
      practiceId,
    ]);
    return { sampleShare: row ? Number(row.sample_share) : DEFAULT_QA_SHARE };
  }

  async updateSettings(
    practiceId: string,
    input: { sampleShare: unknown },
    by: string | null,
  ): Promise<{ sampleShare: number }> {
    await this.practice(practiceId);
    const share = input.sampleShare;
    if (typeof share !== 'number' || !(share >= 0 && share <= 1)) {
      throw DomainError.invalid('sampleShare: a share from 0 to 1 (0.1 = 10%)', { field: 'sampleShare' });
    }
    const rounded = Math.round(share * 10_000) / 10_000;
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO qa_setting (practice_id, sample_share, updated_by, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (practice_id) DO UPDATE SET sample_share = excluded.sample_share,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        [practiceId, rounded, by, this.clock.nowDate()],
      );
      await this.audit.record(
        {
          action: 'qa.settings',
          practiceId,
          entityType: 'practice',
          entityId: practiceId,
          details: { sampleShare: rounded },
        },
        tx,
      );
    });
    return { sampleShare: rounded };
  }

  /**
   * Samples one practice-local day (default: yesterday) once: a second run for the same day
   * adds nothing and answers the stored sample. Calls a supervisor already picked stay as
   * they are (one review per call).
   */
  async sampleDay(
    practiceId: string,
    opts: { day?: string; seed?: number; by?: string | null } = {},
  ): Promise<QaSampleResult> {
    const { timezone } = await this.practice(practiceId);
    const today = DateTime.fromJSDate(this.clock.nowDate(), { zone: timezone }).startOf('day');
    const day = opts.day ?? today.minus({ days: 1 }).toISODate()!;
    if (!DAY.test(day) || !DateTime.fromISO(day).isValid) {
      throw DomainError.invalid('day: a day, YYYY-MM-DD', { field: 'day' });
    }
    if (day >= today.toISODate()!) {
      throw DomainError.invalid('day: only a day that is over can be sampled', { field: 'day' });
    }
    if (opts.seed !== undefined && (!Number.isSafeInteger(opts.seed) || opts.seed < 0)) {
      throw DomainError.invalid('seed: a whole number ≥ 0', { field: 'seed' });
    }
    const created = await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('qa-sample:' || $1 || ':' || $2))`, [
        practiceId,
        day,
      ]);
      const [existing] = await tx.query(`SELECT id FROM qa_sample WHERE practice_id = $1 AND day = $2`, [
        practiceId,
        day,
      ]);
      if (existing) return false;
      const [setting] = await tx.query(`SELECT sample_share FROM qa_setting WHERE practice_id = $1`, [
        practiceId,
      ]);
      const share = setting ? Number(setting.sample_share) : DEFAULT_QA_SHARE;
      const candidates: { attemptId: string; agentId: string }[] = await tx.query(
        `SELECT a.id AS "attemptId", a.agent_id AS "agentId" FROM call_attempt a
         WHERE a.practice_id = $1 AND a.code = ANY($3)
           AND a.ended_at >= ($2::date::timestamp AT TIME ZONE $4) AND a.ended_at < (($2::date + 1)::timestamp AT TIME ZONE $4)
           AND NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = a.id)`,
        [practiceId, day, CONTACTS, timezone],
      );
      const seed = opts.seed ?? randomInt(0, 2 ** 31);
      const picked = sampleContacts({ candidates, share, seed });
      const [sample] = await tx.query(
        `INSERT INTO qa_sample (practice_id, day, seed, share, contacts, sampled, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          practiceId,
          day,
          seed,
          share,
          candidates.length,
          picked.length,
          opts.by ?? null,
          this.clock.nowDate(),
        ],
      );
      await tx.query(
        `INSERT INTO qa_review (practice_id, attempt_id, agent_id, sample_id, source, created_at)
         SELECT $1, a.id, a.agent_id, $2, 'sample', $4 FROM call_attempt a WHERE a.id = ANY($3::uuid[])
         ON CONFLICT (attempt_id) DO NOTHING`,
        [practiceId, sample.id, picked, this.clock.nowDate()],
      );
      await this.audit.record(
        {
          action: 'qa.sample',
          practiceId,
          entityType: 'qa_sample',
          entityId: sample.id,
          details: { day, seed, share, contacts: candidates.length, sampled: picked.length },
        },
        tx,
      );
      return true;
    });
    return { ...(await this.sample(practiceId, day)), created };
  }

  /** The job: every practice's yesterday, once (run hourly, so it follows each practice's midnight). */
  async sampleDue(): Promise<{ sampled: number; failed: number }> {
    const due: { id: string }[] = await this.db.query(
      `SELECT pr.id FROM practice pr
       WHERE NOT EXISTS (SELECT 1 FROM qa_sample s WHERE s.practice_id = pr.id
                           AND s.day = ($1::timestamptz AT TIME ZONE pr.timezone)::date - 1)
       ORDER BY pr.id`,
      [this.clock.nowDate()],
    );
    let sampled = 0;
    let failed = 0;
    for (const p of due) {
      try {
        if ((await this.sampleDay(p.id)).created) sampled++;
      } catch (error) {
        // One practice's problem must not stop the others'.
        failed++;
        await this.audit.record({
          action: 'qa.sample',
          outcome: 'failure',
          practiceId: p.id,
          entityType: 'practice',
          entityId: p.id,
          details: { error: (error as Error).message },
        });
      }
    }
    return { sampled, failed };
  }

  /** A stored sample with its per-agent counts. */
  async sample(practiceId: string, day: string): Promise<Omit<QaSampleResult, 'created'>> {
    const [s] = await this.db.query(
      `SELECT id, day::text AS day, seed, share, contacts, sampled, created_at FROM qa_sample
       WHERE practice_id = $1 AND day = $2`,
      [practiceId, day],
    );
    if (!s) throw DomainError.notFound('QA sample');
    const { timezone } = await this.practice(practiceId);
    const agents: { agentId: string; agent: string; contacts: number; sampled: number }[] =
      await this.db.query(
        `SELECT a.agent_id AS "agentId", u.login AS agent, count(*)::int AS contacts,
              count(r.id) FILTER (WHERE r.sample_id = $5)::int AS sampled
       FROM call_attempt a JOIN app_user u ON u.id = a.agent_id
       LEFT JOIN qa_review r ON r.attempt_id = a.id
       WHERE a.practice_id = $1 AND a.code = ANY($3)
         AND a.ended_at >= ($2::date::timestamp AT TIME ZONE $4) AND a.ended_at < (($2::date + 1)::timestamp AT TIME ZONE $4)
         AND NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = a.id)
       GROUP BY 1, 2 ORDER BY 2`,
        [practiceId, day, CONTACTS, timezone, s.id],
      );
    return {
      sampleId: s.id,
      day: s.day,
      seed: Number(s.seed),
      share: Number(s.share),
      contacts: s.contacts,
      sampled: s.sampled,
      agents,
      createdAt: s.created_at.toISOString(),
    };
  }

  async samples(practiceId: string, limit = 60): Promise<Omit<QaSampleResult, 'created' | 'agents'>[]> {
    const rows = await this.db.query(
      `SELECT id, day::text AS day, seed, share, contacts, sampled, created_at FROM qa_sample
       WHERE practice_id = $1 ORDER BY day DESC LIMIT $2`,
      [practiceId, Math.min(limit, 500)],
    );
    return rows.map((s: Record<string, never>) => ({
      sampleId: s.id,
      day: s.day,
      seed: Number(s.seed),
      share: Number(s.share),
      contacts: s.contacts,
      sampled: s.sampled,
      createdAt: (s.created_at as Date).toISOString(),
    }));
  }

  /** The supervisors' queue: pending first (oldest call first), or the scored ones (newest first). */
  async queue(
    practiceId: string,
    filter: { state?: QaReviewState | 'all'; agentId?: string; limit?: number } = {},
  ): Promise<QaReviewSummary[]> {
    const state = filter.state ?? 'pending';
    const rows = await this.db.query(
      `${REVIEW_SQL}
       WHERE r.practice_id = $1 AND ($2::text = 'all' OR r.state = $2) AND ($3::uuid IS NULL OR r.agent_id = $3)
       ORDER BY (r.state = 'pending') DESC,
                CASE WHEN r.state = 'pending' THEN a.ended_at END ASC,
                r.scored_at DESC NULLS LAST, a.ended_at DESC
       LIMIT $4`,
      [practiceId, state, filter.agentId ?? null, Math.min(filter.limit ?? 200, 1000)],
    );
    return rows.map(summary);
  }

  /** One review with the call it is about. Agents see only their own calls' scored reviews. */
  async get(practiceId: string, reviewId: string, viewer: Viewer): Promise<QaReviewDetail> {
    const [r] = await this.db.query(`${REVIEW_SQL} WHERE r.practice_id = $1 AND r.id = $2`, [
      practiceId,
      reviewId,
    ]);
    if (!r || (viewer.role === Role.Agent && (r.agent_id !== viewer.id || r.state !== 'scored'))) {
      throw DomainError.notFound('QA review');
    }
    const [a] = await this.db.query(`${ATTEMPT_VIEW_SQL} WHERE a.id = $1`, [r.attempt_id]);
    const attempt = toAttemptView(a);
    return {
      ...summary(r),
      scores: Object.fromEntries(
        QA_CRITERIA.filter((c) => r[c.column] !== null).map((c) => [c.key, r[c.column]]),
      ) as Partial<QaScores>,
      codeCorrect: r.code_correct,
      appointmentCorrect: r.appointment_correct,
      comments: r.comments,
      sample: r.sample_day
        ? { day: r.sample_day, seed: Number(r.sample_seed), share: Number(r.sample_share) }
        : null,
      attempt: { ...attempt, codeLabel: DISPOSITIONS[attempt.code]?.label ?? attempt.code },
    };
  }

  /** A supervisor's score sheet; scoring again replaces the earlier one (both are audited). */
  async score(
    practiceId: string,
    reviewId: string,
    input: QaScoreInput,
    reviewer: Viewer,
  ): Promise<QaReviewDetail> {
    await this.db.transaction(async (tx) => {
      const [r] = await tx.query(
        `SELECT r.id, r.state, r.score, r.agent_id, a.appointment_at FROM qa_review r JOIN call_attempt a ON a.id = r.attempt_id
         WHERE r.practice_id = $1 AND r.id = $2 FOR UPDATE OF r`,
        [practiceId, reviewId],
      );
      if (!r) throw DomainError.notFound('QA review');
      if (r.agent_id === reviewer.id) throw DomainError.forbidden('you cannot score your own call');
      const v = validateScores(input, { hasAppointment: r.appointment_at !== null });
      await tx.query(
        `UPDATE qa_review SET state = 'scored', reviewer_id = $3, scored_at = $4, score = $5, code_correct = $6,
           appointment_correct = $7, comments = $8, ${QA_CRITERIA.map((c, i) => `${c.column} = $${9 + i}`).join(', ')}
         WHERE practice_id = $1 AND id = $2`,
        [
          practiceId,
          reviewId,
          reviewer.id,
          this.clock.nowDate(),
          v.score,
          v.codeCorrect,
          v.appointmentCorrect,
          v.comments,
          ...QA_CRITERIA.map((c) => v.scores[c.key]),
        ],
      );
      await this.audit.record(
        {
          action: 'qa.score',
          practiceId,
          entityType: 'qa_review',
          entityId: reviewId,
          details: {
            score: v.score,
            codeCorrect: v.codeCorrect,
            appointmentCorrect: v.appointmentCorrect,
            rescored: r.state === 'scored',
            previousScore: r.score === null ? null : Number(r.score),
          },
        },
        tx,
      );
    });
    return this.get(practiceId, reviewId, reviewer);
  }

  /** A supervisor picks any call to review; picking a call already queued answers its review. */
  async pick(
    practiceId: string,
    attemptId: string,
    by: string,
  ): Promise<{ reviewId: string; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const [a] = await tx.query(`SELECT id, agent_id FROM call_attempt WHERE practice_id = $1 AND id = $2`, [
        practiceId,
        attemptId,
      ]);
      if (!a) throw DomainError.notFound('call');
      const [inserted] = await tx.query(
        `INSERT INTO qa_review (practice_id, attempt_id, agent_id, source, picked_by, created_at)
         VALUES ($1, $2, $3, 'pick', $4, $5) ON CONFLICT (attempt_id) DO NOTHING RETURNING id`,
        [practiceId, attemptId, a.agent_id, by, this.clock.nowDate()],
      );
      if (!inserted) {
        const [existing] = await tx.query(`SELECT id FROM qa_review WHERE attempt_id = $1`, [attemptId]);
        return { reviewId: existing.id as string, created: false };
      }
      await this.audit.record(
        {
          action: 'qa.pick',
          practiceId,
          entityType: 'qa_review',
          entityId: inserted.id,
          details: { attemptId },
        },
        tx,
      );
      return { reviewId: inserted.id as string, created: true };
    });
  }

  /** An agent's scored reviews: scores and comments, newest first. */
  async mine(practiceId: string, agentId: string): Promise<QaReviewDetail[]> {
    const ids: { id: string }[] = await this.db.query(
      `SELECT id FROM qa_review WHERE practice_id = $1 AND agent_id = $2 AND state = 'scored'
       ORDER BY scored_at DESC LIMIT 200`,
      [practiceId, agentId],
    );
    const viewer = { id: agentId, role: Role.Agent };
    return Promise.all(ids.map((r) => this.get(practiceId, r.id, viewer)));
  }

  /** A day's calls (practice-local), for picking one to review. */
  async calls(practiceId: string, filter: { day?: string; agentId?: string } = {}): Promise<QaCall[]> {
    const { timezone } = await this.practice(practiceId);
    const day = filter.day ?? DateTime.fromJSDate(this.clock.nowDate(), { zone: timezone }).toISODate()!;
    if (!DAY.test(day) || !DateTime.fromISO(day).isValid) {
      throw DomainError.invalid('day: a day, YYYY-MM-DD', { field: 'day' });
    }
    const rows = await this.db.query(
      `SELECT a.id, a.ended_at, u.login, c.name AS campaign_name, a.code, p.mrn,
              nullif(concat_ws(' ', p.first_name, p.last_name), '') AS patient_name, r.id AS review_id, r.state
       FROM call_attempt a JOIN app_user u ON u.id = a.agent_id JOIN campaign c ON c.id = a.campaign_id
       LEFT JOIN patient p ON p.id = a.patient_id LEFT JOIN qa_review r ON r.attempt_id = a.id
       WHERE a.practice_id = $1 AND ($4::uuid IS NULL OR a.agent_id = $4)
         AND a.ended_at >= ($2::date::timestamp AT TIME ZONE $3) AND a.ended_at < (($2::date + 1)::timestamp AT TIME ZONE $3)
         AND NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = a.id)
       ORDER BY a.ended_at LIMIT 500`,
      [practiceId, day, timezone, filter.agentId ?? null],
    );
    return rows.map((r: Record<string, never>) => ({
      attemptId: r.id,
      endedAt: (r.ended_at as Date).toISOString(),
      agent: r.login,
      campaignName: r.campaign_name,
      code: r.code,
      contact: (CONTACTS as string[]).includes(r.code),
      mrn: r.mrn,
      patientName: r.patient_name,
      reviewId: r.review_id,
      reviewState: r.state,
    }));
  }

  private async practice(practiceId: string): Promise<{ timezone: string }> {
    const [p] = await this.db.query(`SELECT timezone FROM practice WHERE id = $1`, [practiceId]);
    if (!p) throw DomainError.notFound('practice');
    return p;
  }
}

function summary(r: Record<string, never>): QaReviewSummary {
  return {
    id: r.id,
    state: r.state,
    source: r.source,
    attemptId: r.attempt_id,
    day: r.day,
    endedAt: (r.ended_at as Date).toISOString(),
    agentId: r.agent_id,
    agent: r.agent_login,
    agentName: r.agent_name,
    campaignName: r.campaign_name,
    code: r.code,
    mrn: r.mrn,
    patientName: r.patient_name,
    score: r.score === null ? null : Number(r.score),
    reviewer: r.reviewer_login,
    scoredAt: r.scored_at ? (r.scored_at as Date).toISOString() : null,
    createdAt: (r.created_at as Date).toISOString(),
  };
}
