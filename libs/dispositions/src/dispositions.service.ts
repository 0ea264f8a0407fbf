import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import type { PracticeRedFlags } from '@recall/auth';
import { DEFAULT_SETTINGS, type CampaignSettings, type MemberState } from '@recall/campaigns';
import { Clock, DomainError, Role } from '@recall/core';
import { assignmentPriority, loadCallingRules, windowStatus, type CallingRules } from '@recall/cycles';
import {
  DuplicatesService,
  MARK_BAD_ON_PATIENT,
  MARK_NUMBER_ON_PATIENTS,
  type StoredPhone,
} from '@recall/patients';
import { JobQueue } from '@recall/queue';
import { DateTime } from 'luxon';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DISPOSITIONS, isDispositionCode, type DispositionCode } from './disposition-codes';
import type { AttemptSource } from './entities';
import { markDoNotCall } from './do-not-call.service';
import { EscalationsService, type NewEscalation } from './escalations.service';
import { nextStep, type DispositionOutcome } from './next-step';
import {
  identityForEntry,
  identityStatus,
  parseIdentityFields,
  DEFAULT_IDENTITY_FIELDS,
} from './protocol/identity';
import { repeatedContactFlag, screenRemarks } from './red-flags';

export interface RecordDispositionInput {
  memberId: string;
  /** The agent who made the call (an agent records for themselves; managers for anyone). */
  agentId: string;
  code: string;
  appointmentAt?: string | null;
  callbackAt?: string | null;
  reason?: string | null;
  survivorId?: string | null;
  /** DUPLICATE: the surviving record by its MRN (when the agent does not have its id). */
  survivorMrn?: string | null;
  /** The number dialled; default: the call start's, else the patient's best valid number. */
  phone?: string | null;
  remarks?: string | null;
  callStartId?: string | null;
  /** Back-office entry: when the call happened (every rule is checked for that instant). */
  at?: string | null;
  idempotencyKey: string;
  source: AttemptSource;
}

export interface Actor {
  id: string;
  role: Role;
}

export interface AttemptView {
  id: string;
  campaignId: string;
  campaignName: string;
  memberId: string;
  patientId: string | null;
  agentId: string;
  agentLogin: string;
  recordedBy: string;
  code: DispositionCode;
  label: string;
  attemptNumber: number | null;
  phone: string | null;
  startedAt: string | null;
  endedAt: string;
  handleSeconds: number | null;
  appointmentAt: string | null;
  callbackAt: string | null;
  reason: string | null;
  remarks: string | null;
  survivorId: string | null;
  patientLocalHour: number;
  memberState: string;
  supersedesId: string | null;
  /** A later correction replaced this row. */
  supersededBy: string | null;
  source: AttemptSource;
  recordedAt: string;
}

export interface DispositionResult {
  attemptId: string;
  code: DispositionCode;
  attemptNumber: number | null;
  member: {
    id: string;
    state: string;
    attempts: number;
    attemptCap: number;
    notBefore: string | null;
    callbackAt: string | null;
  };
  nextNumber: string | null;
  markedBad: string | null;
  escalations: { category: string; reason: string; excerpt: string | null }[];
  /** True when this response replays an earlier request with the same idempotency key. */
  replayed: boolean;
}

interface MemberRow {
  id: string;
  practice_id: string;
  campaign_id: string;
  campaign_name: string;
  campaign_status: string;
  settings: CampaignSettings;
  patient_id: string | null;
  contact_id: string | null;
  state: MemberState;
  attempts: number;
  attempt_cap: number;
  last_code: string | null;
  last_attempt_at: Date | null;
  not_before: string | null;
  callback_at: Date | null;
  callback_agent_id: string | null;
  closed_at: Date | null;
  phones: StoredPhone[];
  time_zone: string | null;
  us_state: string | null;
  do_not_call_at: Date | null;
  merged_into_id: string | null;
  practice_zone: string;
  red_flags: PracticeRedFlags | null;
  works: boolean;
  assigned: boolean;
  call_start: { id: string; started_at: string; phone: string; identity_verified: boolean | null } | null;
  bad_numbers: string[];
  /** The practice's identity fields (null: the defaults). */
  identity_fields: string[] | null;
}

/** Work to run after the transaction commits (queued jobs). */
export type FollowUp = () => Promise<unknown>;

const followUpLog = new Logger('Dispositions');

/**
 * Starts the queued follow-ups of a committed disposition without waiting for them: while
 * Redis is down an enqueue waits for it to return, and the agent's save must not.
 */
export function startFollowUps(followUps: FollowUp[]): void {
  for (const run of followUps) {
    void run().catch((err: unknown) =>
      followUpLog.error({ err: (err as Error)?.message ?? String(err) }, 'follow-up job not queued'),
    );
  }
}

const MEMBER_SNAPSHOT = [
  'state',
  'attempts',
  'last_code',
  'last_attempt_at',
  'not_before',
  'callback_at',
  'callback_agent_id',
  'closed_at',
] as const;

/**
 * Records what happened on a call, as one transaction: the member's row is locked (not waiting: a
 * second agent saving on the same patient gets a conflict at once), the rules of
 * `nextStep` decide the outcome, a conditional update moves the member (the CHECK holds the
 * attempts to the cap), and an immutable attempt row is written with the response it returns,
 * so a repeated idempotency key replays it instead of recording twice.
 */
@Injectable()
export class DispositionsService {
  private readonly rules: CallingRules = loadCallingRules();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly duplicates: DuplicatesService,
    private readonly escalations: EscalationsService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async record(practiceId: string, input: RecordDispositionInput, actor: Actor): Promise<DispositionResult> {
    return this.save(practiceId, input, actor, null);
  }

  /**
   * A correction: a new row that supersedes the member's latest attempt. The member goes back
   * to how it was before that attempt, then the new code applies. Do-not-call is lifted by an
   * admin instead, and a merged duplicate stays merged.
   */
  async correct(
    practiceId: string,
    attemptId: string,
    input: Omit<RecordDispositionInput, 'memberId'>,
    actor: Actor,
  ): Promise<DispositionResult> {
    const [original] = await this.db.query(
      `SELECT member_id FROM call_attempt WHERE id = $1 AND practice_id = $2`,
      [attemptId, practiceId],
    );
    if (!original) throw DomainError.notFound('attempt');
    return this.save(practiceId, { ...input, memberId: original.member_id }, actor, attemptId);
  }

  private async save(
    practiceId: string,
    input: RecordDispositionInput,
    actor: Actor,
    supersedesId: string | null,
  ): Promise<DispositionResult> {
    const followUps: FollowUp[] = [];
    const result = await this.db.transaction((tx) =>
      this.saveIn(tx, practiceId, input, actor, supersedesId, followUps),
    );
    if (!result.replayed) startFollowUps(followUps);
    return result;
  }

  /**
   * Records inside the caller's transaction (a sheet upload: every row or none). The caller
   * runs `followUps` (queued jobs) once it has committed.
   */
  async recordIn(
    tx: EntityManager,
    practiceId: string,
    input: RecordDispositionInput,
    actor: Actor,
    followUps: FollowUp[],
  ): Promise<DispositionResult> {
    return this.saveIn(tx, practiceId, input, actor, null, followUps);
  }

  private async saveIn(
    tx: EntityManager,
    practiceId: string,
    input: RecordDispositionInput,
    actor: Actor,
    supersedesId: string | null,
    followUps: FollowUp[],
  ): Promise<DispositionResult> {
    const key = input.idempotencyKey?.trim();
    if (!key) throw DomainError.invalid('idempotencyKey: required', { field: 'idempotencyKey' });
    if (!isDispositionCode(input.code)) {
      throw DomainError.invalid(`code: not a disposition code: ${input.code}`, { field: 'code' });
    }
    const requestHash = hashRequest(input, supersedesId);
    if (input.survivorMrn?.trim() && !input.survivorId) {
      const [survivor] = await tx.query(`SELECT id FROM patient WHERE practice_id = $1 AND mrn = $2`, [
        practiceId,
        input.survivorMrn.trim(),
      ]);
      if (!survivor) {
        throw DomainError.invalid(`survivorMrn: no patient with MRN ${input.survivorMrn.trim()}`, {
          field: 'survivorMrn',
        });
      }
      input = { ...input, survivorId: survivor.id };
    }
    const now = this.clock.nowDate();
    const at = input.at ? parseAt(input.at) : now;
    if (at.getTime() > now.getTime() + 60_000) {
      throw DomainError.invalid('at: the call cannot be in the future', { field: 'at' });
    }
    // Requests with one key queue behind each other, so a retry sees the first one's row.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('attempt-key:' || $1 || ':' || $2))`, [
      practiceId,
      key,
    ]);
    const { prior, member } = await this.load(tx, practiceId, input, key, at);
    if (prior) {
      if (prior.request_hash !== requestHash) {
        throw DomainError.conflict(
          'idempotencyKey: already used for a different disposition; send a new key',
          {
            field: 'idempotencyKey',
          },
        );
      }
      return { ...(prior.outcome as DispositionResult), replayed: true };
    }
    return this.apply(
      tx,
      practiceId,
      input,
      actor,
      { key, requestHash, supersedesId, now, at, followUps },
      member,
    );
  }

  private async apply(
    tx: EntityManager,
    practiceId: string,
    input: RecordDispositionInput,
    actor: Actor,
    req: {
      key: string;
      requestHash: string;
      supersedesId: string | null;
      now: Date;
      at: Date;
      followUps: FollowUp[];
    },
    member: MemberRow,
  ): Promise<DispositionResult> {
    const code = input.code as DispositionCode;
    const { key, requestHash, supersedesId, now, at, followUps } = req;
    if (member.campaign_status !== 'active' && member.campaign_status !== 'paused') {
      throw DomainError.conflict(
        `the campaign is ${member.campaign_status}: calls are recorded while it runs`,
      );
    }
    this.checkAgent(member, input.agentId, actor);

    let memberBefore: Record<string, unknown> = snapshot(member);
    if (supersedesId) memberBefore = await this.restoreForCorrection(tx, member, supersedesId);
    const state = memberBefore.state as MemberState;
    const attempts = memberBefore.attempts as number;

    if (member.do_not_call_at && state === 'open') {
      throw DomainError.conflict('the patient is on the do-not-call list; the call cannot be recorded');
    }
    if (member.merged_into_id) {
      throw DomainError.conflict('this record was merged into another patient; record on the surviving one');
    }

    const start = member.call_start && {
      ...member.call_start,
      started_at: new Date(member.call_start.started_at),
    };
    if (input.callStartId && !start) {
      throw DomainError.invalid('callStartId: not a call of this agent on this patient', {
        field: 'callStartId',
      });
    }
    // Protocol 001: a booking only once the person on the call is verified (identity.ts).
    const identityFields = parseIdentityFields(member.identity_fields ?? []);
    const identity = identityForEntry(
      code,
      {
        call: start ? identityStatus(start.identity_verified) : null,
        source: input.source,
        byAgent: actor.role === Role.Agent,
      },
      identityFields.ok ? identityFields.fields : DEFAULT_IDENTITY_FIELDS,
    );
    if (!identity.ok) throw DomainError.invalid(identity.message, { field: identity.field });
    const settings = { ...DEFAULT_SETTINGS, ...member.settings };
    const patientZone = member.time_zone ?? member.practice_zone;
    const party = { timeZone: member.time_zone, state: member.us_state };
    const hours = {
      timeZone: member.practice_zone,
      hours: settings.callingHours,
      workingDays: settings.workingDays,
      holidays: [],
    };
    // The call itself had to start inside the window (the server refused it otherwise; a
    // back-office entry is checked here for the time it says the call happened).
    const callInstant = start?.started_at ?? at;
    const window = windowStatus(callInstant, party, hours, this.rules);
    if (!window.open) {
      throw DomainError.invalid(`at: the call was outside the calling window (${window.reason})`, {
        field: 'at',
      });
    }

    const badNumbers = new Set(member.bad_numbers);
    const phone =
      input.phone?.trim() || start?.phone || member.phones.find((p) => p.valid && p.e164)?.e164 || null;
    const step = nextStep({
      code,
      details: {
        appointmentAt: input.appointmentAt,
        callbackAt: input.callbackAt,
        reason: input.reason,
        survivorId: input.survivorId,
        phoneUsed: phone,
      },
      agentId: input.agentId,
      patient: {
        id: member.patient_id ?? member.contact_id!,
        phones: member.phones.map((p) => ({
          e164: p.e164,
          valid: p.valid || p.bad !== undefined,
          bad: p.bad !== undefined || (p.e164 !== null && badNumbers.has(p.e164)),
        })),
      },
      member: { state, attempts, attemptCap: member.attempt_cap },
      settings,
      practiceZone: member.practice_zone,
      patientZone,
      now: at,
      isInsideWindow: (instant) => windowStatus(instant, party, hours, this.rules).open,
    });
    if (!step.ok) {
      const status = step.error.field === 'member' ? DomainError.conflict : DomainError.invalid;
      throw status(`${step.error.field}: ${step.error.message}`, { field: step.error.field });
    }
    const outcome = step.outcome;
    if (outcome.survivorId) await this.checkSurvivor(tx, practiceId, member, outcome.survivorId);

    // A merged duplicate leaves the campaign; everything else follows the rules' state.
    const memberState: string = outcome.survivorId ? 'released' : outcome.memberState;
    const newAttempts = attempts + (outcome.countsAsAttempt ? 1 : 0);
    const open = memberState === 'open';
    const attemptId = randomUUID();
    const flags = await this.screen(tx, member, code, input.remarks, open);
    const escalations: NewEscalation[] = flags.map((f) => ({
      ...f,
      practiceId,
      patientId: member.patient_id,
      memberId: member.id,
      campaignId: member.campaign_id,
      attemptId,
      agentId: input.agentId,
    }));
    const result: DispositionResult = {
      attemptId,
      code,
      attemptNumber: outcome.attemptNumber,
      member: {
        id: member.id,
        state: memberState,
        attempts: newAttempts,
        attemptCap: member.attempt_cap,
        notBefore: outcome.notBefore,
        callbackAt: outcome.callback?.at ?? null,
      },
      nextNumber: outcome.nextNumber,
      markedBad: outcome.markNumberBad,
      escalations: flags.map(({ category, reason, excerpt }) => ({ category, reason, excerpt })),
      replayed: false,
    };

    // One statement moves the member (its CHECK holds the cap) and writes the attempt.
    const written = await reopenGuard(() =>
      tx.query(
        `WITH moved AS (
           UPDATE campaign_member SET state = $21, attempts = $28, last_code = $13, last_attempt_at = $12,
             not_before = $29, callback_at = $33, callback_agent_id = $30,
             closed_at = CASE WHEN $21 = 'open' THEN NULL ELSE coalesce(closed_at, $31) END
           WHERE id = $4 RETURNING id),
         -- The reports rebuild this practice-local day (a plain append: never a lock).
         dirty AS (INSERT INTO report_dirty (practice_id, day) VALUES ($2, $32::date))
         INSERT INTO call_attempt (id, practice_id, campaign_id, member_id, patient_id, contact_id, cycle_id,
           assignment_id, agent_id, recorded_by, call_start_id, phone, started_at, ended_at, code, attempt_number,
           appointment_at, callback_at, reason, remarks, survivor_id, patient_local_hour, member_state,
           member_before, outcome, supersedes_id, idempotency_key, request_hash, source, identity_verified)
         SELECT $1, $2, $3, moved.id, $5, $6, a.cycle_id, a.id, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                $19, $20, $21, $22, $23, $24, $25, $26, $27, $34::boolean
         FROM moved
         LEFT JOIN LATERAL (SELECT a.id, a.cycle_id FROM cycle_assignment a JOIN call_cycle cy ON cy.id = a.cycle_id
                            WHERE a.member_id = $4 ORDER BY (cy.status = 'open') DESC, cy.start_on DESC LIMIT 1) a ON true
         RETURNING id`,
        [
          attemptId,
          practiceId,
          member.campaign_id,
          member.id,
          member.patient_id,
          member.contact_id,
          input.agentId,
          actor.id,
          start?.id ?? null,
          phone,
          start?.started_at ?? null,
          at,
          code,
          outcome.attemptNumber,
          outcome.appointmentAt,
          outcome.callbackRequestedAt,
          outcome.reason,
          input.remarks?.trim() || null,
          outcome.survivorId,
          outcome.patientLocalHour,
          memberState,
          JSON.stringify(memberBefore),
          JSON.stringify(result),
          supersedesId,
          key,
          requestHash,
          input.source,
          newAttempts,
          outcome.notBefore,
          outcome.callback?.agentId ?? null,
          now,
          DateTime.fromJSDate(at, { zone: member.practice_zone }).toISODate(),
          outcome.callback?.at ?? null,
          identity.verified,
        ],
      ),
    );
    if (written.length !== 1)
      throw DomainError.conflict('the patient changed while saving; reload and try again');

    await this.sideEffects(
      tx,
      practiceId,
      member,
      outcome,
      memberState,
      input,
      actor,
      at,
      followUps,
      attemptId,
    );
    await this.escalations.open(tx, escalations);
    await this.audit.record(
      {
        action: supersedesId ? 'disposition.correct' : 'disposition.record',
        practiceId,
        entityType: 'campaign_member',
        entityId: member.id,
        details: {
          attemptId,
          code,
          attemptNumber: outcome.attemptNumber,
          state: memberState,
          agentId: input.agentId,
          supersedesId,
          escalations: flags.length,
          identityVerified: identity.verified,
        },
      },
      tx,
    );
    return result;
  }

  /**
   * One statement: the earlier request with this key if any, else the member locked (without
   * waiting: a second save on the same patient is a conflict) with everything the rules need.
   */
  private async load(
    tx: EntityManager,
    practiceId: string,
    input: RecordDispositionInput,
    key: string,
    at: Date,
  ): Promise<{ prior: { request_hash: string; outcome: unknown } | null; member: MemberRow }> {
    const [row] = await tx.query(
      `SELECT (SELECT json_build_object('request_hash', request_hash, 'outcome', outcome) FROM call_attempt
               WHERE practice_id = $2 AND idempotency_key = $3) AS prior, x.*
       FROM (SELECT 1) one LEFT JOIN LATERAL (
         SELECT m.id, m.practice_id, m.campaign_id, c.name AS campaign_name, c.status AS campaign_status, c.settings,
           m.patient_id, m.contact_id, m.state, m.attempts, m.attempt_cap, m.last_code, m.last_attempt_at,
           to_char(m.not_before, 'YYYY-MM-DD') AS not_before, m.callback_at, m.callback_agent_id, m.closed_at,
           coalesce(p.phones, ct.phones) AS phones, coalesce(p.time_zone, ct.time_zone) AS time_zone,
           coalesce(p.state, ct.state) AS us_state, coalesce(p.do_not_call_at, ct.do_not_call_at) AS do_not_call_at,
           p.merged_into_id, pr.timezone AS practice_zone, pr.red_flags,
           EXISTS (SELECT 1 FROM campaign_agent ca WHERE ca.campaign_id = m.campaign_id AND ca.user_id = $4) AS works,
           EXISTS (SELECT 1 FROM cycle_assignment a JOIN call_cycle cy ON cy.id = a.cycle_id AND cy.status = 'open'
                   WHERE a.member_id = m.id AND a.agent_id = $4) AS assigned,
           (SELECT identity_fields FROM call_protocol cp WHERE cp.practice_id = m.practice_id) AS identity_fields,
           (SELECT json_build_object('id', s.id, 'started_at', s.started_at, 'phone', s.phone,
                                     'identity_verified', s.identity_verified) FROM call_start s
            WHERE s.member_id = m.id AND s.agent_id = $4 AND (
              s.id = $5 OR ($5::uuid IS NULL AND s.started_at <= $6 AND s.started_at > $6::timestamptz - interval '4 hours'
                            AND NOT EXISTS (SELECT 1 FROM call_attempt ca WHERE ca.call_start_id = s.id)))
            ORDER BY s.started_at DESC LIMIT 1) AS call_start,
           array(SELECT b.e164 FROM bad_number b, jsonb_array_elements(coalesce(p.phones, ct.phones)) ph
                 WHERE b.practice_id = m.practice_id AND b.e164 = ph->>'e164') AS bad_numbers
         FROM campaign_member m
         JOIN campaign c ON c.id = m.campaign_id
         JOIN practice pr ON pr.id = m.practice_id
         LEFT JOIN patient p ON p.id = m.patient_id
         LEFT JOIN contact ct ON ct.id = m.contact_id
         WHERE m.id = $1 AND m.practice_id = $2
         FOR UPDATE OF m SKIP LOCKED) x ON true`,
      [input.memberId, practiceId, key, input.agentId, input.callStartId ?? null, at],
    );
    if (row.prior) return { prior: row.prior, member: row };
    if (row.id === null) {
      // Locked by another save, or not there at all.
      const [exists] = await tx.query(`SELECT 1 FROM campaign_member WHERE id = $1 AND practice_id = $2`, [
        input.memberId,
        practiceId,
      ]);
      if (!exists) throw DomainError.notFound('campaign member');
      throw DomainError.conflict(
        'another call outcome for this patient is being saved right now; reload to see it',
      );
    }
    return { prior: null, member: row as MemberRow };
  }

  /** The agent must work the campaign; an agent records only on members in their own hands. */
  private checkAgent(member: MemberRow, agentId: string, actor: Actor): void {
    if (actor.role === Role.Agent && agentId !== actor.id) {
      throw DomainError.forbidden('agents record their own calls');
    }
    if (!member.works) {
      throw DomainError.invalid('agentId: not an agent of this campaign', { field: 'agentId' });
    }
    const fallbackMs =
      (member.settings.callbackFallbackHours ?? DEFAULT_SETTINGS.callbackFallbackHours) * 3_600_000;
    const callbackFellToPool =
      member.callback_at !== null &&
      new Date(member.callback_at).getTime() + fallbackMs <= this.clock.nowDate().getTime();
    const ownsCallback = member.callback_agent_id === agentId || callbackFellToPool;
    if (actor.role === Role.Agent && !member.assigned && !ownsCallback) {
      throw DomainError.forbidden('this patient is not in your queue');
    }
  }

  private async restoreForCorrection(
    tx: EntityManager,
    member: MemberRow,
    supersedesId: string,
  ): Promise<Record<string, unknown>> {
    const [original] = await tx.query(
      `SELECT a.id, a.code, a.member_before,
         NOT EXISTS (SELECT 1 FROM call_attempt later WHERE later.member_id = a.member_id
                       AND later.recorded_at > a.recorded_at
                       AND NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = later.id)) AS latest,
         EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = a.id) AS superseded
       FROM call_attempt a WHERE a.id = $1 AND a.member_id = $2`,
      [supersedesId, member.id],
    );
    if (!original) throw DomainError.notFound('attempt');
    if (original.superseded)
      throw DomainError.conflict('this attempt was already corrected; correct the correction');
    if (!original.latest) throw DomainError.conflict('only the latest attempt of a patient can be corrected');
    if (DISPOSITIONS[original.code as DispositionCode].doNotCall) {
      throw DomainError.conflict('a do-not-call is lifted by an admin, with a reason, not corrected');
    }
    if (DISPOSITIONS[original.code as DispositionCode].requiresSurvivor) {
      throw DomainError.conflict('a merged duplicate cannot be corrected');
    }
    // The corrected attempt leaves its day's figures.
    await tx.query(
      `INSERT INTO report_dirty (practice_id, day)
       SELECT a.practice_id, (a.ended_at AT TIME ZONE pr.timezone)::date
       FROM call_attempt a JOIN practice pr ON pr.id = a.practice_id WHERE a.id = $1`,
      [supersedesId],
    );
    return original.member_before as Record<string, unknown>;
  }

  private async checkSurvivor(tx: EntityManager, practiceId: string, member: MemberRow, survivorId: string) {
    if (!member.patient_id) throw DomainError.invalid('survivorId: only patient records can be merged');
    const [row] = await tx.query(`SELECT merged_into_id FROM patient WHERE id = $1 AND practice_id = $2`, [
      survivorId,
      practiceId,
    ]);
    if (!row)
      throw DomainError.invalid('survivorId: not a patient of this practice', { field: 'survivorId' });
    if (row.merged_into_id) {
      throw DomainError.invalid('survivorId: that record was itself merged into another', {
        field: 'survivorId',
      });
    }
  }

  /** Red flags in the remarks, and a patient reached 3+ times in the campaign without a resolution. */
  private async screen(
    tx: EntityManager,
    member: MemberRow,
    code: DispositionCode,
    remarks: string | null | undefined,
    stillOpen: boolean,
  ): Promise<{ category: NewEscalation['category']; reason: string; excerpt: string | null }[]> {
    const lists = this.escalations.lists(member.red_flags);
    const found: { category: NewEscalation['category']; reason: string; excerpt: string | null }[] =
      screenRemarks(remarks, lists).flags.map((f) => ({
        category: f.category,
        reason: f.phrase,
        excerpt: f.excerpt,
      }));
    if (DISPOSITIONS[code].contact && stillOpen && member.patient_id) {
      const [row] = await tx.query(
        `SELECT count(*)::int AS contacts FROM call_attempt a
         WHERE a.member_id = $1 AND a.code = ANY($2)
           AND NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = a.id)`,
        [member.id, CONTACT_CODES],
      );
      const flag = repeatedContactFlag(row.contacts + 1);
      if (flag) found.push({ category: 'repeated_contact', reason: flag.message, excerpt: null });
    }
    return found;
  }

  private async sideEffects(
    tx: EntityManager,
    practiceId: string,
    member: MemberRow,
    outcome: DispositionOutcome,
    memberState: string,
    input: RecordDispositionInput,
    actor: Actor,
    at: Date,
    followUps: FollowUp[],
    attemptId: string,
  ): Promise<void> {
    if (memberState !== 'open') {
      await tx.query(
        `UPDATE cycle_assignment SET state = 'done' WHERE member_id = $1 AND state = 'pending'`,
        [member.id],
      );
    } else if (member.state !== 'open') {
      // A correction reopened the member: its assignment in the open cycle is pending again.
      await tx.query(
        `UPDATE cycle_assignment a SET state = 'pending' FROM call_cycle cy
         WHERE a.member_id = $1 AND a.state = 'done' AND cy.id = a.cycle_id AND cy.status = 'open'`,
        [member.id],
      );
    }
    if (memberState === 'open' && outcome.callback) {
      // A callback stays with the agent who promised it, due on its day whatever the cycle planned.
      await tx.query(
        `UPDATE cycle_assignment SET agent_id = $2, due_on = $3, reason = 'callback', priority = $4
         WHERE member_id = $1 AND state = 'pending'`,
        [member.id, outcome.callback.agentId, outcome.notBefore, assignmentPriority('callback')],
      );
    }
    if (outcome.bookPatient && member.patient_id) {
      // The database's clock, like the imports' finished_at it is compared with.
      await tx.query(`UPDATE patient SET booked_at = now() WHERE id = $1`, [member.patient_id]);
    }
    if (outcome.closesEverywhere) {
      const target = member.patient_id ? { patientId: member.patient_id } : { contactId: member.contact_id! };
      await markDoNotCall(
        tx,
        practiceId,
        target,
        at,
        `asked on a call (${input.source})`,
        this.clock.nowDate(),
      );
    }
    if (outcome.markNumberBad) {
      await tx.query(
        `INSERT INTO bad_number (practice_id, e164, code, marked_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (practice_id, e164) DO NOTHING`,
        [practiceId, outcome.markNumberBad, outcome.code, actor.id],
      );
      if (member.patient_id) await tx.query(MARK_BAD_ON_PATIENT, [practiceId, member.patient_id]);
      // The other patients with the number (a household) are marked by a job: a scan of the practice.
      // The job names the attempt, not the number: payloads sit in Redis and carry no patient data.
      followUps.push(() => this.jobs.enqueue('dispositions.mark-bad-number', { practiceId, attemptId }));
    }
    if (outcome.survivorId && member.patient_id) {
      const [a, b] = [member.patient_id, outcome.survivorId].sort();
      await tx.query(
        `INSERT INTO duplicate_candidate (practice_id, patient_id_a, patient_id_b, reason, status, resolved_by, resolved_at)
         VALUES ($1, $2, $3, 'agent', 'merged', $4, now())
         ON CONFLICT (patient_id_a, patient_id_b) DO UPDATE SET status = 'merged', resolved_by = $4, resolved_at = now()`,
        [practiceId, a, b, actor.id],
      );
      await this.duplicates.mergeRecords(tx, outcome.survivorId, member.patient_id, actor.id);
    }
  }

  /** DNC: the patient leaves every campaign and queue of the practice, for good (an admin may lift it). */
  /** Every attempt on a member, newest first, corrections shown with what they replaced. */
  async attempts(
    practiceId: string,
    filter: { memberId?: string; patientId?: string; campaignId?: string },
  ): Promise<AttemptView[]> {
    const rows = await this.db.query(
      `${ATTEMPT_VIEW_SQL}
       WHERE a.practice_id = $1 AND ($2::uuid IS NULL OR a.member_id = $2) AND ($3::uuid IS NULL OR a.patient_id = $3)
         AND ($4::uuid IS NULL OR a.campaign_id = $4)
       ORDER BY a.ended_at DESC, a.recorded_at DESC LIMIT 500`,
      [practiceId, filter.memberId ?? null, filter.patientId ?? null, filter.campaignId ?? null],
    );
    return rows.map(toAttemptView);
  }

  /** The member a disposition is for: by id, or by campaign and the patient's MRN or id. */
  async resolveMember(
    practiceId: string,
    ref: {
      memberId?: string | null;
      campaignId?: string | null;
      mrn?: string | null;
      patientId?: string | null;
    },
  ): Promise<string> {
    if (ref.memberId) return ref.memberId;
    if (!ref.campaignId || !(ref.mrn || ref.patientId)) {
      throw DomainError.invalid('memberId: required (or campaignId with mrn or patientId)', {
        field: 'memberId',
      });
    }
    const [row] = await this.db.query(
      `SELECT m.id FROM campaign_member m JOIN patient p ON p.id = m.patient_id
       WHERE m.practice_id = $1 AND m.campaign_id = $2 AND ($3::text IS NULL OR p.mrn = $3)
         AND ($4::uuid IS NULL OR p.id = $4)`,
      [practiceId, ref.campaignId, ref.mrn ?? null, ref.patientId ?? null],
    );
    if (!row) throw DomainError.notFound('patient in this campaign');
    return row.id;
  }

  /** Whether an agent holds the member: an assignment in an open cycle, or its callback. */
  async agentHolds(practiceId: string, memberId: string, agentId: string): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM cycle_assignment a JOIN call_cycle cy ON cy.id = a.cycle_id AND cy.status = 'open'
                      WHERE a.member_id = $2 AND a.agent_id = $3 AND a.practice_id = $1)
           OR EXISTS (SELECT 1 FROM campaign_member m WHERE m.id = $2 AND m.practice_id = $1
                      AND m.callback_agent_id = $3) AS holds`,
      [practiceId, memberId, agentId],
    );
    return row.holds;
  }

  /** The job behind a WNUM/DCONN: the number is marked on every patient of the practice that has it. */
  /** The number an attempt found wrong or disconnected (the one it dialled), on every patient who has it. */
  async markNumberOfAttempt(practiceId: string, attemptId: string): Promise<number> {
    const [attempt] = await this.db.query(
      `SELECT phone FROM call_attempt WHERE id = $1 AND practice_id = $2 AND code IN ('WNUM', 'DCONN')`,
      [attemptId, practiceId],
    );
    return attempt?.phone ? this.markNumberEverywhere(practiceId, attempt.phone) : 0;
  }

  async markNumberEverywhere(practiceId: string, e164: string): Promise<number> {
    const [, count] = await this.db.query(MARK_NUMBER_ON_PATIENTS, [practiceId, e164]);
    return count as number;
  }
}

const CONTACT_CODES = Object.values(DISPOSITIONS)
  .filter((d) => d.contact && !d.terminal)
  .map((d) => d.code);

export const ATTEMPT_VIEW_SQL = `
  SELECT a.*, c.name AS campaign_name, u.login AS agent_login,
    (SELECT s.id FROM call_attempt s WHERE s.supersedes_id = a.id) AS superseded_by
  FROM call_attempt a
  JOIN campaign c ON c.id = a.campaign_id
  JOIN app_user u ON u.id = a.agent_id`;

interface AttemptRow {
  id: string;
  campaign_id: string;
  campaign_name: string;
  member_id: string;
  patient_id: string | null;
  agent_id: string;
  agent_login: string;
  recorded_by: string;
  code: DispositionCode;
  attempt_number: number | null;
  phone: string | null;
  started_at: Date | null;
  ended_at: Date;
  appointment_at: Date | null;
  callback_at: Date | null;
  reason: string | null;
  remarks: string | null;
  survivor_id: string | null;
  patient_local_hour: number;
  member_state: string;
  supersedes_id: string | null;
  superseded_by: string | null;
  source: AttemptSource;
  recorded_at: Date;
}

export function toAttemptView(r: AttemptRow): AttemptView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: r.id,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    memberId: r.member_id,
    patientId: r.patient_id,
    agentId: r.agent_id,
    agentLogin: r.agent_login,
    recordedBy: r.recorded_by,
    code: r.code,
    label: DISPOSITIONS[r.code].label,
    attemptNumber: r.attempt_number,
    phone: r.phone,
    startedAt: iso(r.started_at),
    endedAt: r.ended_at.toISOString(),
    handleSeconds: r.started_at ? Math.round((r.ended_at.getTime() - r.started_at.getTime()) / 1000) : null,
    appointmentAt: iso(r.appointment_at),
    callbackAt: iso(r.callback_at),
    reason: r.reason,
    remarks: r.remarks,
    survivorId: r.survivor_id,
    patientLocalHour: r.patient_local_hour,
    memberState: r.member_state,
    supersedesId: r.supersedes_id,
    supersededBy: r.superseded_by,
    source: r.source,
    recordedAt: r.recorded_at.toISOString(),
  };
}

/** Reopening a member (a correction) fails when the patient has since opened in another campaign. */
async function reopenGuard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw DomainError.conflict(
        'the patient is now open in another campaign; the correction cannot reopen them',
      );
    }
    throw e;
  }
}

function snapshot(member: MemberRow): Record<string, unknown> {
  return Object.fromEntries(MEMBER_SNAPSHOT.map((k) => [k, member[k]]));
}

function parseAt(value: string): Date {
  const at = new Date(value);
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ||
    Number.isNaN(at.getTime()) ||
    !/(Z|[+-]\d{2}:?\d{2})$/i.test(value)
  ) {
    throw DomainError.invalid(`at: not an ISO 8601 instant with an offset: ${value}`, { field: 'at' });
  }
  return at;
}

function hashRequest(input: RecordDispositionInput, supersedesId: string | null): string {
  const fields = [
    input.memberId,
    input.agentId,
    input.code,
    input.appointmentAt ?? null,
    input.callbackAt ?? null,
    input.reason?.trim() || null,
    input.survivorId ?? null,
    input.survivorMrn ?? null,
    input.phone ?? null,
    input.remarks?.trim() || null,
    input.at ?? null,
    supersedesId,
  ];
  return createHash('md5').update(JSON.stringify(fields)).digest('hex');
}
