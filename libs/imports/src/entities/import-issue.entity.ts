import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PatientImport } from './patient-import.entity';

export type IssueSeverity = 'rejected' | 'warning';

/** A rejected row (with the row as it was) or a warning on one field of an accepted row. */
@Entity('import_issue')
@Index('import_issue_import_severity_idx', ['importId', 'severity', 'id'])
@Check('import_issue_severity_check', `"severity" IN ('rejected', 'warning')`)
export class ImportIssue {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ name: 'import_id', type: 'uuid' })
  importId!: string;

  @ManyToOne(() => PatientImport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'import_id' })
  import?: PatientImport;

  @Column({ name: 'file_kind', type: 'text' })
  fileKind!: string;

  /** Line number in the original file where the row starts (1-based, header and title rows counted). */
  @Column({ type: 'integer' })
  line!: number;

  @Column({ name: 'column_name', type: 'text', nullable: true })
  columnName!: string | null;

  @Column({ type: 'text' })
  severity!: IssueSeverity;

  @Column({ type: 'text' })
  reason!: string;

  /** The original row, re-quoted as CSV (rejected rows only). */
  @Column({ name: 'raw_row', type: 'text', nullable: true })
  rawRow!: string | null;
}
