import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { DEFAULT_SETTINGS, type CampaignSettings } from '@recall/campaigns';
import { Clock, DomainError, RequestContext } from '@recall/core';
import type { StoredPhone } from '@recall/patients';
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { callbackDueFor } from './callbacks';
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

interface QueueCampaign {
  id: string;
  name: string;
  settings: CampaignSettings;
}

/**
 * One row per item (a single row of nulls when there is none); the first also carries the
 * practice's zone and day and the items' campaigns.
 */
interface QueueRow {
  zone: string;
  day: string;
  campaigns: QueueCampaign[] | null;
  assignment_id: string | null;
  campaign_id: string;
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
  calls_24h?: Date[];
}

/**
 * The items an agent may work on a day. A patient who booked, asked not to be called, or got
 * an appointment in a later import drops out here at once, whatever the cycle said.
 *
 * One statement per fetch (50 agents refresh at once on a two-core server): it finds the
 * practice's zone and day, the open cycles, the items, and (for the queue) writes the audit
 * row, the columns AuditService.record writes. Campaigns come once, not on every item.
 * $1 agent, $2 practice, $3 day (null: the practice's today), $4 now; the queue: $5 actor
 * user id, $6 actor login, $7 request id, $8 channel; one item: $5 assignment.
 */
const queueSql = (kind: 'queue' | 'item') => `
  WITH pr AS MATERIALIZED (
    SELECT timezone, coalesce($3::date, ($4::timestamptz AT TIME ZONE timezone)::date) AS day
    FROM practice WHERE id = $2::uuid),
  cyc AS MATERIALIZED (
    SELECT cy.id, c.id AS campaign_id, c.name AS campaign_name, c.settings,
      (c.settings->>'upcomingAppointmentDays')::int AS upcoming
    FROM call_cycle cy JOIN campaign c ON c.id = cy.campaign_id AND c.status = 'active'
    WHERE cy.practice_id = $2::uuid AND cy.status = 'open'),
  last_import AS MATERIALIZED (
    SELECT coalesce(max(finished_at), '-infinity') AS at FROM patient_import
    WHERE practice_id = $2::uuid AND status = 'succeeded' AND NOT dry_run),
  items AS MATERIALIZED (
    SELECT row_number() OVER (ORDER BY a.priority, a.due_on, a.id) AS ord,
      a.id AS assignment_id, cyc.campaign_id, m.id AS member_id, m.patient_id, m.contact_id, p.mrn,
      coalesce(nullif(concat_ws(' ', p.first_name, p.last_name), ''), concat_ws(' · ', ct.organisation, ct.contact_name)) AS name,
      p.birth_date, coalesce(p.phones, ct.phones) AS phones, coalesce(p.time_zone, ct.time_zone) AS time_zone,
      coalesce(p.state, ct.state) AS state,
      a.due_on, a.reason, a.priority, m.attempts, m.attempt_cap, m.last_code, m.callback_at, m.callback_agent_id
      ${
        kind === 'item'
          ? `, array(SELECT s.started_at FROM call_start s WHERE s.patient_id = m.patient_id
                AND s.started_at > $4::timestamptz - interval '24 hours') AS calls_24h`
          : ''
      }
    FROM pr
    JOIN cycle_assignment a ON a.agent_id = $1::uuid AND a.practice_id = $2::uuid AND a.state = 'pending'
      AND a.due_on <= pr.day ${kind === 'item' ? 'AND a.id = $5::uuid' : ''}
    JOIN cyc ON cyc.id = a.cycle_id
    JOIN campaign_member m ON m.id = a.member_id AND m.state = 'open'
    LEFT JOIN patient p ON p.id = m.patient_id
    LEFT JOIN contact ct ON ct.id = m.contact_id
    WHERE (m.not_before IS NULL OR m.not_before <= pr.day)
      AND coalesce(p.do_not_call_at, ct.do_not_call_at) IS NULL
      AND (p.id IS NULL OR (
        NOT p.deceased AND p.merged_into_id IS NULL
        -- The campaign's own upcoming-appointment window, as its eligibility counts it.
        AND NOT coalesce(p.listed_next_appointment_on BETWEEN pr.day AND pr.day + cyc.upcoming, false)
        AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.patient_id = p.id AND v.kind = 'appointment'
                        AND v.status = 'scheduled' AND v.occurs_on BETWEEN pr.day AND pr.day + cyc.upcoming)
        AND (p.booked_at IS NULL OR p.booked_at <= (SELECT at FROM last_import))))
    ORDER BY a.priority, a.due_on, a.id
    LIMIT 1000)
  ${
    kind === 'queue'
      ? `, audit AS (
    INSERT INTO audit_event (occurred_at, actor_user_id, actor_login, practice_id, action, entity_type,
      entity_id, outcome, request_id, channel, details)
    SELECT $4::timestamptz, $5::uuid, $6::text, $2::uuid, 'queue.view', 'app_user', $1::uuid, 'success', $7::text,
      $8::text, jsonb_build_object('date', pr.day,
        'members', coalesce((SELECT jsonb_agg(member_id ORDER BY ord) FROM items), '[]'::jsonb))
    FROM pr)`
      : ''
  }
  SELECT h.zone, h.day, h.campaigns,
    i.assignment_id, i.campaign_id, i.member_id, i.patient_id, i.contact_id, i.mrn, i.name, i.birth_date,
    i.phones, i.time_zone, i.state, i.due_on, i.reason, i.priority, i.attempts, i.attempt_cap, i.last_code,
    i.callback_at, i.callback_agent_id ${kind === 'item' ? ', i.calls_24h' : ''}
  FROM pr LEFT JOIN items i ON true
  LEFT JOIN LATERAL (SELECT pr.timezone AS zone, pr.day::text AS day,
      (SELECT json_agg(json_build_object('id', campaign_id, 'name', campaign_name, 'settings', settings))
       FROM cyc) AS campaigns) h ON coalesce(i.ord, 1) = 1
  ORDER BY i.ord`;
const QUEUE_SQL = queueSql('queue');
const QUEUE_ITEM_SQL = queueSql('item');

const SECTION_ORDER: Record<QueueSection, number> = { callback: 0, open: 1, later: 2 };

/** The window of one (zone, state, campaign), and when it opens on both clocks: shared by its items. */
interface WindowEntry {
  window: QueueItem['window'];
  opensAtLocal: QueueItem['opensAtLocal'];
}

@Injectable()
export class QueueService {
  private readonly rules: CallingRules = loadCallingRules();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A manager's look at another agent's queue: the agent must work for the practice. */
  async assertAgentOf(practiceId: string, agentId: string): Promise<void> {
    const [member] = await this.db.query(
      `SELECT 1 FROM user_practice WHERE practice_id = $1 AND user_id = $2`,
      [practiceId, agentId],
    );
    if (!member) throw DomainError.notFound('agent');
  }

  /** Callbacks due now first; then patients whose window is open, by priority; then the rest by opening time. */
  async queue(practiceId: string, agentId: string, date?: string): Promise<Queue> {
    if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw DomainError.invalid('date: must be YYYY-MM-DD');
    const now = this.clock.nowDate();
    const ctx = RequestContext.current();
    const rows = await this.run('recall.queue', QUEUE_SQL, [
      agentId,
      practiceId,
      date ?? null,
      now,
      ctx?.userId ?? null,
      ctx?.login ?? null,
      ctx?.requestId ?? null,
      ctx?.channel ?? null,
    ]);
    const { zone, day, campaigns } = this.header(rows);
    const windows = new Map<string, WindowEntry>();
    const items: QueueItem[] = [];
    for (const r of rows) {
      if (r.assignment_id !== null)
        items.push(this.item(r, campaigns.get(r.campaign_id)!, zone, now, agentId, windows));
    }
    items.sort(
      (a, b) =>
        SECTION_ORDER[a.section] - SECTION_ORDER[b.section] ||
        (a.section === 'later' ? (a.window.opensAt ?? '~').localeCompare(b.window.opensAt ?? '~') : 0) ||
        a.priority - b.priority ||
        // ISO days: code-unit order is date order (and localeCompare's, at a fraction of its cost).
        (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0),
    );
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
    const now = this.clock.nowDate();
    const rows = await this.run('recall.queue-item', QUEUE_ITEM_SQL, [
      agentId,
      practiceId,
      null,
      now,
      assignmentId,
    ]);
    const { zone, campaigns } = this.header(rows);
    const row = rows[0];
    if (row.assignment_id === null) {
      throw DomainError.notFound(
        'queue item (it may have left the queue: booked, do-not-call, or not yours)',
      );
    }
    const item = this.item(row, campaigns.get(row.campaign_id)!, zone, now, agentId);
    if (!item.window.open) {
      throw DomainError.conflict(
        `outside the calling window (${item.window.reason}); it opens ${item.opensAtLocal?.practice ?? 'later'}` +
          (item.opensAtLocal ? ` (${item.opensAtLocal.patient} for the patient)` : ''),
        { opensAt: item.window.opensAt },
      );
    }
    if (exceedsDailyCap(row.calls_24h ?? [], now, row.state, this.rules)) {
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

  /**
   * A named statement on the data source's pool: parsed once per connection rather than on
   * every fetch (the queue's statement takes longer to parse and plan than to run).
   */
  private async run(name: string, text: string, values: unknown[]): Promise<QueueRow[]> {
    const pool = (this.db.driver as PostgresDriver).master as Pool;
    return (await pool.query<QueueRow>({ name, text, values })).rows;
  }

  private header(rows: QueueRow[]): { zone: string; day: string; campaigns: Map<string, QueueCampaign> } {
    if (rows.length === 0) throw DomainError.notFound('practice');
    const { zone, day, campaigns } = rows[0];
    return { zone, day, campaigns: new Map((campaigns ?? []).map((c) => [c.id, c])) };
  }

  private item(
    r: QueueRow,
    campaign: QueueCampaign,
    practiceZone: string,
    now: Date,
    agentId: string,
    windows = new Map<string, WindowEntry>(),
  ): QueueItem {
    const { settings } = campaign;
    // Windows depend on the zone, the state and the campaign's hours, not on the patient.
    const key = `${r.time_zone}|${r.state}|${r.campaign_id}`;
    let entry = windows.get(key);
    if (!entry) {
      const window = windowFor(
        now,
        { timeZone: r.time_zone, state: r.state },
        {
          timeZone: practiceZone,
          hours: settings.callingHours,
          workingDays: settings.workingDays,
          holidays: [],
        },
        this.rules,
      );
      const fmt = (iso: string, zone: string) =>
        DateTime.fromISO(iso).setZone(zone).toFormat('ccc d LLL, h:mm a ZZZZ');
      entry = {
        window,
        opensAtLocal: window.opensAt
          ? {
              practice: fmt(window.opensAt, practiceZone),
              patient: fmt(window.opensAt, r.time_zone ?? practiceZone),
            }
          : null,
      };
      windows.set(key, entry);
    }
    const { window } = entry;
    const callbackDue = callbackDueFor(
      { at: r.callback_at, agentId: r.callback_agent_id },
      agentId,
      now,
      // Campaigns saved before the setting existed have none.
      settings.callbackFallbackHours ?? DEFAULT_SETTINGS.callbackFallbackHours,
    );
    const section: QueueSection = callbackDue && window.open ? 'callback' : window.open ? 'open' : 'later';
    return {
      assignmentId: r.assignment_id!,
      campaignId: r.campaign_id,
      campaignName: campaign.name,
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
      opensAtLocal: entry.opensAtLocal,
    };
  }
}
