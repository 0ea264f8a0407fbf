import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Patient } from '../../../patients/src/entities/patient.entity';
import { Campaign } from './campaign.entity';
import { Contact } from './contact.entity';

/**
 * `open`: still to be called. The others are final for the campaign: converted (booked),
 * reconfirmed (had already booked), lost, dnc, exhausted (attempt cap reached), unreachable
 * (no valid number left), booked_elsewhere (an import or inbound call showed a booking),
 * released (the campaign completed while the member was open).
 */
export type MemberState =
  | 'open'
  | 'converted'
  | 'reconfirmed'
  | 'lost'
  | 'dnc'
  | 'exhausted'
  | 'unreachable'
  | 'booked_elsewhere'
  | 'released';
export const MEMBER_STATES: readonly MemberState[] = [
  'open',
  'converted',
  'reconfirmed',
  'lost',
  'dnc',
  'exhausted',
  'unreachable',
  'booked_elsewhere',
  'released',
];

/** A patient (or a partner/community contact) enrolled in a campaign at launch or refresh. */
@Entity('campaign_member')
@Unique('campaign_member_patient_key', ['campaignId', 'patientId'])
@Unique('campaign_member_contact_key', ['campaignId', 'contactId'])
// A patient is open in at most one campaign of the practice at a time.
@Index('campaign_member_one_open_campaign', ['practiceId', 'patientId'], {
  unique: true,
  where: `"state" = 'open' AND "patient_id" IS NOT NULL`,
})
@Index('campaign_member_campaign_state_idx', ['campaignId', 'state'])
@Index('campaign_member_patient_idx', ['patientId'], { where: `"patient_id" IS NOT NULL` })
@Check('campaign_member_one_target', `num_nonnulls("patient_id", "contact_id") = 1`)
@Check(
  'campaign_member_state_check',
  `"state" IN ('open', 'converted', 'reconfirmed', 'lost', 'dnc', 'exhausted', 'unreachable', 'booked_elsewhere', 'released')`,
)
@Check('campaign_member_attempts_within_cap', `"attempts" >= 0 AND "attempts" <= "attempt_cap"`)
@Check('campaign_member_closed', `("state" = 'open') = ("closed_at" IS NULL)`)
export class CampaignMember {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ name: 'patient_id', type: 'uuid', nullable: true })
  patientId!: string | null;

  @ManyToOne(() => Patient, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id' })
  patient?: Patient;

  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId!: string | null;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id' })
  contact?: Contact;

  @Column({ type: 'text' })
  state!: MemberState;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** The campaign's cap when the member was enrolled; the CHECK holds attempts to it. */
  @Column({ name: 'attempt_cap', type: 'integer' })
  attemptCap!: number;

  /** The last disposition code recorded for the member (set by dispositions). */
  @Column({ name: 'last_code', type: 'text', nullable: true })
  lastCode!: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  /** Practice-local day before which the member is not called again (the retry delay). */
  @Column({ name: 'not_before', type: 'date', nullable: true })
  notBefore!: string | null;

  /** A promised callback: when, and by whom (it stays with that agent). */
  @Column({ name: 'callback_at', type: 'timestamptz', nullable: true })
  callbackAt!: Date | null;

  @Column({ name: 'callback_agent_id', type: 'uuid', nullable: true })
  callbackAgentId!: string | null;

  @Column({ name: 'enrolled_at', type: 'timestamptz' })
  enrolledAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
