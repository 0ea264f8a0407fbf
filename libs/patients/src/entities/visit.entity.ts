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
  UpdateDateColumn,
} from 'typeorm';
import { Practice } from '../../../auth/src/entities/practice.entity';
import { Patient, type VisitStatus } from './patient.entity';

export type VisitKind = 'appointment' | 'encounter';

/**
 * An appointment or an encounter from the appointments / encounters file. Identity is the
 * row id the export gives, or (patient key, date and time) when it gives none.
 */
@Entity('visit')
@Unique('visit_practice_kind_source_key', ['practiceId', 'kind', 'sourceKey'])
@Index('visit_patient_date_idx', ['patientId', 'occursOn'])
@Check('visit_kind_check', `"kind" IN ('appointment', 'encounter')`)
@Check('visit_status_check', `"status" IN ('scheduled', 'completed', 'no_show', 'cancelled', 'unknown')`)
export class Visit {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Practice;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id' })
  patient?: Patient;

  @Column({ type: 'text' })
  kind!: VisitKind;

  @Column({ name: 'source_key', type: 'text' })
  sourceKey!: string;

  @Column({ name: 'occurs_on', type: 'date' })
  occursOn!: string;

  @Column({ name: 'occurs_at', type: 'timestamptz', nullable: true })
  occursAt!: Date | null;

  @Column({ type: 'text' })
  status!: VisitStatus;

  /** The status exactly as the export wrote it (e.g. a numeric PMS code). */
  @Column({ name: 'raw_status', type: 'text', nullable: true })
  rawStatus!: string | null;

  @Column({ type: 'text', nullable: true })
  provider!: string | null;

  @Column({ type: 'text', nullable: true })
  location!: string | null;

  @Column({ name: 'visit_type', type: 'text', nullable: true })
  visitType!: string | null;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ name: 'created_import_id', type: 'uuid', nullable: true })
  createdImportId!: string | null;

  @Column({ name: 'last_import_id', type: 'uuid', nullable: true })
  lastImportId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
