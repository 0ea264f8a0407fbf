import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Practice } from '../../../auth/src/entities/practice.entity';
import type { ImportMapping } from '../mapping/mapping';
import type { FileFormat } from '../reader/sniff';

export type ImportStatus = 'draft' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const IMPORT_STATUSES: readonly ImportStatus[] = [
  'draft',
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
];
export type FileKind = 'patients' | 'appointments' | 'encounters';
export const FILE_KINDS: readonly FileKind[] = ['patients', 'appointments', 'encounters'];

export interface ImportFile {
  kind: FileKind;
  /** The name the user gave the file (never a server path). */
  name: string;
  /** Where the upload is kept until the import ends (server-side). */
  path: string;
  /** Whether Recall owns the copy at `path` (uploads: deleted after the import). */
  owned: boolean;
  bytes: number;
  sha256: string;
  format: FileFormat;
}

export interface ImportSummary {
  totalRows: number;
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  mergedRows: number;
  warnings: number;
  possibleDuplicates: number;
  files: Record<string, { totalRows: number; accepted: number; rejected: number; warnings: number }>;
  visits: { created: number; updated: number; unchanged: number };
}

/** One import run: its files, the mapping it used, progress while it runs, the counts after. */
@Entity('patient_import')
@Index('patient_import_practice_created_idx', ['practiceId', 'createdAt'])
@Check(
  'patient_import_status_check',
  `"status" IN ('draft', 'queued', 'running', 'succeeded', 'failed', 'cancelled')`,
)
export class PatientImport {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Practice;

  @Column({ type: 'text' })
  status!: ImportStatus;

  @Column({ name: 'dry_run', type: 'boolean' })
  dryRun!: boolean;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy!: string | null;

  @Column({ type: 'jsonb' })
  files!: ImportFile[];

  @Column({ type: 'jsonb', nullable: true })
  mapping!: ImportMapping | null;

  @Column({ name: 'profile_name', type: 'text', nullable: true })
  profileName!: string | null;

  @Column({ name: 'rows_done', type: 'integer' })
  rowsDone!: number;

  @Column({ name: 'bytes_done', type: 'bigint' })
  bytesDone!: string;

  @Column({ name: 'bytes_total', type: 'bigint' })
  bytesTotal!: string;

  @Column({ type: 'text', nullable: true })
  phase!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'cancel_requested_at', type: 'timestamptz', nullable: true })
  cancelRequestedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  summary!: ImportSummary | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
