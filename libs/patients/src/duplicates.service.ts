import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { DomainError } from '@recall/core';
import { DataSource, EntityManager } from 'typeorm';
import type { DuplicateReason, DuplicateStatus } from './entities';
import {
  PATIENT_ACTIVITY_SQL,
  PatientsService,
  toView,
  type PatientActivityRow,
  type PatientView,
} from './patients.service';

export interface DuplicateView {
  id: string;
  reason: DuplicateReason;
  status: DuplicateStatus;
  createdAt: string;
  patients: [PatientView, PatientView];
}

/**
 * Possible duplicates flagged by imports. A manager merges (one survivor keeps the MRN the
 * other files know, takes the other's phones, visits and do-not-call) or dismisses.
 */
@Injectable()
export class DuplicatesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly patients: PatientsService,
    private readonly audit: AuditService,
  ) {}

  async list(practiceId: string, status: DuplicateStatus = 'open', limit = 100): Promise<DuplicateView[]> {
    const today = await this.patients.today(practiceId);
    const pairs = await this.db.query(
      `SELECT id, reason, status, created_at, patient_id_a, patient_id_b FROM duplicate_candidate
       WHERE practice_id = $1 AND status = $2 ORDER BY created_at DESC, id LIMIT $3`,
      [practiceId, status, Math.min(Math.max(limit, 1), 500)],
    );
    if (pairs.length === 0) return [];
    const ids = pairs.flatMap((p: { patient_id_a: string; patient_id_b: string }) => [
      p.patient_id_a,
      p.patient_id_b,
    ]);
    const rows = await this.db.query(`${PATIENT_ACTIVITY_SQL} AND p.id = ANY($3)`, [practiceId, today, ids]);
    const byId = new Map<string, PatientView>(rows.map((r: PatientActivityRow) => [r.id, toView(r)]));
    return pairs.map((p: Record<string, string & Date>) => ({
      id: p.id,
      reason: p.reason as DuplicateReason,
      status: p.status as DuplicateStatus,
      createdAt: new Date(p.created_at).toISOString(),
      patients: [byId.get(p.patient_id_a)!, byId.get(p.patient_id_b)!],
    }));
  }

  async dismiss(practiceId: string, id: string, userId: string): Promise<void> {
    const updated = await this.db.query(
      `WITH u AS (UPDATE duplicate_candidate SET status = 'dismissed', resolved_by = $3, resolved_at = now()
                  WHERE id = $1 AND practice_id = $2 AND status = 'open' RETURNING id) SELECT id FROM u`,
      [id, practiceId, userId],
    );
    if (updated.length === 0) throw DomainError.notFound('open duplicate');
    await this.audit.record({
      action: 'patients.duplicate-dismissed',
      practiceId,
      entityType: 'duplicate_candidate',
      entityId: id,
    });
  }

  /** Merges the other patient of the pair into `survivorId`, in one transaction. */
  async merge(practiceId: string, id: string, survivorId: string, userId: string): Promise<PatientView> {
    await this.db.transaction(async (tx) => {
      const [pair] = await tx.query(
        `SELECT patient_id_a, patient_id_b FROM duplicate_candidate
         WHERE id = $1 AND practice_id = $2 AND status = 'open' FOR UPDATE`,
        [id, practiceId],
      );
      if (!pair) throw DomainError.notFound('open duplicate');
      if (survivorId !== pair.patient_id_a && survivorId !== pair.patient_id_b) {
        throw DomainError.invalid('survivorId: must be one of the two patients of the pair', {
          field: 'survivorId',
        });
      }
      const loserId = survivorId === pair.patient_id_a ? pair.patient_id_b : pair.patient_id_a;
      await this.mergeRecords(tx, survivorId, loserId, userId);
      await tx.query(
        `UPDATE duplicate_candidate SET status = 'merged', resolved_by = $2, resolved_at = now() WHERE id = $1`,
        [id, userId],
      );
    });
    await this.audit.record({
      action: 'patients.duplicate-merged',
      practiceId,
      entityType: 'duplicate_candidate',
      entityId: id,
      details: { survivorId },
    });
    return this.patients.findById(practiceId, survivorId);
  }

  /**
   * Folds the loser's phones, do-not-call and deceased marks and visits into the survivor and
   * links the loser to it, inside the caller's transaction (the duplicate review, or an
   * agent's DUPLICATE disposition). Open duplicate pairs of the loser are dismissed.
   */
  async mergeRecords(tx: EntityManager, survivorId: string, loserId: string, userId: string): Promise<void> {
    await tx.query(
      `UPDATE patient s SET
         phones = (SELECT coalesce(jsonb_agg(ph ORDER BY (ph->>'valid')::boolean DESC, n), '[]'::jsonb) FROM (
                     SELECT ph, n FROM (
                       SELECT DISTINCT ON (coalesce(ph->>'e164', ph->>'raw'), coalesce(ph->>'extension', '')) ph, n
                       FROM (SELECT ph, n FROM jsonb_array_elements(s.phones) WITH ORDINALITY a(ph, n)
                             UNION ALL
                             SELECT ph, n + 10 FROM jsonb_array_elements(l.phones) WITH ORDINALITY b(ph, n)) x
                       ORDER BY coalesce(ph->>'e164', ph->>'raw'), coalesce(ph->>'extension', ''), n) d
                     ORDER BY (ph->>'valid')::boolean DESC, n LIMIT 3) k),
         do_not_call_at = coalesce(s.do_not_call_at, l.do_not_call_at),
         do_not_call_reason = coalesce(s.do_not_call_reason, l.do_not_call_reason),
         deceased = s.deceased OR l.deceased,
         deceased_on = coalesce(s.deceased_on, l.deceased_on),
         updated_at = now()
       FROM patient l WHERE s.id = $1 AND l.id = $2`,
      [survivorId, loserId],
    );
    await tx.query(`UPDATE visit SET patient_id = $1, updated_at = now() WHERE patient_id = $2`, [
      survivorId,
      loserId,
    ]);
    await tx.query(`UPDATE patient SET merged_into_id = $1, updated_at = now() WHERE id = $2`, [
      survivorId,
      loserId,
    ]);
    // Anything merged into the loser now points at the survivor.
    await tx.query(`UPDATE patient SET merged_into_id = $1 WHERE merged_into_id = $2`, [survivorId, loserId]);
    // Other open pairs involving the loser are moot.
    await tx.query(
      `UPDATE duplicate_candidate SET status = 'dismissed', resolved_by = $2, resolved_at = now()
       WHERE status = 'open' AND (patient_id_a = $1 OR patient_id_b = $1)`,
      [loserId, userId],
    );
  }
}
