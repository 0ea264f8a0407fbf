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
import type { CampaignSettings, CampaignType, TargetRule } from '../campaign-types';
import type { PlanInputs } from '../plan/roi-plan';

export type CampaignStatus = 'draft' | 'planned' | 'active' | 'paused' | 'completed';
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'draft',
  'planned',
  'active',
  'paused',
  'completed',
];

/** A campaign of one practice: who it targets, how it calls, and the plan it was launched on. */
@Entity('campaign')
@Unique('campaign_practice_name_key', ['practiceId', 'name'])
@Index('campaign_practice_status_idx', ['practiceId', 'status'])
@Check(
  'campaign_type_check',
  `"type" IN ('reactivation', 'no_show', 'cancelled', 'no_encounters', 'patient_reviews', 'patient_referrals', 'existing_partners', 'new_partners', 'community_outreach', 'win_back')`,
)
@Check('campaign_status_check', `"status" IN ('draft', 'planned', 'active', 'paused', 'completed')`)
@Check('campaign_planned_has_plan', `"status" = 'draft' OR "plan" IS NOT NULL`)
@Check('campaign_name_not_blank', `length(btrim("name")) BETWEEN 1 AND 120`)
export class Campaign {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => Practice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Practice;

  @Column({ type: 'text' })
  type!: CampaignType;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  status!: CampaignStatus;

  @Column({ type: 'jsonb' })
  rule!: TargetRule;

  @Column({ type: 'jsonb' })
  settings!: CampaignSettings;

  /** The ROI plan's inputs; its results are recomputed from them (never stored stale). */
  @Column({ type: 'jsonb', nullable: true })
  plan!: PlanInputs | null;

  /** The eligible population the plan was saved against. */
  @Column({ name: 'plan_patients', type: 'integer', nullable: true })
  planPatients!: number | null;

  @Column({ name: 'plan_saved_at', type: 'timestamptz', nullable: true })
  planSavedAt!: Date | null;

  @Column({ type: 'text' })
  script!: string;

  @Column({ name: 'voicemail_script', type: 'text' })
  voicemailScript!: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'launched_at', type: 'timestamptz', nullable: true })
  launchedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
