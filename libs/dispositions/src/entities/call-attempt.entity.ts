import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../../../auth/src/entities/user.entity';
import { CampaignMember } from '../../../campaigns/src/entities/campaign-member.entity';
import { CallStart } from '../../../cycles/src/entities/call-start.entity';
import { DISPOSITION_CODES } from '../disposition-codes';

export type AttemptSource = 'workspace' | 'api' | 'cli' | 'sheet';

const codes = DISPOSITION_CODES.map((c) => `'${c}'`).join(', ');

/**
 * One recorded call outcome: immutable (a trigger refuses UPDATE). A correction is a new row
 * that supersedes the one it corrects; at most one row supersedes another. `attempt_number`
 * is unique per member among the rows that count (the member's `attempts` column, held to its
 * cap by a CHECK, is moved in the same transaction).
 */
@Entity('call_attempt')
@Unique('call_attempt_idempotency_key', ['practiceId', 'idempotencyKey'])
@Unique('call_attempt_supersedes_key', ['supersedesId'])
@Index('call_attempt_member_idx', ['memberId', 'endedAt'])
@Index('call_attempt_patient_idx', ['patientId', 'endedAt'], { where: `"patient_id" IS NOT NULL` })
@Index('call_attempt_practice_ended_idx', ['practiceId', 'endedAt'])
@Index('call_attempt_practice_agent_ended_idx', ['practiceId', 'agentId', 'endedAt'])
@Index('call_attempt_campaign_ended_idx', ['campaignId', 'endedAt'])
// Bookings an import may settle (reports rebuild their days).
@Index('call_attempt_bookings_idx', ['practiceId', 'appointmentAt'], { where: `"code" = 'DONE'` })
@Index('call_attempt_member_number_key', ['memberId', 'attemptNumber'], {
  unique: true,
  where: `"attempt_number" IS NOT NULL AND "supersedes_id" IS NULL`,
})
@Check('call_attempt_code_check', `"code" IN (${codes})`)
@Check('call_attempt_source_check', `"source" IN ('workspace', 'api', 'cli', 'sheet')`)
@Check('call_attempt_number_positive', `"attempt_number" IS NULL OR "attempt_number" >= 1`)
@Check('call_attempt_local_hour', `"patient_local_hour" BETWEEN 0 AND 23`)
@Check('call_attempt_times', `"started_at" IS NULL OR "started_at" <= "ended_at"`)
@Check(
  'call_attempt_booking_has_date',
  `"code" NOT IN ('DONE', 'RECONFIRMED') OR "appointment_at" IS NOT NULL`,
)
@Check('call_attempt_callback_has_time', `"code" <> 'CBACK' OR "callback_at" IS NOT NULL`)
@Check('call_attempt_key_not_blank', `length(btrim("idempotency_key")) > 0`)
export class CallAttempt {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @ManyToOne(() => CampaignMember, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: CampaignMember;

  @Column({ name: 'patient_id', type: 'uuid', nullable: true })
  patientId!: string | null;

  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId!: string | null;

  @Column({ name: 'cycle_id', type: 'uuid', nullable: true })
  cycleId!: string | null;

  @Column({ name: 'assignment_id', type: 'uuid', nullable: true })
  assignmentId!: string | null;

  @Column({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agent_id' })
  agent?: User;

  /** Who saved it, when not the agent (a manager's back-office entry, a sheet upload). */
  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @Column({ name: 'call_start_id', type: 'uuid', nullable: true })
  callStartId!: string | null;

  @ManyToOne(() => CallStart, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'call_start_id' })
  callStart?: CallStart;

  /** The number dialled (E.164). */
  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  /** When the call ended (or, for a back-office entry, when it happened). */
  @Column({ name: 'ended_at', type: 'timestamptz' })
  endedAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ type: 'text' })
  code!: string;

  /** 1-based among the member's attempts that count toward the cap; null for DUPLICATE. */
  @Column({ name: 'attempt_number', type: 'integer', nullable: true })
  attemptNumber!: number | null;

  @Column({ name: 'appointment_at', type: 'timestamptz', nullable: true })
  appointmentAt!: Date | null;

  @Column({ name: 'callback_at', type: 'timestamptz', nullable: true })
  callbackAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  remarks!: string | null;

  @Column({ name: 'survivor_id', type: 'uuid', nullable: true })
  survivorId!: string | null;

  @Column({ name: 'patient_local_hour', type: 'smallint' })
  patientLocalHour!: number;

  /** The member's state this attempt left (open, converted, exhausted…). */
  @Column({ name: 'member_state', type: 'text' })
  memberState!: string;

  /** The member as it was before this row: a correction restores it, then applies itself. */
  @Column({ name: 'member_before', type: 'jsonb' })
  memberBefore!: Record<string, unknown>;

  /** What the request returned (replayed as-is for a repeated idempotency key). */
  @Column({ type: 'jsonb' })
  outcome!: Record<string, unknown>;

  @Column({ name: 'supersedes_id', type: 'uuid', nullable: true })
  supersedesId!: string | null;

  @ManyToOne(() => CallAttempt, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supersedes_id' })
  supersedes?: CallAttempt;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  /** md5 of the request: the same key with a different request is refused, not replayed. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ type: 'text' })
  source!: AttemptSource;

  /** Whether the person's identity was verified on the call; null on rows from before the check. */
  @Column({ name: 'identity_verified', type: 'boolean', nullable: true })
  identityVerified!: boolean | null;
}
