import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { Clock, DomainError } from '@recall/core';
import type { PracticeRedFlags } from '@recall/auth';
import { DataSource, EntityManager } from 'typeorm';
import type { EscalationCategory, EscalationStatus } from './entities';
import {
  customizeRedFlags,
  DEFAULT_RED_FLAGS,
  RED_FLAG_CATEGORIES,
  screenRemarks,
  type RedFlagCategory,
  type RedFlagLists,
} from './red-flags';

export interface NewEscalation {
  practiceId: string;
  patientId: string | null;
  memberId: string | null;
  campaignId: string | null;
  attemptId: string | null;
  agentId: string | null;
  category: EscalationCategory;
  reason: string;
  excerpt: string | null;
}

export interface EscalationView {
  id: string;
  category: EscalationCategory;
  reason: string;
  excerpt: string | null;
  status: EscalationStatus;
  createdAt: string;
  patientId: string | null;
  mrn: string | null;
  patientName: string | null;
  campaignId: string | null;
  campaignName: string | null;
  attemptId: string | null;
  agentId: string | null;
  agentLogin: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

/** The managers' inbox: red flags from remarks, patients reached too often, callback tickets. */
@Injectable()
export class EscalationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The practice's phrase lists: the defaults with its changes. */
  lists(changes: PracticeRedFlags | null | undefined): RedFlagLists {
    if (!changes || Object.keys(changes).length === 0) return DEFAULT_RED_FLAGS;
    const add = Object.fromEntries(
      Object.entries(changes.add ?? {}).filter(([k]) =>
        (RED_FLAG_CATEGORIES as readonly string[]).includes(k),
      ),
    ) as Partial<Record<RedFlagCategory, string[]>>;
    return customizeRedFlags(DEFAULT_RED_FLAGS, { add, remove: changes.remove, except: changes.except });
  }

  async practiceLists(practiceId: string): Promise<RedFlagLists> {
    const [row] = await this.db.query(`SELECT red_flags FROM practice WHERE id = $1`, [practiceId]);
    if (!row) throw DomainError.notFound('practice');
    return this.lists(row.red_flags);
  }

  /** What the workspace shows while the agent types: the flags the remarks would raise. */
  async screen(practiceId: string, text: string) {
    return screenRemarks(text, await this.practiceLists(practiceId));
  }

  /** Changes the practice's phrase lists (added per category, removed, exceptions). */
  async setLists(practiceId: string, changes: PracticeRedFlags): Promise<RedFlagLists> {
    const lists = this.lists(changes);
    await this.db.query(`UPDATE practice SET red_flags = $2, updated_at = now() WHERE id = $1`, [
      practiceId,
      JSON.stringify(changes),
    ]);
    await this.audit.record({
      action: 'practice.red-flags',
      practiceId,
      entityType: 'practice',
      entityId: practiceId,
    });
    return lists;
  }

  /** Opens items inside the caller's transaction; a repeated-contact flag opens once per member. */
  async open(tx: EntityManager, items: NewEscalation[]): Promise<void> {
    for (const e of items) {
      await tx.query(
        `INSERT INTO escalation (practice_id, patient_id, member_id, campaign_id, attempt_id, agent_id, category,
                                 reason, excerpt, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10)
         ON CONFLICT (member_id, category) WHERE category = 'repeated_contact' DO NOTHING`,
        [
          e.practiceId,
          e.patientId,
          e.memberId,
          e.campaignId,
          e.attemptId,
          e.agentId,
          e.category,
          e.reason,
          e.excerpt,
          this.clock.nowDate(),
        ],
      );
    }
  }

  /** A ticket an agent files for managers (e.g. a transfer queue was unavailable). */
  async ticket(
    practiceId: string,
    input: { patientId?: string | null; memberId?: string | null; reason: string },
    agentId: string,
  ): Promise<EscalationView> {
    const reason = input.reason?.trim();
    if (!reason) throw DomainError.invalid('reason: required', { field: 'reason' });
    if (input.patientId) {
      const [p] = await this.db.query(`SELECT 1 FROM patient WHERE id = $1 AND practice_id = $2`, [
        input.patientId,
        practiceId,
      ]);
      if (!p) throw DomainError.notFound('patient');
    }
    const [row] = await this.db.query(
      `INSERT INTO escalation (practice_id, patient_id, member_id, agent_id, category, reason, status, created_at)
       VALUES ($1, $2, $3, $4, 'callback_ticket', $5, 'open', $6) RETURNING id`,
      [
        practiceId,
        input.patientId ?? null,
        input.memberId ?? null,
        agentId,
        reason.slice(0, 2000),
        this.clock.nowDate(),
      ],
    );
    await this.audit.record({
      action: 'escalation.ticket',
      practiceId,
      entityType: 'escalation',
      entityId: row.id,
    });
    return this.get(practiceId, row.id);
  }

  async list(
    practiceId: string,
    status: EscalationStatus | 'all' = 'open',
    limit = 200,
  ): Promise<EscalationView[]> {
    const rows = await this.db.query(
      `${VIEW_SQL} WHERE e.practice_id = $1 AND ($2 = 'all' OR e.status = $2)
       ORDER BY e.created_at DESC LIMIT $3`,
      [practiceId, status, limit],
    );
    await this.audit.record({
      action: 'escalation.list',
      practiceId,
      entityType: 'escalation',
      details: { patients: rows.map((r: { patient_id: string | null }) => r.patient_id).filter(Boolean) },
    });
    return rows.map(toView);
  }

  async get(practiceId: string, id: string): Promise<EscalationView> {
    const [row] = await this.db.query(`${VIEW_SQL} WHERE e.practice_id = $1 AND e.id = $2`, [practiceId, id]);
    if (!row) throw DomainError.notFound('escalation');
    return toView(row);
  }

  async resolve(practiceId: string, id: string, resolution: string, userId: string): Promise<EscalationView> {
    const text = resolution?.trim();
    if (!text) throw DomainError.invalid('resolution: say what was done', { field: 'resolution' });
    const [, count] = await this.db.query(
      `UPDATE escalation SET status = 'resolved', resolved_at = $5, resolved_by = $3, resolution = $4
       WHERE practice_id = $1 AND id = $2 AND status = 'open'`,
      [practiceId, id, userId, text.slice(0, 2000), this.clock.nowDate()],
    );
    if (!count) {
      await this.get(practiceId, id);
      throw DomainError.conflict('the escalation is already resolved');
    }
    await this.audit.record({
      action: 'escalation.resolve',
      practiceId,
      entityType: 'escalation',
      entityId: id,
    });
    return this.get(practiceId, id);
  }
}

const VIEW_SQL = `
  SELECT e.*, p.mrn, nullif(concat_ws(' ', p.first_name, p.last_name), '') AS patient_name,
         c.name AS campaign_name, u.login AS agent_login
  FROM escalation e
  LEFT JOIN patient p ON p.id = e.patient_id
  LEFT JOIN campaign c ON c.id = e.campaign_id
  LEFT JOIN app_user u ON u.id = e.agent_id`;

interface EscalationRow {
  id: string;
  category: EscalationCategory;
  reason: string;
  excerpt: string | null;
  status: EscalationStatus;
  created_at: Date;
  patient_id: string | null;
  mrn: string | null;
  patient_name: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  attempt_id: string | null;
  agent_id: string | null;
  agent_login: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
}

function toView(r: EscalationRow): EscalationView {
  return {
    id: r.id,
    category: r.category,
    reason: r.reason,
    excerpt: r.excerpt,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    patientId: r.patient_id,
    mrn: r.mrn,
    patientName: r.patient_name,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    attemptId: r.attempt_id,
    agentId: r.agent_id,
    agentLogin: r.agent_login,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
  };
}
