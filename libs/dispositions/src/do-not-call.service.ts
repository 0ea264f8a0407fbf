import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { Clock, DomainError } from '@recall/core';
import { DataSource, EntityManager } from 'typeorm';

export interface DoNotCallEntry {
  patientId: string;
  mrn: string;
  name: string;
  since: string;
  reason: string;
}

/**
 * Puts a patient (or a partner contact) on the do-not-call list and closes them in every open
 * campaign of the practice, their pending cycle items with them, in one statement. An earlier
 * mark and reason are kept. Returns false when no such patient or contact is in the practice.
 */
export async function markDoNotCall(
  tx: EntityManager,
  practiceId: string,
  target: { patientId: string } | { contactId: string },
  at: Date,
  reason: string,
  closedAt: Date = at,
): Promise<boolean> {
  const [table, column, id] =
    'patientId' in target
      ? ['patient', 'patient_id', target.patientId]
      : ['contact', 'contact_id', target.contactId];
  const [{ found }] = await tx.query(
    `WITH marked AS (
       UPDATE ${table} SET do_not_call_at = coalesce(do_not_call_at, $3),
         do_not_call_reason = coalesce(do_not_call_reason, $4), updated_at = now()
       WHERE practice_id = $1 AND id = $2 RETURNING id),
     closed AS (
       UPDATE campaign_member SET state = 'dnc', closed_at = $5
       WHERE practice_id = $1 AND ${column} = $2 AND state = 'open' RETURNING id),
     removed AS (
       UPDATE cycle_assignment SET state = 'removed'
       WHERE member_id IN (SELECT id FROM closed) AND state = 'pending' RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM marked) AS found, (SELECT count(*) FROM removed) AS removed`,
    [practiceId, id, at, reason, closedAt],
  );
  return found;
}

/**
 * The practice's do-not-call list. A patient gets on it from a DNC disposition, an export's
 * flag or a manager; no import, campaign, cycle or sheet takes them off. Only an admin lifts
 * it, with a reason, audited.
 */
@Injectable()
export class DoNotCallService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(practiceId: string, limit = 500): Promise<DoNotCallEntry[]> {
    const rows: DoNotCallEntry[] = await this.db.query(
      `SELECT id AS "patientId", mrn, concat_ws(' ', first_name, last_name) AS name,
              do_not_call_at AS since, coalesce(do_not_call_reason, '') AS reason
       FROM patient WHERE practice_id = $1 AND do_not_call_at IS NOT NULL AND merged_into_id IS NULL
       ORDER BY do_not_call_at DESC LIMIT $2`,
      [practiceId, limit],
    );
    await this.audit.record({
      action: 'dnc.list',
      practiceId,
      entityType: 'patient',
      details: { patients: rows.map((r) => r.patientId) },
    });
    return rows.map((r) => ({ ...r, since: new Date(r.since).toISOString() }));
  }

  /** A manager puts a patient on the list (a letter, an inbound call): closed in every campaign. */
  async add(practiceId: string, patientId: string, reason: string): Promise<void> {
    const why = reason?.trim();
    if (!why) throw DomainError.invalid('reason: required', { field: 'reason' });
    const now = this.clock.nowDate();
    await this.db.transaction(async (tx) => {
      const found = await markDoNotCall(tx, practiceId, { patientId }, now, why.slice(0, 500));
      if (!found) throw DomainError.notFound('patient');
    });
    await this.audit.record({ action: 'dnc.add', practiceId, entityType: 'patient', entityId: patientId });
  }

  /** Admin only (the controller's policy): the patient may be called again by future campaigns. */
  async lift(practiceId: string, patientId: string, reason: string): Promise<void> {
    const why = reason?.trim();
    if (!why || why.length < 5) {
      throw DomainError.invalid('reason: say why the do-not-call is lifted (at least 5 characters)', {
        field: 'reason',
      });
    }
    const [, count] = await this.db.query(
      `UPDATE patient SET do_not_call_at = NULL, do_not_call_reason = NULL, updated_at = now()
       WHERE practice_id = $1 AND id = $2 AND do_not_call_at IS NOT NULL`,
      [practiceId, patientId],
    );
    if (!count) throw DomainError.notFound('patient on the do-not-call list');
    await this.audit.record({
      action: 'dnc.lift',
      practiceId,
      entityType: 'patient',
      entityId: patientId,
      details: { reason: why.slice(0, 500) },
    });
  }
}
