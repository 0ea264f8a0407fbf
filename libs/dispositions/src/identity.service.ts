import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { Clock, DomainError } from '@recall/core';
import { DataSource, EntityManager } from 'typeorm';
import {
  AFTER_FAILED_IDENTITY,
  DEFAULT_IDENTITY_FIELDS,
  evaluateIdentityCheck,
  IDENTITY_FIELD_LABELS,
  IDENTITY_FIELDS,
  identityStatus,
  parseIdentityFields,
  type IdentityField,
  type IdentityStatus,
} from './protocol/identity';

export interface IdentitySettings {
  fields: IdentityField[];
  /** Every field a practice may choose, with its label. */
  available: { field: IdentityField; label: string }[];
}

/** The identity check of one call, as the workspace shows it. */
export interface CallIdentity {
  callStartId: string | null;
  status: IdentityStatus;
  /** The practice's fields, in the order the agent asks them. */
  fields: IdentityField[];
  checks: Partial<Record<IdentityField, boolean>> | null;
  checkedAt: string | null;
  /** After a failed check: the only codes the call may close with. */
  allowedCodes: string[] | null;
}

/** A call counts as "current" for this long after it started, as the dispositions match it. */
export const CURRENT_CALL_SQL = `
  SELECT s.id, s.identity_verified, s.identity_checks, s.identity_checked_at FROM call_start s
  WHERE s.member_id = $1 AND s.agent_id = $2 AND s.started_at <= $3::timestamptz
    AND s.started_at > $3::timestamptz - interval '4 hours'
    AND NOT EXISTS (SELECT 1 FROM call_attempt ca WHERE ca.call_start_id = s.id)
  ORDER BY s.started_at DESC LIMIT 1`;

/**
 * The identity check (protocol 001): the practice's fields, and the agent's answers on a started
 * call, recorded once on its call start. The rules are in protocol/identity.ts; the disposition
 * write enforces them.
 */
@Injectable()
export class IdentityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async fields(practiceId: string, tx: EntityManager | DataSource = this.db): Promise<IdentityField[]> {
    const [row] = await tx.query(`SELECT identity_fields FROM call_protocol WHERE practice_id = $1`, [
      practiceId,
    ]);
    const parsed = row ? parseIdentityFields(row.identity_fields) : null;
    return parsed?.ok ? parsed.fields : [...DEFAULT_IDENTITY_FIELDS];
  }

  async settings(practiceId: string): Promise<IdentitySettings> {
    return {
      fields: await this.fields(practiceId),
      available: IDENTITY_FIELDS.map((field) => ({ field, label: IDENTITY_FIELD_LABELS[field] })),
    };
  }

  async setFields(practiceId: string, fields: readonly string[]): Promise<IdentitySettings> {
    const parsed = parseIdentityFields(fields);
    if (!parsed.ok) throw DomainError.invalid(`fields: ${parsed.message}`, { field: 'fields' });
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO call_protocol (practice_id, identity_fields, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (practice_id) DO UPDATE SET identity_fields = EXCLUDED.identity_fields,
           updated_at = EXCLUDED.updated_at`,
        [practiceId, parsed.fields, this.clock.nowDate()],
      );
      await this.audit.record(
        {
          action: 'protocol.identity',
          practiceId,
          entityType: 'practice',
          entityId: practiceId,
          details: { fields: parsed.fields },
        },
        tx,
      );
    });
    return this.settings(practiceId);
  }

  /**
   * The agent's answers on their started call: once per call (a conditional update), and only
   * while the call is not closed by a disposition. A mis-keyed check is not re-done: the call
   * closes as UNAVLBL and a new call starts a new check.
   */
  async recordCheck(
    practiceId: string,
    callStartId: string,
    agentId: string,
    answers: Readonly<Record<string, unknown>>,
  ): Promise<CallIdentity> {
    return this.db.transaction(async (tx) => {
      const fields = await this.fields(practiceId, tx);
      const [call] = await tx.query(
        `SELECT s.id, s.member_id, s.agent_id, s.identity_verified,
           EXISTS (SELECT 1 FROM call_attempt ca WHERE ca.call_start_id = s.id) AS closed
         FROM call_start s WHERE s.id = $1 AND s.practice_id = $2`,
        [callStartId, practiceId],
      );
      if (!call || call.agent_id !== agentId) throw DomainError.notFound('call (start it from your queue)');
      if (call.closed) throw DomainError.conflict('this call already has its outcome; start a new call');
      const check = evaluateIdentityCheck(fields, answers);
      if (!check.ok) throw DomainError.invalid(`checks.${check.message}`, { field: `checks.${check.field}` });
      const now = this.clock.nowDate();
      const updated = await tx.query(
        `UPDATE call_start SET identity_verified = $2, identity_checks = $3, identity_checked_at = $4
         WHERE id = $1 AND identity_verified IS NULL RETURNING id`,
        [callStartId, check.verified, JSON.stringify(check.checks), now],
      );
      // node-postgres answers an UPDATE … RETURNING as [rows, count] through TypeORM.
      const rows = Array.isArray(updated[0]) ? updated[0] : updated;
      if (rows.length !== 1) {
        throw DomainError.conflict(
          'the identity check of this call is already recorded; close the call and start a new one to check again',
        );
      }
      await this.audit.record(
        {
          action: 'call.identity',
          practiceId,
          entityType: 'call_start',
          entityId: callStartId,
          details: { memberId: call.member_id, verified: check.verified, checks: check.checks },
        },
        tx,
      );
      return toIdentity(
        {
          id: callStartId,
          identity_verified: check.verified,
          identity_checks: check.checks,
          identity_checked_at: now,
        },
        fields,
      );
    });
  }

  /** The agent's current call on the member (started in the last 4 hours, not closed yet), if any. */
  async currentCall(practiceId: string, memberId: string, agentId: string): Promise<CallIdentity> {
    const fields = await this.fields(practiceId);
    const [row] = await this.db.query(CURRENT_CALL_SQL, [memberId, agentId, this.clock.nowDate()]);
    return toIdentity(row ?? null, fields);
  }
}

interface CallRow {
  id: string;
  identity_verified: boolean | null;
  identity_checks: Record<string, boolean> | null;
  identity_checked_at: Date | null;
}

function toIdentity(row: CallRow | null, fields: IdentityField[]): CallIdentity {
  const status = identityStatus(row?.identity_verified);
  return {
    callStartId: row?.id ?? null,
    status,
    fields,
    checks: row?.identity_checks ?? null,
    checkedAt: row?.identity_checked_at ? new Date(row.identity_checked_at).toISOString() : null,
    allowedCodes: status === 'failed' ? [...AFTER_FAILED_IDENTITY] : null,
  };
}
