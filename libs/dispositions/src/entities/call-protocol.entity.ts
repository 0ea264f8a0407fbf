import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { DeescalationGuide } from '../protocol/deescalation';
import type { TransferHours } from '../protocol/transfers';

/** A practice's call protocol: the identity fields its agents verify, its de-escalation guide. */
@Entity('call_protocol')
export class CallProtocol {
  @PrimaryColumn({ name: 'practice_id', type: 'uuid', primaryKeyConstraintName: 'call_protocol_pkey' })
  practiceId!: string;

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
export class TransferGroup {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'transfer_group_pkey' })
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

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

/** A transfer tried on a call: the group, warm or blind, and how it went. Linked to the attempt on save. */
@Entity('call_transfer')
@Index('call_transfer_call_idx', ['callStartId'])
@Index('call_transfer_practice_created_idx', ['practiceId', 'createdAt'])
@Check('call_transfer_kind_check', `"kind" IN ('warm', 'blind')`)
@Check('call_transfer_outcome_check', `"outcome" IN ('connected', 'no_answer', 'declined', 'unavailable')`)
export class CallTransfer {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'call_transfer_pkey' })
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ name: 'call_start_id', type: 'uuid' })
  callStartId!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  @Column({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @Column({ name: 'attempt_id', type: 'uuid', nullable: true })
  attemptId!: string | null;

  @Column({ type: 'text' })
  kind!: 'warm' | 'blind';

  @Column({ type: 'text' })
  outcome!: 'connected' | 'no_answer' | 'declined' | 'unavailable';

  @Column({ name: 'escalation_id', type: 'uuid', nullable: true })
  escalationId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
