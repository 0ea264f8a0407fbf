import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import type { CampaignSettings } from '@recall/campaigns';
import { Clock, DomainError } from '@recall/core';
import { PatientsService, type StoredPhone } from '@recall/patients';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { exceedsDailyCap, loadCallingRules, windowFor, type CallingRules } from './windows';

export type QueueSection = 'callback' | 'open' | 'later';

export interface QueueItem {
  assignmentId: string;
  campaignId: string;
  campaignName: string;
  memberId: string;
  patientId: string | null;
  contactId: string | null;
  mrn: string | null;
  name: string;
  birthDate: string | null;
  phones: StoredPhone[];
  timeZone: string | null;
  state: string | null;
  dueOn: string;
  reason: string;
  priority: number;
  attempts: number;
  attemptCap: number;
  lastCode: string | null;
  callbackAt: string | null;
  section: QueueSection;
  window: {
    open: boolean;
    reason: string | null;
    opensAt: string | null;
    closesAt: string | null;
    patientLocal: string;
  };
  /** When the window opens, in the agent's (practice's) and the patient's local time. */
  opensAtLocal: { practice: string; patient: string } | null;
}

export interface Queue {
  agentId: string;
  date: string;
  now: string;
  items: QueueItem[];
}

interface QueueRow {
  assignment_id: string;
  campaign_id: string;
  campaign_name: string;
  settings: CampaignSettings;
  member_id: string;
  patient_id: string | null;
  contact_id: string | null;
  mrn: string | null;
  name: string;
  birth_date: string | null;
  phones: StoredPhone[];
  time_zone: string | null;
  state: string | null;
  due_on: string;
  reason: string;
  priority: number;
  attempts: number;
  attempt_cap: number;
  last_code: string | null;
  callback_at: Date | null;
  callback_agent_id: string | null;
  calls_24h: Date[];
}

/**
 * The items an agent may work on a day. A patient who booked, asked not to be called, or got
 * an appointment in a later import drops out here at once, whatever the cycle said.
 */
const queueSql = (oneItem: boolean) => `
  SELECT a.id AS assignment_id, c.id AS campaign_id, c.name AS campaign_name, c.settings,
    m.id AS member_id, m.patient_id, m.contact_id, p.mrn,
    coalesce(nullif(concat_ws(' ', p.first_name, p.last_name), ''), concat_ws(' · ', ct.organisation, ct.contact_name)) AS name,
    p.birth_date, coalesce(p.phones, ct.phones) AS phones, coalesce(p.time_zone, ct.time_zone) AS time_zone,
    coalesce(p.state, ct.state) AS state,
    a.due_on, a.reason, a.priority, m.attempts, m.attempt_cap, m.last_code, m.callback_at, m.callback_agent_id,
    array(SELECT s.started_at FROM call_start s WHERE s.patient_id = m.patient_id
            AND s.started_at > $4::timestamptz - interval '24 hours') AS calls_24h
  FROM cycle_assignment a
  JOIN call_cycle cy ON cy.id = a.cycle_id AND cy.status = 'open'
  JOIN campaign c ON c.id = cy.campaign_id AND c.status = 'active'
  JOIN campaign_member m ON m.id = a.member_id AND m.state = 'open'
  LEFT JOIN patient p ON p.id = m.patient_id
  LEFT JOIN contact ct ON ct.id = m.contact_id
  WHERE a.agent_id = $1 AND a.practice_id = $2 AND a.state = 'pending' AND a.due_on <= $3
    ${oneItem ? 'AND a.id = $5' : ''}
    AND (m.not_before IS NULL OR m.not_before <= $3)
    AND coalesce(p.do_not_call_at, ct.do_not_call_at) IS NULL
    AND (p.id IS NULL OR (
      NOT p.deceased AND p.merged_into_id IS NULL
      -- The campaign's own upcoming-appointment window, as its eligibility counts it.
      AND NOT coalesce(p.listed_next_appointment_on BETWEEN $3::date
            AND $3::date + (c.settings->>'upcomingAppointmentDays')::int, false)
      AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.patient_id = p.id AND v.kind = 'appointment'
                      AND v.status = 'scheduled'
                      AND v.occurs_on BETWEEN $3::date AND $3::date + (c.settings->>'upcomingAppointmentDays')::int)
      AND (p.booked_at IS NULL OR p.booked_at <= coalesce((SELECT max(finished_at) FROM patient_import i
            WHERE i.practice_id = $2 AND i.status = 'succeeded' AND NOT i.dry_run), '-infinity'))))
  ORDER BY a.priority, a.due_on, a.id
  LIMIT 1000`;
const QUEUE_SQL = queueSql(false);
const QUEUE_ITEM_SQL = queueSql(true);

const SECTION_ORDER: Record<QueueSection, number> = { callback: 0, open: 1, later: 2 };

@Injectable()
export class QueueService {
  private readonly rules: CallingRules = loadCallingRules();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly patients: PatientsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Callbacks due now first; then patients whose window is open, by priority; then the rest by opening time. */
  async queue(practiceId: string, agentId: string, date?: string): Promise<Queue> {
    const { today, zone } = await this.patients.practiceDay(practiceId);
    const day = date ?? today;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw DomainError.invalid('date: must be YYYY-MM-DD');
    const now = this.clock.nowDate();
    const rows: QueueRow[] = await this.db.query(QUEUE_SQL, [agentId, practiceId, day, now]);
    // Windows depend on the zone, the state and the campaign's hours, not on the patient.
    const windows = new Map<string, QueueItem['window']>();
    const items = rows.map((r) => this.item(r, zone, now, agentId, windows));
    items.sort(
      (a, b) =>
        SECTION_ORDER[a.section] - SECTION_ORDER[b.section] ||
        (a.section === 'later' ? (a.window.opensAt ?? '~').localeCompare(b.window.opensAt ?? '~') : 0) ||
        a.priority - b.priority ||
        a.dueOn.localeCompare(b.dueOn),
    );
    await this.audit.record({
      action: 'queue.view',
      practiceId,
      entityType: 'app_user',
      entityId: agentId,
      details: { date: day, members: items.map((i) => i.memberId) },
    });
    return { agentId, date: day, now: now.toISOString(), items };
  }

  /**
   * "Call started": refused outside the calling window (with when it opens) or past a state's
   * daily cap; otherwise recorded, and the number to dial returned.
   */
  async startCall(
    practiceId: string,
    assignmentId: string,
    agentId: string,
    phone?: string,
  ): Promise<{ callStartId: string; dial: string; tel: string; startedAt: string }> {
    const { today, zone } = await this.patients.practiceDay(practiceId);
    const now = this.clock.nowDate();
    const rows: QueueRow[] = await this.db.query(QUEUE_ITEM_SQL, [
      agentId,
      practiceId,
      today,
      now,
      assignmentId,
    ]);
    const row = rows[0];
    if (!row) {
      throw DomainError.notFound(
        'queue item (it may have left the queue: booked, do-not-call, or not yours)',
      );
    }
    const item = this.item(row, zone, now, agentId);
    if (!item.window.open) {
      throw DomainError.conflict(
        `outside the calling window (${item.window.reason}); it opens ${item.opensAtLocal?.practice ?? 'later'}` +
          (item.opensAtLocal ? ` (${item.opensAtLocal.patient} for the patient)` : ''),
        { opensAt: item.window.opensAt },
      );
    }
    if (exceedsDailyCap(row.calls_24h, now, row.state, this.rules)) {
      throw DomainError.conflict(`the patient's state allows no more calls in 24 hours`, {
        state: row.state,
      });
    }
    const valid = row.phones.filter((p) => p.valid && p.e164);
    const dial = phone ?? valid[0]?.e164;
    if (!dial || !valid.some((p) => p.e164 === dial))
      throw DomainError.invalid('phone: not a valid number of this patient');
    const [start] = await this.db.query(
      `INSERT INTO call_start (practice_id, assignment_id, member_id, patient_id, agent_id, phone, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [practiceId, assignmentId, row.member_id, row.patient_id, agentId, dial, now],
    );
    await this.audit.record({
      action: 'call.start',
      practiceId,
      entityType: 'cycle_assignment',
      entityId: assignmentId,
      details: { memberId: row.member_id },
    });
    const ext = valid.find((p) => p.e164 === dial)?.extension;
    return {
      callStartId: start.id,
      dial,
      tel: `tel:${dial}${ext ? `;ext=${ext}` : ''}`,
      startedAt: now.toISOString(),
    };
  }

  private item(
    r: QueueRow,
    practiceZone: string,
    now: Date,
    agentId: string,
    windows = new Map<string, QueueItem['window']>(),
  ): QueueItem {
    const key = `${r.time_zone}|${r.state}|${r.campaign_id}`;
    let window = windows.get(key);
    if (!window) {
      window = windowFor(
        now,
        { timeZone: r.time_zone, state: r.state },
        {
          timeZone: practiceZone,
          hours: r.settings.callingHours,
          workingDays: r.settings.workingDays,
          holidays: [],
        },
        this.rules,
      );
      windows.set(key, window);
    }
    const callbackDue =
      r.callback_at !== null && r.callback_agent_id === agentId && r.callback_at.getTime() <= now.getTime();
    const section: QueueSection = callbackDue && window.open ? 'callback' : window.open ? 'open' : 'later';
    const fmt = (iso: string, zone: string) =>
      DateTime.fromISO(iso).setZone(zone).toFormat('ccc d LLL, h:mm a ZZZZ');
    return {
      assignmentId: r.assignment_id,
      campaignId: r.campaign_id,
      campaignName: r.campaign_name,
      memberId: r.member_id,
      patientId: r.patient_id,
      contactId: r.contact_id,
      mrn: r.mrn,
      name: r.name,
      birthDate: r.birth_date,
      phones: r.phones,
      timeZone: r.time_zone,
      state: r.state,
      dueOn: r.due_on,
      reason: r.reason,
      priority: r.priority,
      attempts: r.attempts,
      attemptCap: r.attempt_cap,
      lastCode: r.last_code,
      callbackAt: r.callback_at?.toISOString() ?? null,
      section,
      window,
      opensAtLocal: window.opensAt
        ? {
            practice: fmt(window.opensAt, practiceZone),
            patient: fmt(window.opensAt, r.time_zone ?? practiceZone),
          }
        : null,
    };
  }
}
