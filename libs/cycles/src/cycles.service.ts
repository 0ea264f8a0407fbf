import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import {
  CAMPAIGN_TYPE_SPECS,
  eligibleCondition,
  evaluationQuery,
  type CampaignSettings,
  type CampaignType,
  type TargetRule,
} from '@recall/campaigns';
import { Clock, DomainError } from '@recall/core';
import { PatientsService } from '@recall/patients';
import { randomInt } from 'node:crypto';
import type { ClientBase } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { copyAssignments } from './assignment-copy';
import { buildCycle, rebalanceAbsence, type CycleAgent, type CycleMember } from './builder';
import { cycleDays, nextWorkingDay } from './cycle-days';
import { DISPOSITION_CODES, SHEET_ROWS_SQL, toCsv, toXlsx, type SheetRow } from './sheets';

export interface CycleSummary {
  cycleId: string;
  campaignId: string;
  seq: number;
  start: string;
  end: string;
  days: string[];
  seed: number;
  status: 'open' | 'closed';
  agents: { agentId: string; agent: string; displayName: string; assigned: number; done: number }[];
  backlog: number;
  moved: number;
  createdAt: string;
}

interface CampaignRow {
  id: string;
  practice_id: string;
  type: CampaignType;
  status: string;
  rule: TargetRule;
  settings: CampaignSettings;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * ANALYZE (as the owner, see recall_analyze) each of $1's tables that grew by more than a
 * tenth and 128 kB since its statistics were taken: pages on disk against pages at the last
 * ANALYZE or VACUUM, both known without reading a row nor waiting for the statistics
 * collector (a launch a moment ago has not reported yet).
 */
const FRESH_STATISTICS_SQL = `
  SELECT recall_analyze(c.oid::regclass) FROM pg_class c
  WHERE c.oid = ANY ($1::regclass[])
    AND pg_relation_size(c.oid) / current_setting('block_size')::int > greatest(c.relpages, 0) * 1.1 + 16`;

/** Two-week call cycles: who calls whom on which day, rebuilt and rebalanced as agents come and go. */
@Injectable()
export class CyclesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly patients: PatientsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Builds the campaign's next cycle. A cycle that has not started yet is replaced (a new
   * seed, a new shuffle); one that has started is closed, and its members carry over to a
   * different agent where the campaign has more than one.
   */
  async build(
    practiceId: string,
    campaignId: string,
    opts: { start?: string; seed?: number } = {},
    actorId: string | null = null,
  ): Promise<CycleSummary> {
    if (opts.start !== undefined && !DATE.test(opts.start))
      throw DomainError.invalid('start: must be YYYY-MM-DD');
    if (opts.seed !== undefined && (!Number.isSafeInteger(opts.seed) || opts.seed < 0)) {
      throw DomainError.invalid('seed: must be a whole number ≥ 0');
    }
    const { today, zone } = await this.patients.practiceDay(practiceId);
    // A launch that has just enrolled the members left no statistics behind, and planned on
    // an "empty" campaign_member the eligibility statement ran for minutes. Refreshed before
    // the transaction, so the ANALYZE's lock is not held while the cycle is written.
    await this.db.query(FRESH_STATISTICS_SQL, [['campaign_member', 'patient', 'visit']]);
    let written = 0;
    const cycleId = await this.db.transaction(async (tx) => {
      // Statements over every member: hash joins in memory, and no JIT (it compiles for
      // seconds at a million patients to save less than that).
      await tx.query(
        `SELECT pg_advisory_xact_lock(hashtext('cycle-build:' || $1)),
           set_config('work_mem', '64MB', true), set_config('jit', 'off', true)`,
        [campaignId],
      );
      const campaign = await this.campaign(tx, practiceId, campaignId);
      if (campaign.status !== 'active') {
        throw DomainError.conflict(`only an active campaign gets cycles (this one is ${campaign.status})`);
      }
      const settings = campaign.settings;
      const start = nextWorkingDay(opts.start ?? today, settings.workingDays);
      if (start < today) throw DomainError.invalid(`start: ${start} is in the past`);
      const days = cycleDays(start, settings.cycleWorkingDays, settings.workingDays);
      const seed = opts.seed ?? randomInt(0, 2 ** 31);

      const [open] = await tx.query(
        `SELECT id, seq, start_on FROM call_cycle WHERE campaign_id = $1 AND status = 'open'`,
        [campaignId],
      );
      // Not started: replaced, keeping its place in the sequence. Started: closed, and it is
      // the previous cycle of the one built now.
      const replaces = open && open.start_on > today;
      const seq: number = open ? (replaces ? open.seq : open.seq + 1) : 1;
      let previousCycleId: string | null = open && !replaces ? open.id : null;
      if (!open || replaces) {
        const [prev] = await tx.query(
          `SELECT id FROM call_cycle WHERE campaign_id = $1 AND status = 'closed' AND seq < $2 ORDER BY seq DESC LIMIT 1`,
          [campaignId, seq],
        );
        previousCycleId = prev?.id ?? null;
      }

      const members = await this.callableMembers(tx, campaign, today, zone, previousCycleId);
      const agents = await this.agents(tx, campaignId, practiceId, settings, days);
      if (agents.length === 0) throw DomainError.conflict('the campaign has no active agent to call');
      // Retiring the open cycle is PostgreSQL's work (a row per assignment) and the builder is
      // Node's: the statement is sent first and runs while the builder does.
      const retiring = !open
        ? null
        : replaces
          ? tx.query(`DELETE FROM call_cycle WHERE id = $1`, [open.id])
          : tx.query(
              `WITH closed AS (UPDATE call_cycle SET status = 'closed' WHERE id = $1)
               UPDATE cycle_assignment SET state = 'removed' WHERE cycle_id = $1 AND state = 'pending'`,
              [open.id],
            );
      if (retiring) {
        retiring.catch(() => undefined);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const result = buildCycle({ members, agents, days, seed });
      await retiring;

      const [cycle] = await tx.query(
        `INSERT INTO call_cycle (practice_id, campaign_id, seq, start_on, end_on, days, seed, status, backlog, built_by)
         VALUES ($1, $2, $3, $4, $5, $6::date[], $7, 'open', $8, $9) RETURNING id`,
        [
          practiceId,
          campaignId,
          seq,
          days[0],
          days[days.length - 1],
          days,
          seed,
          result.backlog.length,
          actorId,
        ],
      );
      const client = (tx.queryRunner as unknown as { databaseConnection: ClientBase }).databaseConnection;
      await copyAssignments(
        client,
        { id: cycle.id, practiceId },
        result.assignments,
        this.clock.nowDate().getTime(),
      );
      written = result.assignments.length;
      return cycle.id as string;
    });
    // The first cycle of a large campaign (fewer rows in the statistics than half of those just
    // written): the queue's plans need to know the rows are there
    // (a rebuild, which replaces as many rows as it adds, leaves the estimate right).
    await this.db.query(
      `SELECT recall_analyze('cycle_assignment') FROM pg_class
       WHERE oid = 'cycle_assignment'::regclass AND reltuples < $1 / 2 AND $1 >= 1000`,
      [written],
    );
    const summary = await this.get(practiceId, cycleId);
    await this.audit.record({
      action: 'cycle.build',
      practiceId,
      entityType: 'call_cycle',
      entityId: cycleId,
      details: {
        campaignId,
        seq: summary.seq,
        seed: summary.seed,
        assigned: summary.agents.reduce((n, x) => n + x.assigned, 0),
        backlog: summary.backlog,
      },
    });
    return summary;
  }

  /**
   * The scheduled rollover: every active campaign with agents whose cycle has ended (or that
   * has none yet) gets its next cycle, starting on the practice's today.
   */
  async rollover(): Promise<{ built: number; failed: number }> {
    const due: { practice_id: string; id: string }[] = await this.db.query(
      `SELECT c.practice_id, c.id FROM campaign c JOIN practice pr ON pr.id = c.practice_id
       WHERE c.status = 'active' AND EXISTS (SELECT 1 FROM campaign_agent ca WHERE ca.campaign_id = c.id)
         AND NOT EXISTS (SELECT 1 FROM call_cycle cy WHERE cy.campaign_id = c.id AND cy.status = 'open'
           AND cy.end_on >= ($1::timestamptz AT TIME ZONE pr.timezone)::date)`,
      [this.clock.nowDate()],
    );
    let built = 0;
    let failed = 0;
    for (const c of due) {
      try {
        await this.build(c.practice_id, c.id);
        built++;
      } catch (error) {
        // One campaign's problem (e.g. no active agent left) must not stop the others.
        failed++;
        await this.audit.record({
          action: 'cycle.build',
          outcome: 'failure',
          practiceId: c.practice_id,
          entityType: 'campaign',
          entityId: c.id,
          details: { error: (error as Error).message },
        });
      }
    }
    return { built, failed };
  }

  async get(practiceId: string, cycleId: string): Promise<CycleSummary> {
    const [c] = await this.db.query(
      `SELECT *, days::text[] AS days FROM call_cycle WHERE practice_id = $1 AND id = $2`,
      [practiceId, cycleId],
    );
    if (!c) throw DomainError.notFound('cycle');
    // The campaign's agents (even with nothing assigned) and anyone who holds items in the
    // cycle, from one pass over the cycle's rows.
    const rows: (CycleSummary['agents'][number] & { moved: number })[] = await this.db.query(
      `WITH counts AS (
         SELECT agent_id, count(*) FILTER (WHERE state <> 'removed')::int AS assigned,
           count(*) FILTER (WHERE state = 'done')::int AS done,
           count(*) FILTER (WHERE moved_from_agent_id IS NOT NULL)::int AS moved
         FROM cycle_assignment WHERE cycle_id = $1 GROUP BY agent_id)
       SELECT u.id AS "agentId", u.login AS agent, u.display_name AS "displayName",
         coalesce(n.assigned, 0) AS assigned, coalesce(n.done, 0) AS done, coalesce(n.moved, 0) AS moved
       FROM app_user u LEFT JOIN counts n ON n.agent_id = u.id
       WHERE u.id IN (SELECT user_id FROM campaign_agent WHERE campaign_id = $2 UNION SELECT agent_id FROM counts)
       ORDER BY u.login`,
      [cycleId, c.campaign_id],
    );
    const agents = rows.map(({ moved: _moved, ...agent }) => agent);
    const moved = rows.reduce((n, r) => n + r.moved, 0);
    return {
      cycleId: c.id,
      campaignId: c.campaign_id,
      seq: c.seq,
      start: c.start_on,
      end: c.end_on,
      days: c.days,
      seed: Number(c.seed),
      status: c.status,
      agents,
      backlog: c.backlog,
      moved,
      createdAt: c.created_at.toISOString(),
    };
  }

  async list(practiceId: string, campaignId: string): Promise<CycleSummary[]> {
    const [campaign] = await this.db.query(`SELECT 1 FROM campaign WHERE practice_id = $1 AND id = $2`, [
      practiceId,
      campaignId,
    ]);
    if (!campaign) throw DomainError.notFound('campaign');
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM call_cycle WHERE practice_id = $1 AND campaign_id = $2 ORDER BY seq DESC`,
      [practiceId, campaignId],
    );
    return Promise.all(rows.map((r) => this.get(practiceId, r.id)));
  }

  /** One agent's assignments in a cycle, for the manager's view and the spreadsheet. */
  async assignments(
    practiceId: string,
    cycleId: string,
    agentId?: string,
  ): Promise<
    {
      id: string;
      agentId: string;
      agent: string;
      dueOn: string;
      reason: string;
      state: string;
      movedFromAgent: string | null;
      memberId: string;
      mrn: string | null;
      name: string;
    }[]
  > {
    const [cycle] = await this.db.query(`SELECT 1 FROM call_cycle WHERE practice_id = $1 AND id = $2`, [
      practiceId,
      cycleId,
    ]);
    if (!cycle) throw DomainError.notFound('cycle');
    return this.db.query(
      `SELECT a.id, a.agent_id AS "agentId", u.login AS agent, a.due_on AS "dueOn", a.reason, a.state,
         mu.login AS "movedFromAgent", a.member_id AS "memberId", p.mrn,
         coalesce(nullif(concat_ws(' ', p.first_name, p.last_name), ''), concat_ws(' · ', ct.organisation, ct.contact_name)) AS name
       FROM cycle_assignment a
       JOIN app_user u ON u.id = a.agent_id
       LEFT JOIN app_user mu ON mu.id = a.moved_from_agent_id
       JOIN campaign_member m ON m.id = a.member_id
       LEFT JOIN patient p ON p.id = m.patient_id
       LEFT JOIN contact ct ON ct.id = m.contact_id
       WHERE a.practice_id = $1 AND a.cycle_id = $2 AND ($3::uuid IS NULL OR a.agent_id = $3)
       ORDER BY u.login, a.due_on, a.priority, p.last_name NULLS LAST, a.id`,
      [practiceId, cycleId, agentId ?? null],
    );
  }

  /** An agent's cycle as a spreadsheet (XLSX with a disposition drop-down, or CSV). */
  async exportSheet(
    practiceId: string,
    cycleId: string,
    agentId: string,
    format: 'xlsx' | 'csv',
  ): Promise<{ filename: string; contentType: string; body: Buffer }> {
    const cycle = await this.get(practiceId, cycleId);
    const agent = cycle.agents.find((a) => a.agentId === agentId);
    if (!agent) throw DomainError.notFound('agent in this cycle');
    const { today, zone } = await this.patients.practiceDay(practiceId);
    const rows: SheetRow[] = await this.db.query(SHEET_ROWS_SQL, [practiceId, cycleId, agentId, today]);
    const [campaign] = await this.db.query(`SELECT name FROM campaign WHERE id = $1`, [cycle.campaignId]);
    const base = `${campaign.name} cycle ${cycle.seq} ${agent.agent}`;
    await this.audit.record({
      action: 'cycle.export',
      practiceId,
      entityType: 'call_cycle',
      entityId: cycleId,
      details: { agentId, format, rows: rows.length },
    });
    const filename = `${base.replace(/[^\w.-]+/g, '-')}.${format}`;
    return format === 'csv'
      ? { filename, contentType: 'text/csv; charset=utf-8', body: Buffer.from(`\uFEFF${toCsv(rows, zone)}`) }
      : {
          filename,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          body: await toXlsx(rows, { zone, title: base, dispositionCodes: DISPOSITION_CODES }),
        };
  }

  /**
   * Marks an agent absent: their pending items on those days, in every open cycle of the
   * practice, move to the campaign's other agents (different-agent rule and loads kept).
   */
  async markAbsent(
    practiceId: string,
    input: { userId: string; from: string; to: string; reason?: string },
    actorId: string | null,
  ): Promise<{ absenceId: string; moved: number }> {
    if (!DATE.test(input.from) || !DATE.test(input.to))
      throw DomainError.invalid('from, to: must be YYYY-MM-DD');
    if (input.to < input.from) throw DomainError.invalid('to: must not be before from');
    const { today, zone } = await this.patients.practiceDay(practiceId);
    const result = await this.db.transaction(async (tx) => {
      const [user] = await tx.query(
        `SELECT u.id FROM app_user u JOIN user_practice up ON up.user_id = u.id
         WHERE up.practice_id = $1 AND u.id = $2 AND u.role = 'agent'`,
        [practiceId, input.userId],
      );
      if (!user) throw DomainError.invalid('userId: not an agent of this practice');
      const [absence] = await tx.query(
        `INSERT INTO agent_absence (practice_id, user_id, starts_on, ends_on, reason, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [practiceId, input.userId, input.from, input.to, input.reason ?? null, actorId],
      );
      const cycles: { id: string; campaign_id: string; seed: string; days: string[] }[] = await tx.query(
        `SELECT DISTINCT cy.id, cy.campaign_id, cy.seed, cy.days::text[] AS days FROM call_cycle cy
         JOIN campaign c ON c.id = cy.campaign_id AND c.status IN ('active', 'paused')
         JOIN cycle_assignment a ON a.cycle_id = cy.id
         WHERE cy.practice_id = $1 AND cy.status = 'open' AND a.agent_id = $2 AND a.state = 'pending'
           AND a.due_on BETWEEN $3 AND $4`,
        [practiceId, input.userId, input.from, input.to],
      );
      let moved = 0;
      for (const cy of cycles) {
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('cycle-build:' || $1))`, [cy.campaign_id]);
        const campaign = await this.campaign(tx, practiceId, cy.campaign_id);
        const [prev] = await tx.query(
          `SELECT p.id FROM call_cycle c JOIN call_cycle p ON p.campaign_id = c.campaign_id AND p.seq < c.seq
           WHERE c.id = $1 ORDER BY p.seq DESC LIMIT 1`,
          [cy.id],
        );
        const members = await this.callableMembers(tx, campaign, today, zone, prev?.id ?? null, cy.id);
        const agents = await this.agents(tx, cy.campaign_id, practiceId, campaign.settings, cy.days);
        const current = await tx.query(
          `SELECT member_id AS "memberId", agent_id AS "agentId", due_on AS "dueOn", reason, priority
           FROM cycle_assignment WHERE cycle_id = $1 AND state = 'pending'`,
          [cy.id],
        );
        const days = cy.days.filter((d) => d >= input.from && d <= input.to);
        const result = rebalanceAbsence(
          current,
          members,
          agents,
          { agentId: input.userId, days },
          Number(cy.seed),
          today > input.from ? today : input.from,
        );
        if (result.moved.length) {
          await tx.query(
            `UPDATE cycle_assignment a SET agent_id = t.g, due_on = t.d, moved_from_agent_id = t.f
             FROM unnest($2::uuid[], $3::uuid[], $4::date[], $5::uuid[]) AS t(m, g, d, f)
             WHERE a.cycle_id = $1 AND a.member_id = t.m`,
            [
              cy.id,
              result.moved.map((x) => x.memberId),
              result.moved.map((x) => x.toAgentId),
              result.moved.map((x) => x.dueOn),
              result.moved.map((x) => x.fromAgentId),
            ],
          );
        }
        moved += result.moved.length;
      }
      return { absenceId: absence.id as string, moved };
    });
    await this.audit.record({
      action: 'agent.absence',
      practiceId,
      entityType: 'app_user',
      entityId: input.userId,
      details: { from: input.from, to: input.to, moved: result.moved },
    });
    return result;
  }

  async absences(practiceId: string) {
    return this.db.query(
      `SELECT a.id, a.user_id AS "userId", u.login, a.starts_on AS "from", a.ends_on AS "to", a.reason
       FROM agent_absence a JOIN app_user u ON u.id = a.user_id
       WHERE a.practice_id = $1 ORDER BY a.starts_on DESC, u.login`,
      [practiceId],
    );
  }

  private async campaign(tx: EntityManager, practiceId: string, id: string): Promise<CampaignRow> {
    const [row] = await tx.query(
      `SELECT id, practice_id, type, status, rule, settings FROM campaign WHERE practice_id = $1 AND id = $2`,
      [practiceId, id],
    );
    if (!row) throw DomainError.notFound('campaign');
    return row;
  }

  /**
   * The campaign's open members who may be called now (the campaign's own eligibility rules,
   * evaluated again: a patient who booked or asked not to be called since launch drops out),
   * with what the builder needs to know about each.
   */
  private async callableMembers(
    tx: EntityManager,
    campaign: CampaignRow,
    today: string,
    zone: string,
    previousCycleId: string | null,
    currentCycleId: string | null = null,
  ): Promise<CycleMember[]> {
    const audience = CAMPAIGN_TYPE_SPECS[campaign.type].audience;
    const q = evaluationQuery({
      practiceId: campaign.practice_id,
      campaignId: campaign.id,
      audience,
      rule: campaign.rule,
      settings: campaign.settings,
      today,
      now: this.clock.nowDate(),
      openMembersOnly: true,
    });
    const n = q.params.length;
    const target = audience === 'contacts' ? 'contact_id' : 'patient_id';
    // The previous cycle's agents by hash, not a probe per member; ordered by id, as the
    // builder sorts them. The evaluation is fenced (OFFSET 0): under row-level security the
    // planner may not use column statistics for a non-leakproof operator (the valid-phone
    // test is jsonb @>), so with the eligibility filter pushed into the patient scan it
    // expected 39 of 125,000 members and probed indexes 125,000 times per join. Fenced, its
    // estimate is the members' count; no nested loops for a statement over every member.
    await tx.query(`SET LOCAL enable_nestloop = off`);
    const rows = await tx.query(
      `WITH prev AS MATERIALIZED (SELECT member_id, agent_id FROM cycle_assignment WHERE cycle_id = $${n + 3})
       SELECT m.id AS "memberId", m.attempts,
         jsonb_path_query_first(e.phones, '$[*] ? (@.valid == true).e164') #>> '{}' AS "householdKey",
         prev.agent_id AS "previousAgentId",
         m.callback_agent_id AS "callbackAgentId",
         (m.callback_at AT TIME ZONE $${n + 2})::date::text AS "callbackOn",
         m.not_before::text AS "notBefore",
         coalesce(m.not_before, (m.enrolled_at AT TIME ZONE $${n + 2})::date)::text AS "dueSince"
       FROM (${q.sql} OFFSET 0) e
       JOIN campaign_member m ON m.${target} = e.id AND m.campaign_id = $${n + 1} AND m.state = 'open'
       LEFT JOIN prev ON prev.member_id = m.id
       WHERE ${eligibleCondition(q.reasons)}
         ${currentCycleId ? `AND m.id IN (SELECT member_id FROM cycle_assignment WHERE cycle_id = $${n + 4})` : ''}
       ORDER BY m.id`,
      [...q.params, campaign.id, zone, previousCycleId, ...(currentCycleId ? [currentCycleId] : [])],
    );
    await tx.query(`SET LOCAL enable_nestloop TO DEFAULT`);
    return rows.map(
      (r: {
        memberId: string;
        attempts: number;
        householdKey: string | null;
        previousAgentId: string | null;
        callbackAgentId: string | null;
        callbackOn: string | null;
        notBefore: string | null;
        dueSince: string;
      }): CycleMember => ({
        memberId: r.memberId,
        householdKey: r.householdKey,
        attempts: r.attempts,
        previousAgentId: r.previousAgentId,
        callback:
          r.callbackAgentId && r.callbackOn ? { agentId: r.callbackAgentId, dueOn: r.callbackOn } : null,
        notBefore: r.notBefore,
        dueSince: r.dueSince,
      }),
    );
  }

  private async agents(
    tx: EntityManager,
    campaignId: string,
    practiceId: string,
    settings: CampaignSettings,
    days: string[],
  ): Promise<CycleAgent[]> {
    const rows: { id: string; absent: string[] }[] = await tx.query(
      `SELECT u.id,
         coalesce(array(SELECT d::text FROM unnest($3::date[]) d WHERE EXISTS (
           SELECT 1 FROM agent_absence ab WHERE ab.user_id = u.id AND ab.practice_id = $2
             AND d BETWEEN ab.starts_on AND ab.ends_on)), '{}') AS absent
       FROM campaign_agent ca JOIN app_user u ON u.id = ca.user_id
       WHERE ca.campaign_id = $1 AND u.is_active ORDER BY u.id`,
      [campaignId, practiceId, days],
    );
    return rows.map((r) => ({
      agentId: r.id,
      callsPerDay: settings.callsPerAgentPerDay,
      absentDays: r.absent,
    }));
  }
}
