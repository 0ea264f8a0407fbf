import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CycleAssignment } from './cycle-assignment.entity';

/**
 * "Call started", recorded by the server when an agent dials: the calling window and the
 * per-state daily cap are checked against these, and dispositions take their start time from
 * them (handle time). Append-only.
 */
@Entity('call_start')
@Index('call_start_patient_idx', ['patientId', 'startedAt'], { where: `"patient_id" IS NOT NULL` })
@Index('call_start_assignment_idx', ['assignmentId', 'startedAt'])
@Index('call_start_member_idx', ['memberId', 'startedAt'])
export class CallStart {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ name: 'assignment_id', type: 'uuid' })
  assignmentId!: string;

  @ManyToOne(() => CycleAssignment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assignment_id' })
  assignment?: CycleAssignment;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'patient_id', type: 'uuid', nullable: true })
  patientId!: string | null;

  @Column({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  /** The number dialled (E.164). */
  @Column({ type: 'text' })
  phone!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  /** The identity check of the person who answered (protocol 001): null until recorded. */
  @Column({ name: 'identity_verified', type: 'boolean', nullable: true })
  identityVerified!: boolean | null;

  /** Field → matched, as the agent keyed them. */
  @Column({ name: 'identity_checks', type: 'jsonb', nullable: true })
  identityChecks!: Record<string, boolean> | null;

  @Column({ name: 'identity_checked_at', type: 'timestamptz', nullable: true })
  identityCheckedAt!: Date | null;
}
