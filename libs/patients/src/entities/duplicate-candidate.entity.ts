import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Patient } from './patient.entity';

/** `agent`: an agent found it on a call (the DUPLICATE disposition). */
export type DuplicateReason = 'name_birth_date' | 'phone_name' | 'agent';
export type DuplicateStatus = 'open' | 'merged' | 'dismissed';

/** Two patients that may be one person; a manager merges them or marks them distinct. */
@Entity('duplicate_candidate')
@Unique('duplicate_candidate_pair_key', ['patientIdA', 'patientIdB'])
@Index('duplicate_candidate_practice_status_idx', ['practiceId', 'status'])
@Index('duplicate_candidate_b_idx', ['patientIdB'])
@Check('duplicate_candidate_ordered_pair', `"patient_id_a" < "patient_id_b"`)
@Check('duplicate_candidate_status_check', `"status" IN ('open', 'merged', 'dismissed')`)
@Check('duplicate_candidate_reason_check', `"reason" IN ('name_birth_date', 'phone_name', 'agent')`)
export class DuplicateCandidate {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ name: 'patient_id_a', type: 'uuid' })
  patientIdA!: string;

  @ManyToOne(() => Patient, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id_a' })
  patientA?: Patient;

  @Column({ name: 'patient_id_b', type: 'uuid' })
  patientIdB!: string;

  @ManyToOne(() => Patient, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id_b' })
  patientB?: Patient;

  @Column({ type: 'text' })
  reason!: DuplicateReason;

  @Column({ type: 'text' })
  status!: DuplicateStatus;

  @Column({ name: 'detected_import_id', type: 'uuid', nullable: true })
  detectedImportId!: string | null;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
