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

export type PhoneType = 'mobile' | 'home' | 'work' | 'other';
export type TimeZoneSource = 'zip' | 'state' | 'practice';
/** `unknown`: the export's status code is not mapped (the row is kept, with a warning). */
export type VisitStatus = 'scheduled' | 'completed' | 'no_show' | 'cancelled' | 'unknown';
export const VISIT_STATUSES: readonly VisitStatus[] = [
  'scheduled',
  'completed',
  'no_show',
  'cancelled',
  'unknown',
];

/** One phone as stored: invalid numbers are kept (never dialled) so nothing from the export is lost. */
export interface StoredPhone {
  e164: string | null;
  extension: string | null;
  raw: string;
  type: PhoneType;
  valid: boolean;
  /**
   * Found wrong or disconnected by a call (WNUM, DCONN; the practice's \`bad_number\` list):
   * then \`valid\` is false too, so nothing dials it. Imports re-apply the mark.
   */
  bad?: 'WNUM' | 'DCONN';
}

/**
 * A patient of one practice, identified by the EMR's patient id (`mrn`). Imports upsert on
 * (practice, mrn); `joinKey` is the id other files of the same export use to refer to the
 * patient (often the MRN itself).
 */
@Entity('patient')
@Unique('patient_practice_mrn_key', ['practiceId', 'mrn'])
@Index('patient_practice_join_key_idx', ['practiceId', 'joinKey'])
@Index('patient_practice_match_idx', ['practiceId', 'matchName', 'birthDate'])
@Index('patient_merged_into_idx', ['mergedIntoId'], { where: '"merged_into_id" IS NOT NULL' })
@Check('patient_time_zone_source_check', `"time_zone_source" IN ('zip', 'state', 'practice')`)
@Check('patient_not_merged_into_self', `"merged_into_id" IS DISTINCT FROM "id"`)
@Check('patient_phones_array', `jsonb_typeof("phones") = 'array' AND jsonb_array_length("phones") <= 3`)
@Check('patient_mrn_not_blank', `length(btrim("mrn")) > 0`)
export class Patient {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Practice;

  @Column({ type: 'text' })
  mrn!: string;

  @Column({ name: 'join_key', type: 'text' })
  joinKey!: string;

  @Column({ name: 'first_name', type: 'text', nullable: true })
  firstName!: string | null;

  @Column({ name: 'middle_name', type: 'text', nullable: true })
  middleName!: string | null;

  @Column({ name: 'last_name', type: 'text', nullable: true })
  lastName!: string | null;

  /** Accent- and case-free "first last", for duplicate detection. */
  @Column({ name: 'match_name', type: 'text' })
  matchName!: string;

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate!: string | null;

  @Column({ type: 'text', nullable: true })
  sex!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  @Column({ type: 'text', nullable: true })
  city!: string | null;

  @Column({ type: 'text', nullable: true })
  state!: string | null;

  @Column({ type: 'text', nullable: true })
  zip!: string | null;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ name: 'time_zone_source', type: 'text' })
  timeZoneSource!: TimeZoneSource;

  @Column({ type: 'jsonb' })
  phones!: StoredPhone[];

  @Column({ type: 'text', nullable: true })
  provider!: string | null;

  @Column({ type: 'text', nullable: true })
  location!: string | null;

  @Column({ type: 'boolean' })
  deceased!: boolean;

  @Column({ name: 'deceased_on', type: 'date', nullable: true })
  deceasedOn!: string | null;

  /** Activity as listed in the patient file itself (some EMRs flatten it there). */
  @Column({ name: 'listed_last_visit_on', type: 'date', nullable: true })
  listedLastVisitOn!: string | null;

  @Column({ name: 'listed_last_appointment_on', type: 'date', nullable: true })
  listedLastAppointmentOn!: string | null;

  @Column({ name: 'listed_last_appointment_status', type: 'text', nullable: true })
  listedLastAppointmentStatus!: VisitStatus | null;

  @Column({ name: 'listed_next_appointment_on', type: 'date', nullable: true })
  listedNextAppointmentOn!: string | null;

  /** Set by an export flag, a DNC disposition or a manager; an import never clears it. */
  @Column({ name: 'do_not_call_at', type: 'timestamptz', nullable: true })
  doNotCallAt!: Date | null;

  @Column({ name: 'do_not_call_reason', type: 'text', nullable: true })
  doNotCallReason!: string | null;

  /** Marked inactive by the export's patient status (archived, non-patient…); not called. */
  @Column({ type: 'boolean', default: false })
  inactive!: boolean;

  /**
   * When an agent or an inbound call last booked the patient outside an import. Until an
   * import newer than this shows the appointment, campaigns leave the patient alone.
   */
  @Column({ name: 'booked_at', type: 'timestamptz', nullable: true })
  bookedAt!: Date | null;

  /** A duplicate merged into another patient; it stays merged whatever later imports say. */
  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId!: string | null;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merged_into_id' })
  mergedInto?: Patient;

  /** md5 of the imported fields: an import that brings nothing new writes nothing. */
  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ name: 'created_import_id', type: 'uuid', nullable: true })
  createdImportId!: string | null;

  /** The import that last changed the row. */
  @Column({ name: 'last_import_id', type: 'uuid', nullable: true })
  lastImportId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
