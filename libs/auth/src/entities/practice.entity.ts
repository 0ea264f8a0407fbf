import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface PracticeRedFlags {
  add?: Partial<Record<string, string[]>>;
  remove?: string[];
  except?: string[];
}

/** A tenant: one medical practice. A call center serves several; their data never mixes. */
@Entity('practice')
@Check('practice_slug_format', `"slug" ~ '^[a-z0-9][a-z0-9-]{1,62}$'`)
export class Practice {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  timezone!: string;

  /** The practice's changes to the red-flag phrase lists (added, removed, exceptions). */
  @Column({ name: 'red_flags', type: 'jsonb', default: {} })
  redFlags!: PracticeRedFlags;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
