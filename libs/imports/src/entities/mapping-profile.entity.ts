import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Practice } from '../../../auth/src/entities/practice.entity';
import type { ImportMapping } from '../mapping/mapping';

/** A saved column mapping for one practice's EMR export ("Open Dental weekly", …). */
@Entity('mapping_profile')
@Unique('mapping_profile_practice_name_key', ['practiceId', 'name'])
export class MappingProfile {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Practice;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  mapping!: ImportMapping;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
