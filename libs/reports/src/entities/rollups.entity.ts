import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Report rollups, rebuilt per practice-local day from the attempt log by `reports.refresh`
 * (never by the writers, which only drop a `report_dirty` marker). Superseded attempts are
 * left out; corrections count instead.
 */

/** Calls per day × campaign × agent × code × attempt number (0: not an attempt). */
@Entity('report_attempt_day')
@Index('report_attempt_day_practice_day_idx', ['practiceId', 'day'])
export class ReportAttemptDay {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @PrimaryColumn({ type: 'text' })
  code!: string;

  @PrimaryColumn({ name: 'attempt_number', type: 'smallint' })
  attemptNumber!: number;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ type: 'integer' })
  dials!: number;

  /** Calls with a recorded start (handle time known). */
  @Column({ type: 'integer' })
  handled!: number;

  @Column({ name: 'handle_seconds', type: 'integer' })
  handleSeconds!: number;

  /** Practice-local minute of the day of the first and last call. */
  @Column({ name: 'first_minute', type: 'smallint' })
  firstMinute!: number;

  @Column({ name: 'last_minute', type: 'smallint' })
  lastMinute!: number;
}

/** Pickup by the patient's local hour and age band, per day × campaign. */
@Entity('report_hour_day')
@Index('report_hour_day_practice_day_idx', ['practiceId', 'day'])
export class ReportHourDay {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'patient_hour', type: 'smallint' })
  patientHour!: number;

  @PrimaryColumn({ name: 'age_band', type: 'text' })
  ageBand!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ type: 'integer' })
  dials!: number;

  @Column({ type: 'integer' })
  contacts!: number;

  @Column({ type: 'integer' })
  bookings!: number;
}

/** Agent bookings (DONE) by the day booked, attempt, lead time and what the EMR says became of them. */
@Entity('report_booking_day')
@Index('report_booking_day_practice_day_idx', ['practiceId', 'day'])
export class ReportBookingDay {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @PrimaryColumn({ name: 'attempt_number', type: 'smallint' })
  attemptNumber!: number;

  /** Days from the call to the appointment: 0-2, 3-7, 8-14, 15-30, 31+. */
  @PrimaryColumn({ name: 'lead_bucket', type: 'text' })
  leadBucket!: string;

  /** kept, not_kept, pending. */
  @PrimaryColumn({ type: 'text' })
  status!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ type: 'integer' })
  bookings!: number;
}

/**
 * The day rollups summed per week (Monday) or calendar month, so a long range reads a few
 * period rows instead of every day's. Kept equal to the sum of their days by the refresh,
 * which subtracts a day's old rows and adds its new ones.
 */
@Entity('report_attempt_period')
@Index('report_attempt_period_practice_idx', ['practiceId', 'grain', 'period'])
export class ReportAttemptPeriod {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  /** week or month. */
  @PrimaryColumn({ type: 'text' })
  grain!: string;

  /** The period's first day. */
  @PrimaryColumn({ type: 'date' })
  period!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @PrimaryColumn({ type: 'text' })
  code!: string;

  @PrimaryColumn({ name: 'attempt_number', type: 'smallint' })
  attemptNumber!: number;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ type: 'integer' })
  dials!: number;

  @Column({ type: 'integer' })
  handled!: number;

  @Column({ name: 'handle_seconds', type: 'integer' })
  handleSeconds!: number;
}

/** The booking rollup summed per week or month (see ReportAttemptPeriod). */
@Entity('report_booking_period')
@Index('report_booking_period_practice_idx', ['practiceId', 'grain', 'period'])
export class ReportBookingPeriod {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'text' })
  grain!: string;

  @PrimaryColumn({ type: 'date' })
  period!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @PrimaryColumn({ name: 'attempt_number', type: 'smallint' })
  attemptNumber!: number;

  @PrimaryColumn({ name: 'lead_bucket', type: 'text' })
  leadBucket!: string;

  @PrimaryColumn({ type: 'text' })
  status!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ type: 'integer' })
  bookings!: number;
}

/** An agent's calls per campaign and day or period, as the quality, funnel and ROI reports read them. */
abstract class AgentMeasures {
  @Column({ type: 'integer', default: 0 })
  dials!: number;

  @Column({ type: 'integer', default: 0 })
  contacts!: number;

  /** Converted (DONE) calls. */
  @Column({ type: 'integer', default: 0 })
  bookings!: number;

  @Column({ type: 'integer', default: 0 })
  handled!: number;

  @Column({ name: 'handle_seconds', type: 'integer', default: 0 })
  handleSeconds!: number;

  /** Contacts that were their member's first contact ever (attributed to that call's day). */
  @Column({ name: 'first_contacts', type: 'integer', default: 0 })
  firstContacts!: number;

  /** First contacts that booked on that call. */
  @Column({ name: 'first_contact_bookings', type: 'integer', default: 0 })
  firstContactBookings!: number;

  /** Contacts whose identity check passed, and failed; the rest are unknown (no check recorded). */
  @Column({ name: 'identity_verified', type: 'integer', default: 0 })
  identityVerified!: number;

  @Column({ name: 'identity_failed', type: 'integer', default: 0 })
  identityFailed!: number;

  /** RECONFIRMED calls (already booked), counted apart from bookings. */
  @Column({ type: 'integer', default: 0 })
  reconfirmed!: number;

  /** The bookings by what the EMR says became of them (as report_booking_day has them). */
  @Column({ type: 'integer', default: 0 })
  kept!: number;

  @Column({ name: 'not_kept', type: 'integer', default: 0 })
  notKept!: number;

  @Column({ type: 'integer', default: 0 })
  pending!: number;
}

/**
 * An agent's working day per campaign: the first and last call (the agents report's pace and
 * hours) and the quality report's measures.
 */
@Entity('report_agent_day')
@Index('report_agent_day_practice_day_idx', ['practiceId', 'day'])
export class ReportAgentDay extends AgentMeasures {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ name: 'first_minute', type: 'smallint' })
  firstMinute!: number;

  @Column({ name: 'last_minute', type: 'smallint' })
  lastMinute!: number;
}

/** The agent day rollup summed per week or month (see ReportAttemptPeriod). */
@Entity('report_agent_period')
@Index('report_agent_period_practice_idx', ['practiceId', 'grain', 'period'])
export class ReportAgentPeriod extends AgentMeasures {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'text' })
  grain!: string;

  @PrimaryColumn({ type: 'date' })
  period!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;
}

/** Transfers tried on calls, per practice-local day × campaign × agent × group × kind × outcome. */
@Entity('report_transfer_day')
@Index('report_transfer_day_practice_day_idx', ['practiceId', 'day'])
export class ReportTransferDay {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  /** warm or blind. */
  @PrimaryColumn({ type: 'text' })
  kind!: string;

  /** connected, no_answer, declined, unavailable. */
  @PrimaryColumn({ type: 'text' })
  outcome!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ type: 'integer' })
  transfers!: number;
}

/** "This practice-local day needs its rollups rebuilt": appended by writers, consumed by the refresh. */
@Entity('report_dirty')
@Index('report_dirty_practice_idx', ['practiceId'])
export class ReportDirty {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ type: 'date' })
  day!: string;
}

/** The newest import each practice's booking outcomes were matched against. */
@Entity('report_state')
export class ReportState {
  @PrimaryColumn({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ name: 'imports_seen_at', type: 'timestamptz', nullable: true })
  importsSeenAt!: Date | null;
}

/** Members per campaign and state, as of the last refresh (the backlog report reads it). */
@Entity('report_backlog')
@Index('report_backlog_practice_idx', ['practiceId'])
export class ReportBacklog {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'text' })
  state!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ type: 'integer' })
  members!: number;

  /** Attempts the open members may still get (cap − attempts). */
  @Column({ name: 'remaining_attempts', type: 'integer' })
  remainingAttempts!: number;

  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt!: Date;
}
