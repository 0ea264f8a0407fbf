import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Practice } from '../../../auth/src/entities/practice.entity';
import { User } from '../../../auth/src/entities/user.entity';
import { CampaignMember } from '../../../campaigns/src/entities/campaign-member.entity';
import { CallStart } from '../../../cycles/src/entities/call-start.entity';
import type { DeescalationGuide } from '../protocol/deescalation';
import type { TransferHours } from '../protocol/transfers';
import { CallAttempt } from './call-attempt.entity';
import { Escalation } from './escalation.entity';

/** A practice's call protocol: the identity fields its agents verify, its de-escalation guide. */
@Entity('call_protocol')
export class CallProtocol {
  @PrimaryColumn({ name: 'practice_id', type: 'uuid', primaryKeyConstraintName: 'call_protocol_pkey' })
  practiceId!: string;

  @OneToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id', foreignKeyConstraintName: 'call_protocol_practice_fk' })
  practice?: Practice;

  @Column({ name: 'identity_fields', type: 'text', array: true, default: () => `'{name,dob}'` })
  identityFields!: string[];

  /** Null: the defaults of deescalation.json. */
  @Column({ type: 'jsonb', nullable: true })
  deescalation!: DeescalationGuide | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** A group a call may be transferred to (protocol 000's directory). Archived, never deleted. */
@Entity('transfer_group')
@Index('transfer_group_practice_idx', ['practiceId', 'name'])
@Index('transfer_group_active_name_key', ['practiceId', 'name'], { unique: true, where: `"active"` })
@Check('transfer_group_name_check', `length(btrim("name")) BETWEEN 1 AND 100`)
@Check('transfer_group_reachable_check', `btrim("phone") <> '' OR "extension" IS NOT NULL`)
@Check(
  'transfer_group_roles_check',
  `cardinality("allowed_roles") > 0 AND "allowed_roles" <@ ARRAY['agent', 'manager', 'admin']::text[]`,
)
@Check('transfer_group_hours_check', `"hours" IS NULL OR jsonb_typeof("hours") = 'object'`)
export class TransferGroup {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'transfer_group_pkey' })
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id', foreignKeyConstraintName: 'transfer_group_practice_fk' })
  practice?: Practice;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'when_to_transfer', type: 'text', default: '' })
  whenToTransfer!: string;

  @Column({ type: 'text', default: '' })
  phone!: string;

  @Column({ type: 'text', nullable: true })
  extension!: string | null;

  /** Null: always open. */
  @Column({ type: 'jsonb', nullable: true })
  hours!: TransferHours | null;

  @Column({ name: 'allowed_roles', type: 'text', array: true, default: () => `'{agent,manager,admin}'` })
  allowedRoles!: string[];

  /** Red-flag categories and situations for which the workspace suggests this group first. */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  situations!: string[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/**
 * A transfer tried on a call: the group, warm or blind, and how it went. The attempt saved for
 * the call links itself (a trigger on call_attempt fills attempt_id); a queue that was
 * unavailable always has its callback ticket.
 */
@Entity('call_transfer')
@Index('call_transfer_call_idx', ['callStartId'])
@Index('call_transfer_practice_created_idx', ['practiceId', 'createdAt'])
@Check('call_transfer_kind_check', `"kind" IN ('warm', 'blind')`)
@Check('call_transfer_outcome_check', `"outcome" IN ('connected', 'no_answer', 'declined', 'unavailable')`)
@Check('call_transfer_blind_answer_check', `"kind" = 'warm' OR "outcome" <> 'no_answer'`)
@Check('call_transfer_ticket_check', `("outcome" = 'unavailable') = ("escalation_id" IS NOT NULL)`)
export class CallTransfer {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'call_transfer_pkey' })
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id', foreignKeyConstraintName: 'call_transfer_practice_fk' })
  practice?: Practice;

  @Column({ name: 'call_start_id', type: 'uuid' })
  callStartId!: string;

  @ManyToOne(() => CallStart, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'call_start_id', foreignKeyConstraintName: 'call_transfer_call_start_fk' })
  callStart?: CallStart;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @ManyToOne(() => CampaignMember, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'call_transfer_member_fk' })
  member?: CampaignMember;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  /** Groups are archived, never deleted: a transfer keeps its group. */
  @ManyToOne(() => TransferGroup, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'call_transfer_group_fk' })
  group?: TransferGroup;

  @Column({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agent_id', foreignKeyConstraintName: 'call_transfer_agent_fk' })
  agent?: User;

  @Column({ name: 'attempt_id', type: 'uuid', nullable: true })
  attemptId!: string | null;

  @ManyToOne(() => CallAttempt, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'attempt_id', foreignKeyConstraintName: 'call_transfer_attempt_fk' })
  attempt?: CallAttempt;

  @Column({ type: 'text' })
  kind!: 'warm' | 'blind';

  @Column({ type: 'text' })
  outcome!: 'connected' | 'no_answer' | 'declined' | 'unavailable';

  /** The callback ticket filed when the queue was unavailable. */
  @Column({ name: 'escalation_id', type: 'uuid', nullable: true })
  escalationId!: string | null;

  @ManyToOne(() => Escalation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'escalation_id', foreignKeyConstraintName: 'call_transfer_escalation_fk' })
  escalation?: Escalation;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
