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
import { Practice } from '../../../auth/src/entities/practice.entity';
import { Campaign } from '../../../campaigns/src/entities/campaign.entity';

export type CycleStatus = 'open' | 'closed';

/** One cycle of a campaign: its working days, the seed its shuffle used, and its backlog. */
@Entity('call_cycle')
@Unique('call_cycle_campaign_seq_key', ['campaignId', 'seq'])
@Index('call_cycle_one_open', ['campaignId'], { unique: true, where: `"status" = 'open'` })
@Check('call_cycle_status_check', `"status" IN ('open', 'closed')`)
@Check('call_cycle_dates', `"end_on" >= "start_on"`)
export class CallCycle {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Practice;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ name: 'start_on', type: 'date' })
  startOn!: string;

  @Column({ name: 'end_on', type: 'date' })
  endOn!: string;

  /** The cycle's working days, practice-local. */
  @Column({ type: 'date', array: true })
  days!: string[];

  @Column({ type: 'bigint' })
  seed!: string;

  @Column({ type: 'text' })
  status!: CycleStatus;

  /** Members left for the next cycle when this one was built. */
  @Column({ type: 'integer' })
  backlog!: number;

  @Column({ name: 'built_by', type: 'uuid', nullable: true })
  builtBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
