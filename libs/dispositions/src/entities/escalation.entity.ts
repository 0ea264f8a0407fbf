import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type EscalationCategory =
  | 'legal'
  | 'complaint'
  | 'social'
  | 'financial'
  | 'executive'
  | 'threat'
  | 'do_not_contact'
  | 'repeated_contact'
  | 'callback_ticket'
  /** Filed from a transfer whose queue was unavailable (protocol 001: "Patient callback"). */
  | 'transfer_callback';
export type EscalationStatus = 'open' | 'resolved';

/** An item for the managers' inbox: a red flag in remarks, a patient reached too often, a ticket. */
@Entity('escalation')
@Index('escalation_practice_status_idx', ['practiceId', 'status', 'createdAt'])
@Index('escalation_member_category_key', ['memberId', 'category'], {
  unique: true,
  where: `"category" = 'repeated_contact'`,
})
@Check(
  'escalation_category_check',
  `"category" IN ('legal', 'complaint', 'social', 'financial', 'executive', 'threat', 'do_not_contact', 'repeated_contact', 'callback_ticket', 'transfer_callback')`,
)
@Check('escalation_status_check', `"status" IN ('open', 'resolved')`)
@Check('escalation_resolved', `("status" = 'resolved') = ("resolved_at" IS NOT NULL)`)
export class Escalation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ name: 'patient_id', type: 'uuid', nullable: true })
  patientId!: string | null;

  @Column({ name: 'member_id', type: 'uuid', nullable: true })
  memberId!: string | null;

  @Column({ name: 'campaign_id', type: 'uuid', nullable: true })
  campaignId!: string | null;

  @Column({ name: 'attempt_id', type: 'uuid', nullable: true })
  attemptId!: string | null;

  @Column({ name: 'agent_id', type: 'uuid', nullable: true })
  agentId!: string | null;

  @Column({ type: 'text' })
  category!: EscalationCategory;

  /** The phrase that matched, or what the flag says. */
  @Column({ type: 'text' })
  reason!: string;

  /** The words around the match, from the remarks. */
  @Column({ type: 'text', nullable: true })
  excerpt!: string | null;

  @Column({ type: 'text' })
  status!: EscalationStatus;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolution', type: 'text', nullable: true })
  resolution!: string | null;
}
