import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { Clock, DomainError } from '@recall/core';
import { DataSource } from 'typeorm';
import {
  DEFAULT_DEESCALATION,
  parseDeescalationGuide,
  type DeescalationGuide,
} from './protocol/deescalation';
import {
  blindTransferProblem,
  CALL_IN_PROGRESS_HOURS,
  isTransferSituation,
  parseTransferGroup,
  transferDecision,
  transferOptions,
  transferScripts,
  TRANSFER_SITUATIONS,
  WARM_TRANSFER_WAIT_SECONDS,
  type TransferGroupInput,
  type TransferGroupRule,
  type TransferKind,
  type TransferOption,
  type TransferOutcome,
  type TransferScripts,
} from './protocol/transfers';

export interface TransferGroupView extends TransferGroupRule {
  createdAt: string;
}

export interface CallTransferView {
  id: string;
  callStartId: string;
  memberId: string;
  groupId: string;
  groupName: string;
  agentId: string;
  kind: TransferKind;
  outcome: TransferOutcome;
  attemptId: string | null;
  escalationId: string | null;
  createdAt: string;
}

/** A transfer as the managers' list shows it: with the patient, the agent and the saved code. */
export interface TransferListItem extends CallTransferView {
  agentLogin: string;
  patientId: string | null;
  patientName: string | null;
  mrn: string | null;
  campaignName: string;
  attemptCode: string | null;
}

export interface TransferOptionView extends TransferOption {
  scripts: TransferScripts;
}

export interface TransferOptionsView {
  callStartId: string;
  waitSeconds: number;
  situations: string[];
  options: TransferOptionView[];
  /** What was tried on this call so far, oldest first. */
  transfers: CallTransferView[];
}

export interface NewTransfer {
  groupId: string;
  kind: TransferKind;
  outcome: TransferOutcome;
  /** What the call is about, for the callback ticket (no more than the managers need). */
  note?: string | null;
}

export interface DeescalationView {
  guide: DeescalationGuide;
  /** False while the practice uses the defaults of protocol 000. */
  customized: boolean;
  defaults: DeescalationGuide;
}

interface Caller {
  id: string;
  role: string;
  displayName: string;
}

interface CallRow {
  id: string;
  agent_id: string;
  member_id: string;
  patient_id: string | null;
  campaign_id: string;
  started_at: Date;
  timezone: string;
  saved: boolean;
}

/**
 * Warm transfers and de-escalation (protocols 000, 001): the practice's transfer directory,
 * the groups open to a call, the transfers tried on it (with a callback ticket for the managers
 * when a queue is unavailable), and the de-escalation guide. The rules are in protocol/.
 */
@Injectable()
export class TransfersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async groups(practiceId: string, includeArchived = false): Promise<TransferGroupView[]> {
    const rows = await this.db.query(
      `SELECT * FROM transfer_group WHERE practice_id = $1 AND (active OR $2) ORDER BY active DESC, name, id`,
      [practiceId, includeArchived],
    );
    return rows.map(toGroup);
  }

  async createGroup(practiceId: string, input: TransferGroupInput): Promise<TransferGroupView> {
    const parsed = this.parse(input);
    const row = await this.saveGroup(() =>
      this.db.query(
        `INSERT INTO transfer_group (practice_id, name, when_to_transfer, phone, extension, hours, allowed_roles,
                                     situations, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [practiceId, ...groupValues(parsed), this.clock.nowDate()],
      ),
    );
    await this.recordChange(practiceId, row.id, 'create');
    return toGroup(row);
  }

  /** Changes an entry: the fields sent over the stored ones; `active` archives or restores it. */
  async updateGroup(
    practiceId: string,
    groupId: string,
    patch: Partial<TransferGroupInput> & { active?: boolean },
  ): Promise<TransferGroupView> {
    const current = await this.group(practiceId, groupId);
    const { active, ...fields } = patch;
    const parsed = this.parse({ ...current, ...stripUndefined(fields) });
    const row = await this.saveGroup(() =>
      this.db.query(
        `UPDATE transfer_group SET name = $3, when_to_transfer = $4, phone = $5, extension = $6, hours = $7,
                allowed_roles = $8, situations = $9, active = $10
         WHERE practice_id = $1 AND id = $2 RETURNING *`,
        [practiceId, groupId, ...groupValues(parsed), active ?? current.active],
      ),
    );
    await this.recordChange(practiceId, groupId, active === false ? 'archive' : 'update');
    return toGroup(row);
  }

  deactivateGroup(practiceId: string, groupId: string): Promise<TransferGroupView> {
    return this.updateGroup(practiceId, groupId, { active: false });
  }

  /** The groups this caller may transfer this call to, the situation's first, with the scripts. */
  async options(
    practiceId: string,
    callStartId: string,
    caller: Caller,
    query: { situations?: string[]; topic?: string },
  ): Promise<TransferOptionsView> {
    const call = await this.call(practiceId, callStartId, caller);
    const situations = [...new Set(query.situations ?? [])];
    const unknown = situations.find((s) => !isTransferSituation(s));
    if (unknown) {
      throw DomainError.invalid(`situations: ${unknown} is not one of ${TRANSFER_SITUATIONS.join(', ')}`, {
        field: 'situations',
      });
    }
    const groups = await this.groups(practiceId);
    const options = transferOptions(groups, caller.role, situations, this.clock.nowDate(), call.timezone);
    return {
      callStartId,
      waitSeconds: WARM_TRANSFER_WAIT_SECONDS,
      situations,
      options: options.map((o) => ({
        ...o,
        scripts: transferScripts({
          groupName: o.name,
          topic: query.topic ?? '',
          agentName: caller.displayName,
        }),
      })),
      transfers: await this.callTransfers(practiceId, callStartId),
    };
  }

  /**
   * Records a transfer tried on the caller's call in progress. A group that is closed, or a
   * queue the agent found unavailable, files a callback ticket in the managers' inbox in the
   * same statement; a blind transfer needs an unanswered warm one to the same group first.
   */
  async record(
    practiceId: string,
    callStartId: string,
    caller: Caller,
    input: NewTransfer,
  ): Promise<CallTransferView & { ticket: { id: string; category: 'transfer_callback' } | null }> {
    const call = await this.call(practiceId, callStartId, caller);
    if (call.saved) {
      throw DomainError.conflict('the call is saved already: transfers are recorded while it lasts');
    }
    const now = this.clock.nowDate();
    if (now.getTime() - call.started_at.getTime() > CALL_IN_PROGRESS_HOURS * 3_600_000) {
      throw DomainError.conflict(
        `the call started over ${CALL_IN_PROGRESS_HOURS} hours ago: start a new one`,
      );
    }
    const group = await this.group(practiceId, input.groupId).catch((e: unknown) => {
      throw e instanceof DomainError
        ? DomainError.invalid('groupId: not a transfer group of this practice', { field: 'groupId' })
        : e;
    });
    const decision = transferDecision(group, caller.role, input.kind, input.outcome, now, call.timezone);
    if (!decision.ok) {
      if (decision.status === 'forbidden') throw DomainError.forbidden(decision.message);
      throw DomainError.invalid(decision.message, { field: decision.message.split(':')[0] });
    }
    if (input.kind === 'blind') {
      const problem = blindTransferProblem(await this.callTransfers(practiceId, callStartId), group.id);
      if (problem) throw DomainError.invalid(problem, { field: 'kind' });
    }
    const note = input.note?.trim().slice(0, 500) || null;
    const reason =
      `Patient callback: ${group.name} was unavailable for a ${input.kind} transfer` +
      (decision.outcome === input.outcome ? '' : ' (outside its hours)') +
      (note ? `. ${note}` : '');
    const [row] = await this.db.query(
      `WITH ticket AS (
         INSERT INTO escalation (practice_id, patient_id, member_id, campaign_id, agent_id, category, reason, status,
                                 created_at)
         SELECT $1, $2, $3, $4, $5, 'transfer_callback', $6, 'open', $7 WHERE $8
         RETURNING id)
       INSERT INTO call_transfer (practice_id, call_start_id, member_id, group_id, agent_id, kind, outcome,
                                  escalation_id, created_at)
       SELECT $1, $9, $3, $10, $5, $11, $12, (SELECT id FROM ticket), $7
       RETURNING *`,
      [
        practiceId,
        call.patient_id,
        call.member_id,
        call.campaign_id,
        caller.id,
        reason,
        now,
        decision.fileTicket,
        callStartId,
        group.id,
        input.kind,
        decision.outcome,
      ],
    );
    await this.audit.record({
      action: 'call.transfer',
      practiceId,
      entityType: 'call_start',
      entityId: callStartId,
      details: {
        memberId: call.member_id,
        transferId: row.id,
        groupId: group.id,
        kind: input.kind,
        outcome: decision.outcome,
        escalationId: row.escalation_id,
      },
    });
    return {
      ...toTransfer({ ...row, group_name: group.name }),
      ticket: row.escalation_id ? { id: row.escalation_id, category: 'transfer_callback' } : null,
    };
  }

  /** The practice's transfers, newest first, with the patient, agent and the code saved for the call. */
  async list(practiceId: string, limit = 200): Promise<TransferListItem[]> {
    const rows = await this.db.query(
      `SELECT t.*, g.name AS group_name, u.login AS agent_login, m.patient_id, c.name AS campaign_name,
              p.mrn, nullif(concat_ws(' ', p.first_name, p.last_name), '') AS patient_name, a.code AS attempt_code
       FROM call_transfer t
       JOIN transfer_group g ON g.id = t.group_id
       JOIN app_user u ON u.id = t.agent_id
       JOIN campaign_member m ON m.id = t.member_id
       JOIN campaign c ON c.id = m.campaign_id
       LEFT JOIN patient p ON p.id = m.patient_id
       LEFT JOIN call_attempt a ON a.id = t.attempt_id
       WHERE t.practice_id = $1
       ORDER BY t.created_at DESC, t.kind = 'blind' DESC, t.id LIMIT $2`,
      [practiceId, limit],
    );
    return rows.map((r: TransferRow & Record<string, string | null>): TransferListItem => ({
      ...toTransfer(r),
      agentLogin: r.agent_login!,
      patientId: r.patient_id,
      patientName: r.patient_name,
      mrn: r.mrn,
      campaignName: r.campaign_name!,
      attemptCode: r.attempt_code,
    }));
  }

  async guide(practiceId: string): Promise<DeescalationView> {
    const [row] = await this.db.query(`SELECT deescalation FROM call_protocol WHERE practice_id = $1`, [
      practiceId,
    ]);
    const stored = (row?.deescalation ?? null) as DeescalationGuide | null;
    return {
      guide: stored ?? DEFAULT_DEESCALATION,
      customized: stored !== null,
      defaults: DEFAULT_DEESCALATION,
    };
  }

  /** The practice's own guide; `null` goes back to protocol 000's defaults. */
  async setGuide(practiceId: string, input: unknown | null): Promise<DeescalationView> {
    let guide: DeescalationGuide | null = null;
    if (input !== null) {
      const parsed = parseDeescalationGuide(input);
      if (!parsed.ok) throw DomainError.invalid(parsed.message, { field: parsed.field });
      guide = parsed.guide;
    }
    await this.db.query(
      `INSERT INTO call_protocol (practice_id, deescalation, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (practice_id) DO UPDATE SET deescalation = EXCLUDED.deescalation, updated_at = EXCLUDED.updated_at`,
      [practiceId, guide === null ? null : JSON.stringify(guide), this.clock.nowDate()],
    );
    await this.audit.record({
      action: 'practice.deescalation',
      practiceId,
      entityType: 'call_protocol',
      entityId: practiceId,
      details: { customized: guide !== null },
    });
    return this.guide(practiceId);
  }

  private parse(input: TransferGroupInput): TransferGroupInput {
    const parsed = parseTransferGroup(input);
    if (!parsed.ok) throw DomainError.invalid(parsed.message, { field: parsed.field });
    return parsed.value;
  }

  private async group(practiceId: string, groupId: string): Promise<TransferGroupView> {
    const [row] = await this.db.query(`SELECT * FROM transfer_group WHERE practice_id = $1 AND id = $2`, [
      practiceId,
      groupId,
    ]);
    if (!row) throw DomainError.notFound('transfer group');
    return toGroup(row);
  }

  private async saveGroup(run: () => Promise<GroupRow[] | [GroupRow[], number]>): Promise<GroupRow> {
    try {
      const result = await run();
      // An UPDATE … RETURNING answers [rows, count]; an INSERT answers rows.
      const rows = Array.isArray(result[0]) ? (result[0] as GroupRow[]) : (result as GroupRow[]);
      return rows[0];
    } catch (e) {
      if ((e as { code?: string; constraint?: string }).constraint === 'transfer_group_active_name_key') {
        throw DomainError.conflict('name: another active transfer group has this name', { field: 'name' });
      }
      throw e;
    }
  }

  private async recordChange(practiceId: string, groupId: string, change: string): Promise<void> {
    await this.audit.record({
      action: 'transfer-group.change',
      practiceId,
      entityType: 'transfer_group',
      entityId: groupId,
      details: { change },
    });
  }

  /** The call, if it is the caller's: an agent transfers the calls they are on, nobody else's. */
  private async call(practiceId: string, callStartId: string, caller: Caller): Promise<CallRow> {
    const [row] = await this.db.query(
      `SELECT s.id, s.agent_id, s.member_id, s.patient_id, m.campaign_id, s.started_at, pr.timezone,
              EXISTS (SELECT 1 FROM call_attempt a WHERE a.call_start_id = s.id) AS saved
       FROM call_start s
       JOIN campaign_member m ON m.id = s.member_id
       JOIN practice pr ON pr.id = s.practice_id
       WHERE s.id = $1 AND s.practice_id = $2`,
      [callStartId, practiceId],
    );
    if (!row) throw DomainError.notFound('call');
    if (row.agent_id !== caller.id) throw DomainError.forbidden('this call is not yours');
    return row;
  }

  private async callTransfers(practiceId: string, callStartId: string): Promise<CallTransferView[]> {
    const rows = await this.db.query(
      `SELECT t.*, g.name AS group_name FROM call_transfer t JOIN transfer_group g ON g.id = t.group_id
       WHERE t.practice_id = $1 AND t.call_start_id = $2 ORDER BY t.created_at, t.kind = 'blind', t.id`,
      [practiceId, callStartId],
    );
    return rows.map(toTransfer);
  }
}

interface GroupRow {
  id: string;
  name: string;
  when_to_transfer: string;
  phone: string;
  extension: string | null;
  hours: TransferGroupRule['hours'];
  allowed_roles: string[];
  situations: string[];
  active: boolean;
  created_at: Date;
}

interface TransferRow {
  id: string;
  call_start_id: string;
  member_id: string;
  group_id: string;
  group_name: string;
  agent_id: string;
  kind: TransferKind;
  outcome: TransferOutcome;
  attempt_id: string | null;
  escalation_id: string | null;
  created_at: Date;
}

function toGroup(r: GroupRow): TransferGroupView {
  return {
    id: r.id,
    name: r.name,
    whenToTransfer: r.when_to_transfer,
    phone: r.phone,
    extension: r.extension,
    hours: r.hours,
    allowedRoles: r.allowed_roles,
    situations: r.situations,
    active: r.active,
    createdAt: r.created_at.toISOString(),
  };
}

function toTransfer(r: TransferRow): CallTransferView {
  return {
    id: r.id,
    callStartId: r.call_start_id,
    memberId: r.member_id,
    groupId: r.group_id,
    groupName: r.group_name,
    agentId: r.agent_id,
    kind: r.kind,
    outcome: r.outcome,
    attemptId: r.attempt_id,
    escalationId: r.escalation_id,
    createdAt: r.created_at.toISOString(),
  };
}

function groupValues(g: TransferGroupInput): unknown[] {
  return [
    g.name,
    g.whenToTransfer,
    g.phone,
    g.extension,
    g.hours === null ? null : JSON.stringify(g.hours),
    g.allowedRoles,
    g.situations,
  ];
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
