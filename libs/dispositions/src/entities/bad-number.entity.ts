import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A number found wrong or disconnected (WNUM, DCONN), for the whole practice: no patient is
 * dialled on it again, and imports that bring it back keep it marked. One row per number.
 */
@Entity('bad_number')
@Check('bad_number_code_check', `"code" IN ('WNUM', 'DCONN')`)
export class BadNumber {
  @PrimaryColumn({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @PrimaryColumn({ type: 'text' })
  e164!: string;

  @Column({ type: 'text' })
  code!: 'WNUM' | 'DCONN';

  @Column({ name: 'attempt_id', type: 'uuid', nullable: true })
  attemptId!: string | null;

  @Column({ name: 'marked_by', type: 'uuid', nullable: true })
  markedBy!: string | null;

  @Column({ name: 'marked_at', type: 'timestamptz', default: () => 'now()' })
  markedAt!: Date;
}
