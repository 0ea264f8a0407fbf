import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { computePlan, DEFAULT_PLAN_INPUTS, resolvePlanInputs, type PlanInputs } from '@recall/campaigns';
import { Clock, DomainError } from '@recall/core';
import { codesWith } from '@recall/dispositions';
import { DateTime } from 'luxon';
import { csvLine } from '../../imports/src/rows/copy-text';
import { neutralize } from '../../cycles/src/sheets/cycle-sheet';
import { DataSource } from 'typeorm';
import { RollupRefreshService } from './refresh.service';
import { qualityReport, transfersReport } from './quality-report';
import { rollup, WHERE } from './rollup-read';
import { AGE_BANDS, LEAD_BUCKETS } from './rollup-sql';

export const REPORT_NAMES = [
  'funnel',
  'roi',
  'attempts',
  'hours',
  'dispositions',
  'agents',
  'backlog',
  'lead-time',
  'escalations',
  'quality',
  'transfers',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface ReportFilters {
  /** Practice-local days, inclusive; default: the 30 days up to today. */
  from?: string;
  to?: string;
  campaignId?: string;
  agentId?: string;
}

export type Cell = string | number | null;

/** Every report: what it covers, headline figures, and the table its CSV holds, row for row. */
export interface Report {
  name: ReportName;
  title: string;
  filters: Required<Pick<ReportFilters, 'from' | 'to'>> & {
    campaignId: string | null;
    agentId: string | null;
  };
  summary: Record<string, Cell>;
  columns: string[];
  rows: Record<string, Cell>[];
  /** Plain-language notes (what is projected, what is pending). */
  notes: string[];
}

const CONTACTS = codesWith('contact');
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const round = (n: number, d = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : null);
const rate = (a: number, b: number) => (b > 0 ? round(a / b, 4) : null);
const num = (v: unknown) => Number(v ?? 0);
const DAYS_PER_MONTH = 365 / 12;

/** Ranges longer than this read the dispositions mix by month instead of by week. */
const WEEKLY_MIX_DAYS = 92;

@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly refresh: RollupRefreshService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async report(practiceId: string, name: string, filters: ReportFilters = {}): Promise<Report> {
    if (!(REPORT_NAMES as readonly string[]).includes(name)) {
      throw DomainError.notFound(`report "${name}" (one of ${REPORT_NAMES.join(', ')})`);
    }
    const f = await this.resolve(practiceId, filters);
    // Rollups first catch up with what was written since the last refresh (usually nothing).
    await this.refresh.refresh(practiceId);
    const params = [practiceId, f.from, f.to, f.campaignId, f.agentId];
    const report = await this.build(name as ReportName, practiceId, f, params);
    await this.audit.record({
      action: 'report.view',
      practiceId,
      entityType: 'report',
      entityId: name,
      details: { from: f.from, to: f.to, campaignId: f.campaignId, agentId: f.agentId },
    });
    return report;
  }

  /**
   * The raw attempts behind a figure (newest first, at most 500): the range and filters of a
   * report, optionally one code, attempt number or patient-local hour.
   */
  async drilldown(
    practiceId: string,
    filters: ReportFilters & { code?: string; attemptNumber?: number; hour?: number },
  ): Promise<{ filters: Report['filters']; items: Record<string, Cell>[] }> {
    const f = await this.resolve(practiceId, filters);
    const items: Record<string, Cell>[] = await this.db.query(
      `SELECT a.id, to_char(a.ended_at AT TIME ZONE pr.timezone, 'YYYY-MM-DD HH24:MI') AS "endedAt", c.name AS campaign,
              u.login AS agent, p.mrn, a.code, a.attempt_number AS "attemptNumber", a.patient_local_hour AS "patientHour",
              to_char(a.appointment_at AT TIME ZONE pr.timezone, 'YYYY-MM-DD HH24:MI') AS "appointmentAt",
              (SELECT s.id FROM call_attempt s WHERE s.supersedes_id = a.id) AS "supersededBy"
       FROM call_attempt a
       JOIN practice pr ON pr.id = a.practice_id
       JOIN campaign c ON c.id = a.campaign_id
       JOIN app_user u ON u.id = a.agent_id
       LEFT JOIN patient p ON p.id = a.patient_id
       WHERE a.practice_id = $1
         -- Bounds as one-off subqueries (not per joined row), so the index on ended_at can use them.
         AND a.ended_at >= (SELECT $2::date::timestamp AT TIME ZONE timezone FROM practice WHERE id = $1)
         AND a.ended_at < (SELECT ($3::date + 1)::timestamp AT TIME ZONE timezone FROM practice WHERE id = $1)
         AND ($4::uuid IS NULL OR a.campaign_id = $4) AND ($5::uuid IS NULL OR a.agent_id = $5)
         AND ($6::text IS NULL OR a.code = $6) AND ($7::int IS NULL OR a.attempt_number = $7)
         AND ($8::int IS NULL OR a.patient_local_hour = $8)
       ORDER BY a.ended_at DESC LIMIT 500`,
      [
        practiceId,
        f.from,
        f.to,
        f.campaignId,
        f.agentId,
        filters.code ?? null,
        filters.attemptNumber ?? null,
        filters.hour ?? null,
      ],
    );
    await this.audit.record({
      action: 'report.drilldown',
      practiceId,
      entityType: 'call_attempt',
      details: { ...f, rows: items.length },
    });
    return { filters: f, items };
  }

  /** The report's table as CSV (header, then the rows exactly as the API returns them). */
  static toCsv(report: Report): string {
    // Text a spreadsheet would run as a formula gets a leading ' (numbers stay numbers).
    const cell = (v: Cell) => (v === null ? '' : typeof v === 'number' ? String(v) : neutralize(v));
    return [report.columns, ...report.rows.map((r) => report.columns.map((c) => cell(r[c])))]
      .map((cells) => `${csvLine(cells)}\r\n`)
      .join('');
  }

  private async resolve(practiceId: string, filters: ReportFilters): Promise<Report['filters']> {
    const [practice] = await this.db.query(`SELECT timezone FROM practice WHERE id = $1`, [practiceId]);
    if (!practice) throw DomainError.notFound('practice');
    const today = DateTime.fromJSDate(this.clock.nowDate(), { zone: practice.timezone }).toISODate()!;
    for (const k of ['from', 'to'] as const) {
      if (filters[k] !== undefined && !(DAY.test(filters[k]!) && DateTime.fromISO(filters[k]!).isValid)) {
        throw DomainError.invalid(`${k}: a day, YYYY-MM-DD`, { field: k });
      }
    }
    const to = filters.to ?? today;
    const from = filters.from ?? DateTime.fromISO(to).minus({ days: 29 }).toISODate()!;
    if (from > to) throw DomainError.invalid('from: must not be after to', { field: 'from' });
    if (filters.campaignId) {
      const [c] = await this.db.query(`SELECT 1 FROM campaign WHERE id = $1 AND practice_id = $2`, [
        filters.campaignId,
        practiceId,
      ]);
      if (!c) throw DomainError.notFound('campaign');
    }
    return { from, to, campaignId: filters.campaignId ?? null, agentId: filters.agentId ?? null };
  }

  private build(
    name: ReportName,
    practiceId: string,
    f: Report['filters'],
    params: unknown[],
  ): Promise<Report> {
    switch (name) {
      case 'funnel':
        return this.funnel(f, params);
      case 'roi':
        return this.roi(practiceId, f, params);
      case 'attempts':
        return this.attempts(f, params);
      case 'hours':
        return this.hours(f, params);
      case 'dispositions':
        return this.dispositions(f, params);
      case 'agents':
        return this.agents(f, params);
      case 'backlog':
        return this.backlog(practiceId, f);
      case 'lead-time':
        return this.leadTime(f, params);
      case 'escalations':
        return this.escalations(f, params);
      case 'quality':
        return this.quality(practiceId, f, params);
      case 'transfers':
        return transfersReport(this.db, f, params);
    }
  }

  /** Per campaign: dials, contacts, bookings, reconfirmed, and bookings by EMR outcome. */
  private async totals(f: Report['filters'], params: unknown[]) {
    const rows: {
      campaign_id: string;
      name: string;
      plan: Partial<PlanInputs> | null;
      dials: number;
      contacts: number;
      bookings: number;
      reconfirmed: number;
      kept: number;
      not_kept: number;
      pending: number;
    }[] = await this.db.query(
      // One row per agent and period (report_agent_day and its weeks and months): a year reads a few hundred.
      `WITH a AS (
         SELECT r.campaign_id, sum(r.dials)::int AS dials, sum(r.contacts)::int AS contacts,
                sum(r.bookings)::int AS bookings, sum(r.reconfirmed)::int AS reconfirmed, sum(r.kept)::int AS kept,
                sum(r.not_kept)::int AS not_kept, sum(r.pending)::int AS pending
         FROM ${rollup('agent', f)} r WHERE ${WHERE()} GROUP BY r.campaign_id)
       SELECT a.*, c.name, c.plan FROM a JOIN campaign c ON c.id = a.campaign_id ORDER BY c.name`,
      params,
    );
    return rows.map((r) => {
      const inputs = resolvePlanInputs(r.plan ?? {});
      return { ...r, revenuePerVisit: inputs.revenuePerVisit, showRate: inputs.showRate };
    });
  }

  private async funnel(f: Report['filters'], params: unknown[]): Promise<Report> {
    const t = await this.totals(f, params);
    const sum = (k: 'dials' | 'contacts' | 'bookings' | 'reconfirmed' | 'kept' | 'not_kept' | 'pending') =>
      t.reduce((n, r) => n + r[k], 0);
    const revenue = round(t.reduce((n, r) => n + r.kept * r.revenuePerVisit, 0))!;
    const projected = round(
      t.reduce((n, r) => n + (r.kept + r.pending * r.showRate) * r.revenuePerVisit, 0),
    )!;
    const [dials, contacts, bookings, kept] = [sum('dials'), sum('contacts'), sum('bookings'), sum('kept')];
    const steps: [string, number, number | null][] = [
      ['dials', dials, null],
      ['contacts', contacts, rate(contacts, dials)],
      ['bookings', bookings, rate(bookings, contacts)],
      ['kept visits', kept, rate(kept, bookings)],
    ];
    return {
      name: 'funnel',
      title: 'Funnel: dials → contacts → bookings → kept visits → revenue',
      filters: f,
      summary: {
        dials,
        contacts,
        bookings,
        keptVisits: kept,
        notKept: sum('not_kept'),
        pending: sum('pending'),
        reconfirmed: sum('reconfirmed'),
        revenue,
        projectedRevenue: projected,
        contactRate: rate(contacts, dials),
        bookingRate: rate(bookings, contacts),
        conversionRate: rate(bookings, dials),
        keptRate: rate(kept, kept + sum('not_kept')),
      },
      columns: ['step', 'count', 'rateFromPrevious'],
      rows: [
        ...steps.map(([step, count, r]) => ({ step, count, rateFromPrevious: r })),
        { step: 'revenue', count: revenue, rateFromPrevious: null },
      ],
      notes: [
        `${sum('pending')} booking(s) are pending: no EMR import has shown their visit yet.`,
        `Reconfirmed (already booked) patients are counted apart: ${sum('reconfirmed')}.`,
      ],
    };
  }

  private async roi(practiceId: string, f: Report['filters'], params: unknown[]): Promise<Report> {
    if (!f.campaignId)
      throw DomainError.invalid('campaignId: the ROI report is per campaign', { field: 'campaignId' });
    const [c] = await this.db.query(
      `SELECT c.name, c.plan, c.plan_patients, c.launched_at, pr.timezone,
              (SELECT count(*)::int FROM campaign_agent ca WHERE ca.campaign_id = c.id) AS agents
       FROM campaign c JOIN practice pr ON pr.id = c.practice_id WHERE c.id = $1 AND c.practice_id = $2`,
      [f.campaignId, practiceId],
    );
    const [t] = await this.totals(f, params);
    const inputs = resolvePlanInputs(c.plan ?? DEFAULT_PLAN_INPUTS);
    const plan = c.plan ? computePlan(inputs, c.plan_patients ?? 0) : null;
    const days = DateTime.fromISO(f.to).diff(DateTime.fromISO(f.from), 'days').days + 1;
    const months = days / DAYS_PER_MONTH;
    const weeks = days / 7;
    const agents = plan?.campaign.agents ?? c.agents;
    const kept = t?.kept ?? 0;
    const pending = t?.pending ?? 0;
    const bookings = t?.bookings ?? 0;
    const projectedKept = kept + pending * inputs.showRate;
    const revenue = kept * inputs.revenuePerVisit;
    const projectedRevenue = projectedKept * inputs.revenuePerVisit;
    const cost = agents * inputs.agentMonthlyCost * months;
    const net = projectedRevenue - cost;
    const breakEven = plan?.campaign.breakEvenKeptVisitsPerMonth ?? null;
    const plannedBookings = plan ? plan.campaign.bookingsPerWeek * weeks : null;
    const plannedKept = plan ? plan.campaign.keptVisitsPerWeek * weeks : null;
    const plannedRevenue = plan ? plan.campaign.revenuePerMonth * months : null;
    const plannedNet = plan ? plan.campaign.netPerMonth * months : null;
    const line = (
      metric: string,
      planned: number | null,
      actual: number | null,
      projected: number | null,
    ) => ({
      metric,
      planned: planned === null ? null : round(planned),
      actual: actual === null ? null : round(actual),
      projected: projected === null ? null : round(projected),
      vsPlan: planned && projected !== null ? round((projected - planned) / planned, 4) : null,
    });
    return {
      name: 'roi',
      title: `ROI, planned vs actual: ${c.name}`,
      filters: f,
      summary: {
        campaign: c.name,
        days,
        agents,
        bookings,
        keptVisits: kept,
        pendingBookings: pending,
        projectedKeptVisits: round(projectedKept),
        revenue: round(revenue),
        projectedRevenue: round(projectedRevenue),
        agentCost: round(cost),
        net: round(net),
        roiPercent: cost > 0 ? round((net / cost) * 100) : null,
        breakEvenKeptVisits: breakEven === null ? null : round(breakEven * months),
        breakEvenProgress: breakEven ? round(projectedKept / (breakEven * months), 4) : null,
        planned: plan ? 'yes' : 'no plan saved',
      },
      columns: ['metric', 'planned', 'actual', 'projected', 'vsPlan'],
      rows: [
        line('bookings', plannedBookings, bookings, bookings),
        line('kept visits', plannedKept, kept, projectedKept),
        line('revenue', plannedRevenue, revenue, projectedRevenue),
        line('agent cost', plan ? plan.campaign.costPerMonth * months : null, cost, cost),
        line('net', plannedNet, revenue - cost, net),
      ],
      notes: [
        `Projected = kept visits so far + pending bookings × the plan's ${Math.round(inputs.showRate * 100)}% show rate; actual counts kept visits only.`,
        `Agent cost: ${agents} agent(s) × $${inputs.agentMonthlyCost}/month × ${round(months)} month(s).`,
      ],
    };
  }

  private async attempts(f: Report['filters'], params: unknown[]): Promise<Report> {
    const rows: { n: number; dials: number; contacts: number; bookings: number }[] = await this.db.query(
      `SELECT r.attempt_number AS n, sum(r.dials)::int AS dials,
              coalesce(sum(r.dials) FILTER (WHERE r.code = ANY($6)), 0)::int AS contacts,
              coalesce(sum(r.dials) FILTER (WHERE r.code = 'DONE'), 0)::int AS bookings
       FROM ${rollup('attempt', f)} r WHERE ${WHERE()} AND r.attempt_number > 0
       GROUP BY 1 ORDER BY 1`,
      [...params, CONTACTS],
    );
    const kept: { n: number; kept: number; pending: number }[] = await this.db.query(
      `SELECT r.attempt_number AS n, coalesce(sum(r.bookings) FILTER (WHERE r.status = 'kept'), 0)::int AS kept,
              coalesce(sum(r.bookings) FILTER (WHERE r.status = 'pending'), 0)::int AS pending
       FROM ${rollup('booking', f)} r WHERE ${WHERE()} GROUP BY 1`,
      params,
    );
    const totals = await this.totals(f, params);
    const inputs = resolvePlanInputs(totals[0]?.plan ?? {});
    const [{ agents }] = await this.db.query(
      `SELECT count(DISTINCT r.agent_id)::int AS agents FROM ${rollup('agent', f)} r WHERE ${WHERE()}`,
      params,
    );
    const allDials = rows.reduce((n, r) => n + r.dials, 0);
    const days = DateTime.fromISO(f.to).diff(DateTime.fromISO(f.from), 'days').days + 1;
    const cost = agents * inputs.agentMonthlyCost * (days / DAYS_PER_MONTH);
    const costPerDial = allDials > 0 ? cost / allDials : 0;
    const out = rows.map((r) => {
      const k = kept.find((x) => x.n === r.n) ?? { kept: 0, pending: 0 };
      const earned = (k.kept + k.pending * inputs.showRate) * inputs.revenuePerVisit;
      return {
        attempt: r.n,
        dials: r.dials,
        contacts: r.contacts,
        bookings: r.bookings,
        pickupRate: rate(r.contacts, r.dials),
        bookingRate: rate(r.bookings, r.contacts),
        keptVisits: k.kept,
        earned: round(earned),
        cost: round(r.dials * costPerDial),
        net: round(earned - r.dials * costPerDial),
      };
    });
    const late = out.filter((r) => r.attempt >= 4);
    return {
      name: 'attempts',
      title: 'By attempt number: what each attempt earns against what it costs',
      filters: f,
      summary: {
        attempts: out.length,
        costPerDial: round(costPerDial),
        lateAttemptBookings: late.reduce((n, r) => n + r.bookings, 0),
        lateAttemptDials: late.reduce((n, r) => n + r.dials, 0),
        lateAttemptNet: round(late.reduce((n, r) => n + (r.net ?? 0), 0)),
      },
      columns: [
        'attempt',
        'dials',
        'contacts',
        'bookings',
        'pickupRate',
        'bookingRate',
        'keptVisits',
        'earned',
        'cost',
        'net',
      ],
      rows: out,
      notes: [
        'Earned counts kept visits plus pending bookings at the plan show rate; cost spreads agent cost over dials.',
      ],
    };
  }

  private async hours(f: Report['filters'], params: unknown[]): Promise<Report> {
    const rows: { hour: number; band: string; dials: number; contacts: number; bookings: number }[] =
      await this.db.query(
        `SELECT r.patient_hour AS hour, r.age_band AS band, sum(r.dials)::int AS dials,
                sum(r.contacts)::int AS contacts, sum(r.bookings)::int AS bookings
         FROM report_hour_day r WHERE ${WHERE(false)} GROUP BY 1, 2 ORDER BY 1, 2`,
        params.slice(0, 4),
      );
    const weekdays: { dow: number; dials: number; contacts: number }[] = await this.db.query(
      `SELECT extract(isodow FROM r.day)::int AS dow, sum(r.dials)::int AS dials, sum(r.contacts)::int AS contacts
       FROM report_hour_day r WHERE ${WHERE(false)} GROUP BY 1 ORDER BY 1`,
      params.slice(0, 4),
    );
    const best: Record<string, Cell> = {};
    for (const band of AGE_BANDS) {
      const cells = rows.filter((r) => r.band === band && r.dials >= 20);
      const top = cells.sort((a, b) => b.contacts / b.dials - a.contacts / a.dials)[0];
      if (top)
        best[`best hour ${band}`] =
          `${top.hour}:00 (${Math.round((top.contacts / top.dials) * 100)}% pickup)`;
    }
    const names = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    return {
      name: 'hours',
      title: "Pickup by the patient's local hour and age band",
      filters: f,
      summary: {
        ...best,
        ...Object.fromEntries(weekdays.map((w) => [`pickup ${names[w.dow]}`, rate(w.contacts, w.dials)])),
      },
      columns: ['hour', 'ageBand', 'dials', 'contacts', 'bookings', 'pickupRate'],
      rows: rows.map((r) => ({
        hour: r.hour,
        ageBand: r.band,
        dials: r.dials,
        contacts: r.contacts,
        bookings: r.bookings,
        pickupRate: rate(r.contacts, r.dials),
      })),
      notes: ['Hours are on the patient’s clock; best hours need at least 20 dials.'],
    };
  }

  private async dispositions(f: Report['filters'], params: unknown[]): Promise<Report> {
    // A long range by week would be thousands of rows nobody reads: it goes by month.
    const days = DateTime.fromISO(f.to).diff(DateTime.fromISO(f.from), 'days').days + 1;
    const bucket = days > WEEKLY_MIX_DAYS ? 'month' : 'week';
    const rows: {
      week?: string;
      month?: string;
      campaign: string;
      agent: string;
      code: string;
      count: number;
    }[] = await this.db.query(
      // Summed first, then named: the joins and the sort see one row per bucket × agent × code,
      // not every attempt-number row of the rollup (a year: 6,500 instead of 29,000).
      `SELECT to_char(x.bucket, 'YYYY-MM-DD') AS ${bucket}, c.name AS campaign, u.login AS agent, x.code, x.count
       FROM (SELECT date_trunc('${bucket}', r.day) AS bucket, r.campaign_id, r.agent_id, r.code,
                    sum(r.dials)::int AS count
             FROM ${rollup('attempt', f, bucket === 'month')} r WHERE ${WHERE()} GROUP BY 1, 2, 3, 4) x
       JOIN campaign c ON c.id = x.campaign_id JOIN app_user u ON u.id = x.agent_id
       ORDER BY x.bucket, c.name, u.login, x.code`,
      params,
    );
    const byCode = new Map<string, number>();
    for (const r of rows) byCode.set(r.code, (byCode.get(r.code) ?? 0) + r.count);
    const total = [...byCode.values()].reduce((a, b) => a + b, 0);
    return {
      name: 'dispositions',
      title: `Disposition mix per campaign and agent, by ${bucket}`,
      filters: f,
      summary: Object.fromEntries([...byCode.entries()].sort().map(([c, n]) => [c, rate(n, total)])),
      columns: [bucket, 'campaign', 'agent', 'code', 'count'],
      rows,
      notes: [`${total} calls; the summary gives each code's share.`],
    };
  }

  private async agents(f: Report['filters'], params: unknown[]): Promise<Report> {
    const rows: Record<string, number | string | null>[] = await this.db.query(
      `WITH a AS (
         SELECT r.agent_id, sum(r.dials)::int AS dials,
                coalesce(sum(r.dials) FILTER (WHERE r.code = ANY($6)), 0)::int AS contacts,
                coalesce(sum(r.dials) FILTER (WHERE r.code = 'DONE'), 0)::int AS bookings,
                sum(r.handled)::int AS handled, sum(r.handle_seconds)::bigint AS handle_seconds
         FROM ${rollup('attempt', f)} r WHERE ${WHERE()} GROUP BY 1),
       d AS (
         SELECT agent_id, count(*)::int AS days, avg(first_minute) AS first_minute, avg(last_minute) AS last_minute
         FROM (SELECT r.agent_id, r.day, min(r.first_minute) AS first_minute, max(r.last_minute) AS last_minute
               FROM report_agent_day r WHERE ${WHERE()} GROUP BY 1, 2) x GROUP BY 1),
       assigned AS (
         SELECT x.agent_id, count(*)::int AS assigned,
                count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM call_attempt ca WHERE ca.member_id = x.member_id
                                                   AND ca.agent_id = x.agent_id AND ca.ended_at >= x.start_at))::int AS untouched
         FROM (SELECT a.agent_id, a.member_id, (cy.start_on::timestamp AT TIME ZONE pr.timezone) AS start_at
               FROM cycle_assignment a JOIN call_cycle cy ON cy.id = a.cycle_id JOIN practice pr ON pr.id = a.practice_id
               WHERE a.practice_id = $1 AND a.state <> 'removed' AND cy.start_on <= $3::date AND cy.end_on >= $2::date
                 AND ($4::uuid IS NULL OR cy.campaign_id = $4) AND ($5::uuid IS NULL OR a.agent_id = $5)) x
         GROUP BY 1)
       SELECT u.login AS agent, u.display_name AS name, coalesce(s.assigned, 0) AS assigned,
              coalesce(s.untouched, 0) AS untouched, coalesce(d.days, 0) AS days, coalesce(a.dials, 0) AS dials,
              coalesce(a.contacts, 0) AS contacts, coalesce(a.bookings, 0) AS bookings, a.handled, a.handle_seconds,
              d.first_minute, d.last_minute
       FROM (SELECT agent_id FROM a UNION SELECT agent_id FROM assigned) ids
       JOIN app_user u ON u.id = ids.agent_id
       LEFT JOIN a ON a.agent_id = ids.agent_id LEFT JOIN d ON d.agent_id = ids.agent_id
       LEFT JOIN assigned s ON s.agent_id = ids.agent_id
       ORDER BY u.login`,
      [...params, CONTACTS],
    );
    const clock = (m: number | null) =>
      m === null
        ? null
        : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(Math.round(m % 60)).padStart(2, '0')}`;
    const out = rows.map((r) => ({
      agent: r.agent,
      name: r.name,
      assigned: num(r.assigned),
      worked: num(r.assigned) - num(r.untouched),
      untouched: num(r.untouched),
      dials: num(r.dials),
      dialsPerDay: num(r.days) ? round(num(r.dials) / num(r.days), 1) : null,
      contacts: num(r.contacts),
      bookings: num(r.bookings),
      conversionRate: rate(num(r.bookings), num(r.dials)),
      avgHandleSeconds: num(r.handled) ? Math.round(num(r.handle_seconds) / num(r.handled)) : null,
      firstCall: clock(r.first_minute === null ? null : Number(r.first_minute)),
      lastCall: clock(r.last_minute === null ? null : Number(r.last_minute)),
    }));
    return {
      name: 'agents',
      title: 'Agents: assigned vs worked, pace, conversion, handle time',
      filters: f,
      summary: {
        agents: out.length,
        dials: out.reduce((n, r) => n + r.dials, 0),
        bookings: out.reduce((n, r) => n + r.bookings, 0),
        untouched: out.reduce((n, r) => n + r.untouched, 0),
      },
      columns: [
        'agent',
        'name',
        'assigned',
        'worked',
        'untouched',
        'dials',
        'dialsPerDay',
        'contacts',
        'bookings',
        'conversionRate',
        'avgHandleSeconds',
        'firstCall',
        'lastCall',
      ],
      rows: out,
      notes: [
        'First and last call are the average practice-local times over the days worked; assigned counts cycles overlapping the range.',
      ],
    };
  }

  private async backlog(practiceId: string, f: Report['filters']): Promise<Report> {
    const rows: {
      campaign_id: string;
      name: string;
      settings: { attemptCap?: number; callsPerAgentPerDay?: number; workingDays?: number[] };
      open: number;
      remaining_attempts: number;
      exhausted: number;
      unreachable: number;
      dnc: number;
      closed: number;
      agents: number;
      computed_at: Date;
    }[] = await this.db.query(
      `SELECT c.id AS campaign_id, c.name, c.settings,
              coalesce(sum(b.members) FILTER (WHERE b.state = 'open'), 0)::int AS open,
              coalesce(sum(b.remaining_attempts), 0)::int AS remaining_attempts,
              coalesce(sum(b.members) FILTER (WHERE b.state = 'exhausted'), 0)::int AS exhausted,
              coalesce(sum(b.members) FILTER (WHERE b.state = 'unreachable'), 0)::int AS unreachable,
              coalesce(sum(b.members) FILTER (WHERE b.state = 'dnc'), 0)::int AS dnc,
              coalesce(sum(b.members) FILTER (WHERE b.state NOT IN ('open', 'exhausted', 'unreachable', 'dnc')), 0)::int AS closed,
              (SELECT count(*)::int FROM campaign_agent ca WHERE ca.campaign_id = c.id) AS agents,
              max(b.computed_at) AS computed_at
       FROM report_backlog b JOIN campaign c ON c.id = b.campaign_id
       WHERE b.practice_id = $1 AND ($2::uuid IS NULL OR c.id = $2)
       GROUP BY c.id ORDER BY c.name`,
      [practiceId, f.campaignId],
    );
    // The pace: dials per working day over the last 14 days of the range.
    const pace: { campaign_id: string; dials: number; days: number }[] = await this.db.query(
      `SELECT r.campaign_id, sum(r.dials)::int AS dials, count(DISTINCT r.day)::int AS days
       FROM report_attempt_day r
       WHERE r.practice_id = $1 AND r.day BETWEEN $2::date - 13 AND $2::date AND ($3::uuid IS NULL OR r.campaign_id = $3)
       GROUP BY 1`,
      [practiceId, f.to, f.campaignId],
    );
    const out = rows.map((r) => {
      const p = pace.find((x) => x.campaign_id === r.campaign_id);
      const perDay = p && p.days ? p.dials / p.days : 0;
      const perAgentDay = r.settings.callsPerAgentPerDay ?? 250;
      return {
        campaign: r.name,
        callableRemaining: r.open,
        remainingAttempts: r.remaining_attempts,
        exhausted: r.exhausted,
        unreachable: r.unreachable,
        dnc: r.dnc,
        closed: r.closed,
        dialsPerDay: round(perDay, 1),
        daysToExhaust: perDay > 0 ? Math.ceil(r.remaining_attempts / perDay) : null,
        agentsNeededIn20Days: Math.ceil(r.remaining_attempts / (perAgentDay * 20)),
        agents: r.agents,
      };
    });
    return {
      name: 'backlog',
      title: 'Backlog: what is left to call, and the staffing to finish it',
      filters: f,
      summary: {
        callableRemaining: out.reduce((n, r) => n + r.callableRemaining, 0),
        exhausted: out.reduce((n, r) => n + r.exhausted, 0),
        unreachable: out.reduce((n, r) => n + r.unreachable, 0),
        dnc: out.reduce((n, r) => n + r.dnc, 0),
      },
      columns: [
        'campaign',
        'callableRemaining',
        'remainingAttempts',
        'exhausted',
        'unreachable',
        'dnc',
        'closed',
        'dialsPerDay',
        'daysToExhaust',
        'agentsNeededIn20Days',
        'agents',
      ],
      rows: out,
      notes: [
        `Member counts as of ${rows[0]?.computed_at?.toISOString() ?? 'now'} (the last refresh).`,
        'Days to exhaust: the open patients’ remaining attempts at the last 14 days’ pace. Agents needed: to make every remaining attempt within 20 working days at the campaign’s calls per agent per day.',
      ],
    };
  }

  private async leadTime(f: Report['filters'], params: unknown[]): Promise<Report> {
    const rows: { bucket: string; kept: number; not_kept: number; pending: number }[] = await this.db.query(
      `SELECT r.lead_bucket AS bucket,
              coalesce(sum(r.bookings) FILTER (WHERE r.status = 'kept'), 0)::int AS kept,
              coalesce(sum(r.bookings) FILTER (WHERE r.status = 'not_kept'), 0)::int AS not_kept,
              coalesce(sum(r.bookings) FILTER (WHERE r.status = 'pending'), 0)::int AS pending
       FROM ${rollup('booking', f)} r WHERE ${WHERE()} GROUP BY 1`,
      params,
    );
    const out = LEAD_BUCKETS.map((bucket) => {
      const r = rows.find((x) => x.bucket === bucket) ?? { kept: 0, not_kept: 0, pending: 0 };
      return {
        leadDays: bucket,
        bookings: r.kept + r.not_kept + r.pending,
        kept: r.kept,
        notKept: r.not_kept,
        pending: r.pending,
        keptRate: rate(r.kept, r.kept + r.not_kept),
      };
    });
    return {
      name: 'lead-time',
      title: 'Kept rate by days between the call and the appointment',
      filters: f,
      summary: Object.fromEntries(out.map((r) => [`kept ${r.leadDays} days`, r.keptRate])),
      columns: ['leadDays', 'bookings', 'kept', 'notKept', 'pending', 'keptRate'],
      rows: out,
      notes: [
        'The kept rate counts settled bookings only (kept or not kept); pending ones wait for an import.',
      ],
    };
  }

  private async escalations(f: Report['filters'], params: unknown[]): Promise<Report> {
    const rows: { category: string; opened: number; resolved: number; median_hours: number | null }[] =
      await this.db.query(
        `SELECT e.category, count(*)::int AS opened, count(e.resolved_at)::int AS resolved,
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.resolved_at - e.created_at))
                       FILTER (WHERE e.resolved_at IS NOT NULL) / 3600)::numeric, 1)::float AS median_hours
         FROM escalation e JOIN practice pr ON pr.id = e.practice_id
         WHERE e.practice_id = $1 AND (e.created_at AT TIME ZONE pr.timezone)::date BETWEEN $2::date AND $3::date
           AND ($4::uuid IS NULL OR e.campaign_id = $4) AND ($5::uuid IS NULL OR e.agent_id = $5)
         GROUP BY 1 ORDER BY 1`,
        params,
      );
    const [dnc] = await this.db.query(
      `SELECT coalesce(sum(r.dials), 0)::int AS n FROM ${rollup('attempt', f)} r WHERE ${WHERE()} AND r.code = 'DNC'`,
      params,
    );
    return {
      name: 'escalations',
      title: 'Escalations and do-not-call',
      filters: f,
      summary: {
        opened: rows.reduce((n, r) => n + r.opened, 0),
        resolved: rows.reduce((n, r) => n + r.resolved, 0),
        dncOnCalls: dnc.n,
      },
      columns: ['category', 'opened', 'resolved', 'medianHoursToResolve'],
      rows: rows.map((r) => ({
        category: r.category,
        opened: r.opened,
        resolved: r.resolved,
        medianHoursToResolve: r.median_hours,
      })),
      notes: ['Time to handle: from the flag to its resolution, median per category.'],
    };
  }

  private async quality(practiceId: string, f: Report['filters'], params: unknown[]): Promise<Report> {
    const [{ timezone }] = await this.db.query(`SELECT timezone FROM practice WHERE id = $1`, [practiceId]);
    return qualityReport(this.db, f, params, timezone);
  }
}
