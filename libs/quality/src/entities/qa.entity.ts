import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Practice } from '../../../auth/src/entities/practice.entity';
import { CallAttempt } from '../../../dispositions/src/entities/call-attempt.entity';

export type QaReviewState = 'pending' | 'scored';
export type QaReviewSource = 'sample' | 'pick';

const SCORE = (c: string) => `"${c}" IS NULL OR "${c}" BETWEEN 1 AND 5`;

/** A practice's QA settings (a row only once a manager changes the defaults). */
@Entity('qa_setting')
@Check('qa_setting_share', `"sample_share" >= 0 AND "sample_share" <= 1`)
export class QaSetting {
  @PrimaryColumn({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Practice;

  /** The share of each agent's contacts sampled every day (0–1). */
  @Column({ name: 'sample_share', type: 'numeric', precision: 5, scale: 4 })
  sampleShare!: string;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/**
 * One day's random QA sample of a practice: the seed and share it was drawn with, so anyone
 * can re-draw it from the day's contacts and get the same calls. One per practice-local day.
 */
@Entity('qa_sample')
@Unique('qa_sample_practice_day_key', ['practiceId', 'day'])
@Check('qa_sample_share', `"share" >= 0 AND "share" <= 1`)
export class QaSample {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Practice;

  /** The practice-local day whose contacts were sampled. */
  @Column({ type: 'date' })
  day!: string;

  @Column({ type: 'bigint' })
  seed!: string;

  @Column({ type: 'numeric', precision: 5, scale: 4 })
  share!: string;

  /** Contacts on the day, and how many were drawn. */
  @Column({ type: 'integer' })
  contacts!: number;

  @Column({ type: 'integer' })
  sampled!: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A call a supervisor reviews (sampled, or picked by hand): at most one per attempt. */
@Entity('qa_review')
@Unique('qa_review_attempt_key', ['attemptId'])
@Index('qa_review_practice_state_idx', ['practiceId', 'state', 'createdAt'])
@Index('qa_review_agent_idx', ['agentId', 'scoredAt'])
@Check('qa_review_state_check', `"state" IN ('pending', 'scored')`)
@Check('qa_review_source_check', `"source" IN ('sample', 'pick')`)
@Check('qa_review_opening', SCORE('opening'))
@Check('qa_review_probing', SCORE('probing'))
@Check('qa_review_empathy', SCORE('empathy'))
@Check('qa_review_resolution', SCORE('resolution'))
@Check('qa_review_script_adherence', SCORE('script_adherence'))
@Check('qa_review_closing', SCORE('closing'))
@Check('qa_review_compliance', SCORE('compliance'))
@Check(
  'qa_review_scored_complete',
  `"state" = 'pending' OR ("opening" IS NOT NULL AND "probing" IS NOT NULL AND "empathy" IS NOT NULL AND "resolution" IS NOT NULL AND "script_adherence" IS NOT NULL AND "closing" IS NOT NULL AND "compliance" IS NOT NULL AND "code_correct" IS NOT NULL AND "score" IS NOT NULL AND "reviewer_id" IS NOT NULL AND "scored_at" IS NOT NULL)`,
)
export class QaReview {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ name: 'attempt_id', type: 'uuid' })
  attemptId!: string;

  @ManyToOne(() => CallAttempt, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'attempt_id' })
  attempt?: CallAttempt;

  /** The agent who made the call (the attempt's), kept here for the agent's own view. */
  @Column({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @Column({ name: 'sample_id', type: 'uuid', nullable: true })
  sampleId!: string | null;

  @ManyToOne(() => QaSample, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'sample_id' })
  sample?: QaSample;

  @Column({ type: 'text' })
  source!: QaReviewSource;

  /** The supervisor who picked the call (source 'pick'). */
  @Column({ name: 'picked_by', type: 'uuid', nullable: true })
  pickedBy!: string | null;

  @Column({ type: 'text', default: 'pending' })
  state!: QaReviewState;

  @Column({ name: 'reviewer_id', type: 'uuid', nullable: true })
  reviewerId!: string | null;

  @Column({ type: 'smallint', nullable: true }) opening!: number | null;
  @Column({ type: 'smallint', nullable: true }) probing!: number | null;
  @Column({ type: 'smallint', nullable: true }) empathy!: number | null;
  @Column({ type: 'smallint', nullable: true }) resolution!: number | null;
  @Column({ name: 'script_adherence', type: 'smallint', nullable: true }) scriptAdherence!: number | null;
  @Column({ type: 'smallint', nullable: true }) closing!: number | null;
  @Column({ type: 'smallint', nullable: true }) compliance!: number | null;

  /** Disposition accuracy: the code was right; the appointment was booked as the notes say. */
  @Column({ name: 'code_correct', type: 'boolean', nullable: true })
  codeCorrect!: boolean | null;

  @Column({ name: 'appointment_correct', type: 'boolean', nullable: true })
  appointmentCorrect!: boolean | null;

  /** The mean of the seven criteria (1–5). */
  @Column({ type: 'numeric', precision: 3, scale: 2, nullable: true })
  score!: string | null;

  @Column({ type: 'text', nullable: true })
  comments!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'scored_at', type: 'timestamptz', nullable: true })
  scoredAt!: Date | null;
}
