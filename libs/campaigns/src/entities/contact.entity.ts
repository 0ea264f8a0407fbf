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
import type { StoredPhone, TimeZoneSource } from '../../../patients/src/entities/patient.entity';
import type { ContactCategory } from '../campaign-types';

/**
 * A person at an organisation that partner and community campaigns call (a referring
 * office, a school, an employer). Imported from a contacts CSV; identity is the list's own
 * id when it has one, else organisation + contact name.
 */
@Entity('contact')
@Unique('contact_practice_key', ['practiceId', 'contactKey'])
@Index('contact_practice_category_idx', ['practiceId', 'category'])
@Check('contact_category_check', `"category" IN ('existing_partner', 'new_partner', 'community')`)
@Check('contact_time_zone_source_check', `"time_zone_source" IN ('zip', 'state', 'practice')`)
@Check('contact_phones_array', `jsonb_typeof("phones") = 'array' AND jsonb_array_length("phones") <= 3`)
@Check('contact_organisation_not_blank', `length(btrim("organisation")) > 0`)
export class Contact {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Practice;

  /** The list's id column, or a normalised "organisation|contact name". */
  @Column({ name: 'contact_key', type: 'text' })
  contactKey!: string;

  @Column({ type: 'text' })
  category!: ContactCategory;

  @Column({ type: 'text' })
  organisation!: string;

  @Column({ name: 'contact_name', type: 'text', nullable: true })
  contactName!: string | null;

  @Column({ name: 'contact_role', type: 'text', nullable: true })
  contactRole!: string | null;

  @Column({ type: 'jsonb' })
  phones!: StoredPhone[];

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

  @Column({ name: 'do_not_call_at', type: 'timestamptz', nullable: true })
  doNotCallAt!: Date | null;

  /** md5 of the imported fields: a re-import that brings nothing new writes nothing. */
  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
