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
import { User } from '../../../auth/src/entities/user.entity';
import { CampaignMember } from '../../../campaigns/src/entities/campaign-member.entity';
import { CallCycle } from './call-cycle.entity';

export type AssignmentState = 'pending' | 'done' | 'removed';

/** A member given to one agent for one cycle, due on a day inside it. */
@Entity('cycle_assignment')
@Unique('cycle_assignment_member_key', ['cycleId', 'memberId'])
@Index('cycle_assignment_queue_idx', ['agentId', 'dueOn'], { where: `"state" = 'pending'` })
@Index('cycle_assignment_cycle_agent_idx', ['cycleId', 'agentId'])
// Dispositions find a member's assignment (to close it, move a callback, link the attempt).
@Index('cycle_assignment_member_idx', ['memberId'])
@Check('cycle_assignment_state_check', `"state" IN ('pending', 'done', 'removed')`)
@Check('cycle_assignment_reason_check', `"reason" IN ('callback', 'retry', 'carried', 'new')`)
export class CycleAssignment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId!: string;

  @ManyToOne(() => CallCycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id' })
  cycle?: CallCycle;

  @Column({ name: 'practice_id', type: 'uuid' })
  practiceId!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @ManyToOne(() => CampaignMember, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: CampaignMember;

  @Column({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agent_id' })
  agent?: User;

  @Column({ name: 'due_on', type: 'date' })
  dueOn!: string;

  @Column({ type: 'text' })
  reason!: 'callback' | 'retry' | 'carried' | 'new';

  @Column({ type: 'smallint' })
  priority!: number;

  @Column({ type: 'text' })
  state!: AssignmentState;

  /** Set when an absence moved the assignment from another agent. */
  @Column({ name: 'moved_from_agent_id', type: 'uuid', nullable: true })
  movedFromAgentId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
