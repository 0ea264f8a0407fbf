import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * Append-only: a trigger (see the migrations) rejects UPDATE, DELETE and TRUNCATE for every
 * database role, so the application cannot rewrite history even through a bug. The one
 * exception is `audit_event_purge(years)`: rows past the retention, never younger than 6 years.
 */
@Entity('audit_event')
@Index('audit_event_practice_time_idx', ['practiceId', 'occurredAt'])
@Index('audit_event_actor_time_idx', ['actorUserId', 'occurredAt'])
@Index('audit_event_time_idx', ['occurredAt'])
@Index('audit_event_request_idx', ['requestId'])
@Index('audit_event_entity_idx', ['entityId'])
// GIN (jsonb_path_ops) on details, for "which list views showed this record": migration only.
@Index('audit_event_details_idx', { synchronize: false })
@Check('audit_event_outcome_check', `"outcome" IN ('success', 'failure', 'denied')`)
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId!: string | null;

  /** Kept as text so the row stays readable after the user is gone. */
  @Column({ name: 'actor_login', type: 'text', nullable: true })
  actorLogin!: string | null;

  @Column({ name: 'practice_id', type: 'uuid', nullable: true })
  practiceId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'entity_type', type: 'text', nullable: true })
  entityType!: string | null;

  @Column({ name: 'entity_id', type: 'text', nullable: true })
  entityId!: string | null;

  @Column({ type: 'text' })
  outcome!: AuditOutcome;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'text', nullable: true })
  channel!: string | null;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;
}
