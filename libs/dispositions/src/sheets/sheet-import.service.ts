import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { RecallConfig } from '@recall/config';
import { DomainError, Role } from '@recall/core';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { SheetColumn } from '../../../cycles/src/sheets/cycle-sheet';
import { DISPOSITIONS } from '../disposition-codes';
import { DispositionsService, startFollowUps, type FollowUp } from '../dispositions.service';
import { readCycleSheet, SheetFormatError, type SheetProblem } from './read-sheet';

export interface SheetImportReport {
  /** Whether anything was written: false for a dry run and for a sheet with problems. */
  applied: boolean;
  dryRun: boolean;
  rows: number;
  blank: number;
  recorded: number;
  /** Rows already recorded (the same code at the same call time): a re-upload changes nothing. */
  unchanged: number;
  problems: SheetProblem[];
}

/** Which sheet column a rule's field came from, for the problem report. */
const FIELD_COLUMN: Record<string, SheetColumn> = {
  appointmentAt: 'Appt Date',
  callbackAt: 'Appt Date',
  at: 'Last Call Date',
  code: 'Disposition',
  member: 'Disposition',
  reason: 'Remarks',
  survivorId: 'Disposition',
  phoneUsed: 'Phone(s)',
  agentId: 'Disposition',
};

class Rejected extends Error {}

/**
 * A filled-in cycle sheet, recorded as the agent's dispositions: every row or none (one
 * transaction, a savepoint per row so every problem is reported), every rule checked for the
 * row's call time, and a re-upload of the same sheet records nothing new.
 */
@Injectable()
export class SheetImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispositions: DispositionsService,
    private readonly audit: AuditService,
    private readonly config: RecallConfig,
  ) {}

  async import(
    practiceId: string,
    cycleId: string,
    agentId: string,
    file: { name: string; body: Buffer },
    opts: { dryRun?: boolean; actorId: string },
  ): Promise<SheetImportReport> {
    const [cycle] = await this.db.query(
      `SELECT cy.id, pr.timezone FROM call_cycle cy JOIN practice pr ON pr.id = cy.practice_id
       WHERE cy.id = $1 AND cy.practice_id = $2`,
      [cycleId, practiceId],
    );
    if (!cycle) throw DomainError.notFound('cycle');
    let read;
    try {
      read = await readCycleSheet(file.body, file.name, this.config.sheetLimits);
    } catch (e) {
      if (e instanceof SheetFormatError) throw DomainError.invalid(`${file.name}: ${e.message}`);
      throw e;
    }
    const report: SheetImportReport = {
      applied: false,
      dryRun: opts.dryRun ?? false,
      rows: read.entries.length + read.blank,
      blank: read.blank,
      recorded: 0,
      unchanged: 0,
      problems: [...read.problems],
    };
    const members: { mrn: string; member_id: string; last: string[] }[] = await this.db.query(
      `SELECT p.mrn, m.id AS member_id,
              array(SELECT a.code || '@' || to_char(date_trunc('minute', a.ended_at) AT TIME ZONE $4, 'YYYY-MM-DD"T"HH24:MI')
                    FROM call_attempt a WHERE a.member_id = m.id) AS last
       FROM cycle_assignment a JOIN campaign_member m ON m.id = a.member_id JOIN patient p ON p.id = m.patient_id
       WHERE a.cycle_id = $1 AND a.agent_id = $2 AND a.practice_id = $3 AND a.state <> 'removed'`,
      [cycleId, agentId, practiceId, cycle.timezone],
    );
    const byMrn = new Map(members.map((m) => [m.mrn, m]));
    const zone: string = cycle.timezone;
    const followUps: FollowUp[] = [];
    const instant = (wall: string) => DateTime.fromISO(wall, { zone }).toISO({ suppressMilliseconds: true })!;

    try {
      await this.db.transaction(async (tx) => {
        for (const e of read.entries) {
          const m = byMrn.get(e.mrn);
          if (!m) {
            report.problems.push({
              line: e.line,
              column: 'MRN',
              mrn: e.mrn,
              message: "not on this agent's sheet for this cycle",
            });
            continue;
          }
          if (e.callAt && m.last.includes(`${e.code}@${e.callAt}`)) {
            report.unchanged++;
            continue;
          }
          const spec = DISPOSITIONS[e.code];
          if (spec.requiresSurvivor) {
            report.problems.push({
              line: e.line,
              column: 'Disposition',
              mrn: e.mrn,
              message: 'DUPLICATE needs the surviving record: record it in the workspace',
            });
            continue;
          }
          const at = e.callAt ? instant(e.callAt) : null;
          const key = `sheet:${createHash('sha256')
            .update(JSON.stringify([cycleId, m.member_id, e.code, e.callAt, e.appointment]))
            .digest('hex')}`;
          try {
            await tx.transaction(async (row) => {
              const result = await this.dispositions.recordIn(
                row,
                practiceId,
                {
                  memberId: m.member_id,
                  agentId,
                  code: e.code,
                  appointmentAt: spec.requiresAppointment && e.appointment ? instant(e.appointment) : null,
                  callbackAt: spec.requiresCallback && e.appointment ? instant(e.appointment) : null,
                  reason: spec.requiresReason ? e.remarks : null,
                  remarks: e.remarks,
                  at,
                  idempotencyKey: key,
                  source: 'sheet',
                },
                { id: opts.actorId, role: Role.Manager },
                followUps,
              );
              if (result.replayed) report.unchanged++;
              else report.recorded++;
            });
          } catch (err) {
            if (!(err instanceof DomainError)) throw err;
            const field = (err.details?.field as string | undefined) ?? err.message.split(':')[0];
            report.problems.push({
              line: e.line,
              column: FIELD_COLUMN[field] ?? null,
              mrn: e.mrn,
              // The column names the field; the rule's own field name would only confuse.
              message: FIELD_COLUMN[field] ? err.message.replace(/^[a-zA-Z]+: /, '') : err.message,
            });
          }
        }
        if (report.problems.length || report.dryRun) throw new Rejected();
      });
      report.applied = true;
    } catch (e) {
      if (!(e instanceof Rejected)) throw e;
      if (report.problems.length) report.recorded = 0;
    }
    report.problems.sort((a, b) => a.line - b.line);
    await this.audit.record({
      action: 'cycle.sheet-import',
      outcome: report.problems.length ? 'failure' : 'success',
      practiceId,
      entityType: 'call_cycle',
      entityId: cycleId,
      details: {
        agentId,
        dryRun: report.dryRun,
        recorded: report.recorded,
        unchanged: report.unchanged,
        problems: report.problems.length,
      },
    });
    if (report.applied) startFollowUps(followUps);
    return report;
  }
}
