import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { Clock, DomainError } from '@recall/core';
import { PatientsService } from '@recall/patients';
import { DataSource, EntityManager } from 'typeorm';
import { resolveRule, resolveSettings } from './campaign-schemas';
import {
  CAMPAIGN_TYPE_SPECS,
  CAMPAIGN_TYPES,
  isCampaignType,
  type Audience,
  type CampaignSettings,
  type CampaignType,
  type TargetRule,
} from './campaign-types';
import type { CampaignStatus } from './entities/campaign.entity';
import { describeTarget } from './eligibility/describe-target';
import { eligibleCondition, evaluationQuery, type EligibilityInput } from './eligibility/eligibility-sql';
import { EXCLUSION_LABELS, isExclusionReason, type ExclusionReason } from './eligibility/exclusions';
import { allowedActions, nextStatus, ruleEditable, type CampaignAction } from './lifecycle';
import { computePlan, resolvePlanInputs, type PlanInputs, type PlanResult } from './plan/roi-plan';
import {
  checkVoicemailScript,
  DEFAULT_SCRIPTS,
  renderScript,
  sampleScriptValues,
  type ScriptValues,
} from './scripts';

export interface AgentRef {
  id: string;
  login: string;
  displayName: string;
}

export interface CampaignView {
  id: string;
  practiceId: string;
  type: CampaignType;
  typeLabel: string;
  audience: Audience;
  name: string;
  status: CampaignStatus;
  rule: TargetRule;
  settings: CampaignSettings;
  plan: PlanInputs | null;
  planResult: PlanResult | null;
  planPatients: number | null;
  planSavedAt: string | null;
  agents: AgentRef[];
  script: string;
  voicemailScript: string;
  voicemailWarnings: string[];
  members: { open: number; total: number };
  allowedActions: CampaignAction[];
  createdAt: string;
  launchedAt: string | null;
  completedAt: string | null;
  updatedAt: string;
}

export interface NewCampaign {
  type: string;
  name: string;
  agentIds?: string[];
  agentLogins?: string[];
  rule?: unknown;
  settings?: unknown;
  script?: string;
  voicemailScript?: string;
}

export type CampaignPatch = Partial<Omit<NewCampaign, 'type'>>;

export interface EligibilitySummary {
  asOf: string;
  population: number;
  candidates: number;
  eligible: number;
  exclusions: { reason: ExclusionReason; label: string; count: number }[];
  elapsedMs: number;
}

export interface MemberRow {
  id: string;
  mrn: string | null;
  name: string;
  birthDate: string | null;
  lastEncounterOn: string | null;
  lastAppointment: { on: string; status: string } | null;
  nextAppointmentOn: string | null;
  reasons: ExclusionReason[];
}

export interface PatientExplanation {
  patient: { id: string; mrn: string | null; name: string };
  inTarget: boolean;
  targetDetail: string;
  eligible: boolean;
  reasons: { reason: ExclusionReason | 'not_target'; label: string; detail: string }[];
}

interface CampaignRow {
  id: string;
  practice_id: string;
  type: CampaignType;
  name: string;
  status: CampaignStatus;
  rule: TargetRule;
  settings: CampaignSettings;
  plan: PlanInputs | null;
  plan_patients: number | null;
  plan_saved_at: Date | null;
  script: string;
  voicemail_script: string;
  launched_at: Date | null;
  completed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  agents: AgentRef[];
  open_members: number;
  total_members: number;
}

type EvaluatedRow = Record<string, unknown> & {
  id: string;
  mrn: string | null;
  name: string;
  birth_date: string | null;
  last_seen_on: string | null;
  last_appt_on: string | null;
  last_appt_status: string | null;
  next_appt_on: string | null;
  in_target: boolean;
};

const CAMPAIGN_SELECT = `
  SELECT c.*,
    coalesce((SELECT json_agg(json_build_object('id', u.id, 'login', u.login, 'displayName', u.display_name)
       ORDER BY u.login) FROM campaign_agent ca JOIN app_user u ON u.id = ca.user_id
       WHERE ca.campaign_id = c.id), '[]') AS agents,
    (SELECT count(*)::int FROM campaign_member m WHERE m.campaign_id = c.id AND m.state = 'open') AS open_members,
    (SELECT count(*)::int FROM campaign_member m WHERE m.campaign_id = c.id) AS total_members
  FROM campaign c`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Campaigns of a practice: targeting, the why-not breakdown, the plan and the lifecycle. */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly patients: PatientsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  catalogue() {
    return CAMPAIGN_TYPES.map((type) => ({
      ...CAMPAIGN_TYPE_SPECS[type],
      defaultScript: DEFAULT_SCRIPTS[type].script,
      defaultVoicemailScript: DEFAULT_SCRIPTS[type].voicemail,
    }));
  }

  async list(practiceId: string): Promise<CampaignView[]> {
    const rows: CampaignRow[] = await this.db.query(
      `${CAMPAIGN_SELECT} WHERE c.practice_id = $1 ORDER BY c.created_at DESC, c.id`,
      [practiceId],
    );
    return rows.map((r) => this.toView(r));
  }

  async get(practiceId: string, id: string, db: DataSource | EntityManager = this.db): Promise<CampaignView> {
    const [row]: CampaignRow[] = await db.query(`${CAMPAIGN_SELECT} WHERE c.practice_id = $1 AND c.id = $2`, [
      practiceId,
      id,
    ]);
    if (!row) throw DomainError.notFound('campaign');
    return this.toView(row);
  }

  /** By id, or by name within the practice (for the CLI). */
  async resolveId(practiceId: string | null, ref: string): Promise<{ id: string; practiceId: string }> {
    const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
    const rows: { id: string; practice_id: string }[] = await this.db.query(
      `SELECT id, practice_id FROM campaign WHERE ${byId ? 'id = $1' : 'name = $1'}
         AND ($2::uuid IS NULL OR practice_id = $2)`,
      [ref, practiceId],
    );
    if (rows.length === 0) throw DomainError.notFound(`campaign "${ref}"`);
    if (rows.length > 1)
      throw DomainError.invalid(`campaign name "${ref}" is used by several practices; give --practice`);
    return { id: rows[0].id, practiceId: rows[0].practice_id };
  }

  async create(practiceId: string, input: NewCampaign, actorId: string | null): Promise<CampaignView> {
    if (!isCampaignType(input.type)) {
      throw DomainError.invalid(`type: must be one of ${CAMPAIGN_TYPES.join(', ')} (got "${input.type}")`);
    }
    const type = input.type;
    const name = checkName(input.name);
    const rule = resolveRule(type, input.rule);
    const settings = resolveSettings(input.settings);
    const id = await this.db.transaction(async (tx) => {
      const agentIds = await this.resolveAgents(tx, practiceId, input);
      const [row] = await tx
        .query(
          `INSERT INTO campaign (practice_id, type, name, status, rule, settings, script, voicemail_script, created_by,
             created_at, updated_at)
           VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
          [
            practiceId,
            type,
            name,
            rule,
            settings,
            input.script ?? DEFAULT_SCRIPTS[type].script,
            input.voicemailScript ?? DEFAULT_SCRIPTS[type].voicemail,
            actorId,
            // The practice clock, like launched_at (RECALL_NOW pins both in demos).
            this.clock.nowDate(),
          ],
        )
        .catch(uniqueName(name));
      await this.setAgents(tx, row.id, agentIds);
      return row.id as string;
    });
    await this.audit.record({
      action: 'campaign.create',
      practiceId,
      entityType: 'campaign',
      entityId: id,
      details: { type },
    });
    return this.get(practiceId, id);
  }

  async update(practiceId: string, id: string, patch: CampaignPatch): Promise<CampaignView> {
    const changed = await this.db.transaction(async (tx) => {
      const current = await this.lockCampaign(tx, practiceId, id);
      if (current.status === 'completed') throw DomainError.conflict('a completed campaign cannot change');
      const sets: string[] = [];
      const params: unknown[] = [id];
      const set = (column: string, value: unknown) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      if (patch.name !== undefined) set('name', checkName(patch.name));
      if (patch.rule !== undefined) {
        if (!ruleEditable(current.status)) {
          throw DomainError.conflict(`targeting cannot change once the campaign is ${current.status}`);
        }
        set('rule', resolveRule(current.type, patch.rule, current.rule));
      }
      if (patch.settings !== undefined) set('settings', resolveSettings(patch.settings, current.settings));
      if (patch.script !== undefined) set('script', checkScriptText(patch.script, 'script'));
      if (patch.voicemailScript !== undefined) {
        set('voicemail_script', checkScriptText(patch.voicemailScript, 'voicemailScript'));
      }
      if (sets.length) {
        await tx
          .query(`UPDATE campaign SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params)
          .catch(uniqueName(String(patch.name)));
      }
      if (patch.agentIds !== undefined || patch.agentLogins !== undefined) {
        await this.setAgents(tx, id, await this.resolveAgents(tx, practiceId, patch));
      }
      return Object.keys(patch).filter((k) => patch[k as keyof CampaignPatch] !== undefined);
    });
    await this.audit.record({
      action: 'campaign.update',
      practiceId,
      entityType: 'campaign',
      entityId: id,
      details: { fields: changed },
    });
    return this.get(practiceId, id);
  }

  /** Saves the plan's inputs against the current eligible population; draft becomes planned. */
  async savePlan(practiceId: string, id: string, inputs: Partial<PlanInputs>): Promise<CampaignView> {
    const plan = resolvePlanInputs(inputs);
    const { eligible } = await this.eligibility(practiceId, id);
    await this.db.transaction(async (tx) => {
      const current = await this.lockCampaign(tx, practiceId, id);
      if (!ruleEditable(current.status)) {
        throw DomainError.conflict(`the plan is fixed once the campaign is ${current.status}`);
      }
      await tx.query(
        `UPDATE campaign SET plan = $2, plan_patients = $3, plan_saved_at = $4, status = 'planned',
           updated_at = now() WHERE id = $1`,
        [id, plan, eligible, this.clock.nowDate()],
      );
    });
    await this.audit.record({
      action: 'campaign.plan',
      practiceId,
      entityType: 'campaign',
      entityId: id,
      details: { patients: eligible },
    });
    return this.get(practiceId, id);
  }

  /**
   * Moves the campaign along its lifecycle. Launching and resuming enrol every eligible
   * patient not yet in it (one INSERT … SELECT; the one-open-campaign index turns away a
   * patient another campaign took meanwhile); completing releases the open members.
   */
  async transition(practiceId: string, id: string, action: CampaignAction): Promise<CampaignView> {
    const result = await this.db.transaction(async (tx) => {
      // One launch at a time per practice, so two campaigns cannot race for the same patients.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('campaign-members:' || $1))`, [practiceId]);
      const current = await this.lockCampaign(tx, practiceId, id);
      const [{ agents }] = await tx.query(
        `SELECT count(*)::int AS agents FROM campaign_agent WHERE campaign_id = $1`,
        [id],
      );
      const to = nextStatus(current.status, action, {
        hasPlan: current.plan !== null,
        agents,
      });
      const now = this.clock.nowDate();
      await tx.query(
        `UPDATE campaign SET status = $2, updated_at = now(),
           launched_at = CASE WHEN $3 = 'launch' THEN $4 ELSE launched_at END,
           completed_at = CASE WHEN $3 = 'complete' THEN $4 ELSE completed_at END
         WHERE id = $1`,
        [id, to, action, now],
      );
      let enrolled = 0;
      let released = 0;
      if (to === 'active') enrolled = await this.enrol(tx, practiceId, current);
      if (to === 'completed') {
        const [, count] = await tx.query(
          `UPDATE campaign_member SET state = 'released', closed_at = $2 WHERE campaign_id = $1 AND state = 'open'`,
          [id, now],
        );
        released = count;
      }
      return { from: current.status, to, enrolled, released };
    });
    await this.audit.record({
      action: `campaign.${action}`,
      practiceId,
      entityType: 'campaign',
      entityId: id,
      details: result,
    });
    return this.get(practiceId, id);
  }

  /** The why-not breakdown over the whole population, in one statement. */
  async eligibility(practiceId: string, id: string): Promise<EligibilitySummary> {
    const started = performance.now();
    const { query, today } = await this.evaluation(practiceId, id);
    const [row] = await this.db.query(
      `SELECT count(*)::int AS population,
         count(*) FILTER (WHERE e.in_target)::int AS candidates,
         count(*) FILTER (WHERE ${eligibleCondition(query.reasons)})::int AS eligible,
         ${query.reasons.map((r) => `count(*) FILTER (WHERE e.in_target AND e.x_${r})::int AS ${r}`).join(',\n')}
       FROM (${query.sql}) e`,
      query.params,
    );
    return {
      asOf: today,
      population: row.population,
      candidates: row.candidates,
      eligible: row.eligible,
      exclusions: query.reasons.map((reason) => ({
        reason,
        label: EXCLUSION_LABELS[reason],
        count: row[reason],
      })),
      elapsedMs: Math.round(performance.now() - started),
    };
  }

  /** The candidates excluded for one reason (or the eligible ones, or those outside the target). */
  async eligibilityList(
    practiceId: string,
    id: string,
    reason: string,
    opts: { limit?: number; offset?: number } = {},
  ): Promise<{ reason: string; total: number; items: MemberRow[] }> {
    const { query } = await this.evaluation(practiceId, id);
    let where: string;
    if (reason === 'eligible') where = eligibleCondition(query.reasons);
    else if (reason === 'not_target') where = 'NOT e.in_target';
    else if (isExclusionReason(reason) && query.reasons.includes(reason))
      where = `e.in_target AND e.x_${reason}`;
    else
      throw DomainError.invalid(`reason: must be eligible, not_target or one of ${query.reasons.join(', ')}`);
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
    const offset = Math.max(opts.offset ?? 0, 0);
    const rows: (EvaluatedRow & { total: number })[] = await this.db.query(
      `SELECT e.*, count(*) OVER ()::int AS total FROM (${query.sql}) e WHERE ${where}
       ORDER BY e.last_name NULLS LAST, e.first_name NULLS LAST, e.mrn, e.id LIMIT ${limit} OFFSET ${offset}`,
      query.params,
    );
    const total = rows[0]?.total ?? (offset > 0 ? await this.count(query, where) : 0);
    return { reason, total, items: rows.map((r) => memberRow(r, query.reasons)) };
  }

  /** Why one patient is or is not in the campaign. */
  async explain(
    practiceId: string,
    id: string,
    who: { patientId?: string; mrn?: string },
  ): Promise<PatientExplanation> {
    if (!who.patientId && !who.mrn) throw DomainError.invalid('give patientId or mrn');
    const only = who.patientId ? { id: who.patientId } : { mrn: who.mrn! };
    const { query, campaign } = await this.evaluation(practiceId, id, only);
    const [row]: EvaluatedRow[] = await this.db.query(`SELECT e.* FROM (${query.sql}) e`, query.params);
    if (!row) throw DomainError.notFound(who.mrn ? `patient with MRN "${who.mrn}"` : 'patient');
    const targetDetail = describeTarget(campaign.rule, row);
    const reasons: PatientExplanation['reasons'] = [];
    if (!row.in_target)
      reasons.push({ reason: 'not_target', label: 'Outside the target', detail: targetDetail });
    for (const r of query.reasons) {
      if (row[`x_${r}`])
        reasons.push({ reason: r, label: EXCLUSION_LABELS[r], detail: exclusionDetail(r, row, campaign) });
    }
    return {
      patient: { id: row.id, mrn: row.mrn, name: row.name },
      inTarget: row.in_target,
      targetDetail,
      eligible: reasons.length === 0,
      reasons,
    };
  }

  /** The campaign's scripts rendered for one patient (or with sample values). */
  async renderScripts(
    practiceId: string,
    id: string,
    opts: {
      patientId?: string;
      agent?: { displayName: string };
      /** Before the identity check: the patient's name only, none of their visits (gaps instead). */
      nameOnly?: boolean;
    },
  ): Promise<{ script: string; voicemail: string; warnings: string[] }> {
    const campaign = await this.get(practiceId, id);
    const today = await this.patients.today(practiceId);
    // Sample values stand in only for a preview; a real patient's script shows gaps as gaps.
    const values: ScriptValues = opts.patientId ? {} : { ...sampleScriptValues(today) };
    const [practice] = await this.db.query(`SELECT name FROM practice WHERE id = $1`, [practiceId]);
    values['practice.name'] = practice.name;
    values['campaign.callbackNumber'] = campaign.settings.callbackNumber ?? undefined;
    if (opts.agent) {
      values['agent.name'] = opts.agent.displayName;
      values['agent.firstName'] = opts.agent.displayName.split(/\s+/)[0];
    }
    if (opts.patientId) {
      const p = await this.patients.findById(practiceId, opts.patientId);
      Object.assign(values, {
        'patient.firstName': p.name.first ?? undefined,
        'patient.lastName': p.name.last ?? undefined,
        'patient.fullName': [p.name.first, p.name.last].filter(Boolean).join(' ') || undefined,
        'patient.age': p.birthDate ? String(ageOn(p.birthDate, today)) : undefined,
      });
      if (!opts.nameOnly)
        Object.assign(values, {
          'lastAppointment.date': p.lastAppointment?.on,
          'lastAppointment.status': p.lastAppointment?.status.replace('_', '-'),
          'lastVisit.date': p.lastEncounterOn ?? undefined,
          'nextAppointment.date': p.nextAppointmentOn ?? undefined,
          'provider.name': p.provider ?? undefined,
          'location.name': p.location ?? undefined,
        });
    }
    const script = renderScript(campaign.script, values);
    const voicemail = renderScript(campaign.voicemailScript, values);
    const warnings = [
      ...script.unknown.map((u) => `script: unknown placeholder ${u}`),
      ...voicemail.unknown.map((u) => `voicemail: unknown placeholder ${u}`),
      ...campaign.voicemailWarnings,
    ];
    return { script: script.text, voicemail: voicemail.text, warnings };
  }

  /**
   * "The patient called in and booked": the patient leaves every open campaign at once and
   * stays out until an import newer than the booking shows the appointment (or not).
   */
  async markBooked(practiceId: string, patientId: string): Promise<{ closed: number; bookedAt: string }> {
    const now = this.clock.nowDate();
    const closed = await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('campaign-members:' || $1))`, [practiceId]);
      // The database's clock, like the imports' finished_at it is compared with.
      const [, found] = await tx.query(
        `UPDATE patient SET booked_at = now() WHERE practice_id = $1 AND id = $2 AND merged_into_id IS NULL`,
        [practiceId, patientId],
      );
      if (!found) throw DomainError.notFound('patient');
      const [, count] = await tx.query(
        `UPDATE campaign_member SET state = 'booked_elsewhere', closed_at = $3
         WHERE practice_id = $1 AND patient_id = $2 AND state = 'open'`,
        [practiceId, patientId, now],
      );
      return count as number;
    });
    await this.audit.record({
      action: 'patient.booked',
      practiceId,
      entityType: 'patient',
      entityId: patientId,
      details: { closedMemberships: closed },
    });
    return { closed, bookedAt: now.toISOString() };
  }

  /** Active agents of the practice, for assigning to campaigns. */
  agents(practiceId: string): Promise<AgentRef[]> {
    return this.db.query(
      `SELECT u.id, u.login, u.display_name AS "displayName" FROM app_user u
       JOIN user_practice up ON up.user_id = u.id
       WHERE up.practice_id = $1 AND u.role = 'agent' AND u.is_active ORDER BY u.login`,
      [practiceId],
    );
  }

  private async evaluation(practiceId: string, id: string, only?: EligibilityInput['only']) {
    const [campaign] = await this.db.query(
      `SELECT id, type, rule, settings FROM campaign WHERE practice_id = $1 AND id = $2`,
      [practiceId, id],
    );
    if (!campaign) throw DomainError.notFound('campaign');
    const { today } = await this.patients.practiceDay(practiceId);
    const query = evaluationQuery({
      practiceId,
      campaignId: id,
      audience: CAMPAIGN_TYPE_SPECS[campaign.type as CampaignType].audience,
      rule: campaign.rule,
      settings: campaign.settings,
      today,
      now: this.clock.nowDate(),
      only,
    });
    return { query, today, campaign: campaign as { rule: TargetRule; settings: CampaignSettings } };
  }

  private async count(query: { sql: string; params: unknown[] }, where: string): Promise<number> {
    const [{ total }] = await this.db.query(
      `SELECT count(*)::int AS total FROM (${query.sql}) e WHERE ${where}`,
      query.params,
    );
    return total;
  }

  private async enrol(tx: EntityManager, practiceId: string, campaign: CampaignRow): Promise<number> {
    const { today } = await this.patients.practiceDay(practiceId);
    const audience = CAMPAIGN_TYPE_SPECS[campaign.type].audience;
    const query = evaluationQuery({
      practiceId,
      campaignId: campaign.id,
      audience,
      rule: campaign.rule,
      settings: campaign.settings,
      today,
      now: this.clock.nowDate(),
    });
    const target = audience === 'contacts' ? 'contact_id' : 'patient_id';
    // The eligible set is written out before anything is inserted: a statement that reads
    // campaign_member while inserting into it can, on a plan made for an empty table, walk
    // the rows it already added for every patient it looks at.
    await tx.query(`DROP TABLE IF EXISTS pg_temp.enrol_eligible`);
    await tx.query(
      `CREATE TEMP TABLE enrol_eligible ON COMMIT DROP AS
       SELECT e.id FROM (${query.sql}) e WHERE ${eligibleCondition(query.reasons)} AND e.member_state IS NULL`,
      query.params,
    );
    const [, count] = await tx.query(
      `INSERT INTO campaign_member (campaign_id, practice_id, ${target}, state, attempts, attempt_cap, enrolled_at)
       SELECT $1::uuid, $2::uuid, id, 'open', 0, $3::int, $4::timestamptz FROM enrol_eligible
       ON CONFLICT DO NOTHING`,
      [campaign.id, practiceId, campaign.settings.attemptCap, this.clock.nowDate()],
    );
    return count;
  }

  private async lockCampaign(tx: EntityManager, practiceId: string, id: string): Promise<CampaignRow> {
    const [row] = await tx.query(`SELECT * FROM campaign WHERE practice_id = $1 AND id = $2 FOR UPDATE`, [
      practiceId,
      id,
    ]);
    if (!row) throw DomainError.notFound('campaign');
    return row;
  }

  private async resolveAgents(
    tx: EntityManager,
    practiceId: string,
    input: { agentIds?: string[]; agentLogins?: string[] },
  ): Promise<string[]> {
    const ids = [...new Set(input.agentIds ?? [])];
    const logins = [...new Set((input.agentLogins ?? []).map((l) => l.trim().toLowerCase()))];
    if (!ids.length && !logins.length) return [];
    const rows: { id: string; login: string }[] = await tx.query(
      `SELECT u.id, u.login FROM app_user u JOIN user_practice up ON up.user_id = u.id
       WHERE up.practice_id = $1 AND u.role = 'agent' AND u.is_active
         AND (u.id::text = ANY($2) OR u.login = ANY($3))`,
      [practiceId, ids, logins],
    );
    const missing = [
      ...ids.filter((i) => !rows.some((r) => r.id === i)),
      ...logins.filter((l) => !rows.some((r) => r.login === l)),
    ];
    if (missing.length) {
      throw DomainError.invalid(`agents: not an active agent of this practice: ${missing.join(', ')}`);
    }
    return rows.map((r) => r.id);
  }

  private async setAgents(tx: EntityManager, campaignId: string, agentIds: string[]): Promise<void> {
    await tx.query(`DELETE FROM campaign_agent WHERE campaign_id = $1 AND NOT (user_id = ANY($2))`, [
      campaignId,
      agentIds,
    ]);
    await tx.query(
      `INSERT INTO campaign_agent (campaign_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [campaignId, agentIds],
    );
  }

  private toView(r: CampaignRow): CampaignView {
    const spec = CAMPAIGN_TYPE_SPECS[r.type];
    return {
      id: r.id,
      practiceId: r.practice_id,
      type: r.type,
      typeLabel: spec.label,
      audience: spec.audience,
      name: r.name,
      status: r.status,
      rule: r.rule,
      settings: r.settings,
      plan: r.plan,
      planResult: r.plan ? computePlan(r.plan, r.plan_patients ?? 0) : null,
      planPatients: r.plan_patients,
      planSavedAt: iso(r.plan_saved_at),
      agents: r.agents,
      script: r.script,
      voicemailScript: r.voicemail_script,
      voicemailWarnings: checkVoicemailScript(r.voicemail_script, { audience: spec.audience }),
      members: { open: r.open_members, total: r.total_members },
      allowedActions: allowedActions(r.status).filter((a) => a !== 'launch' || r.plan !== null),
      createdAt: iso(r.created_at)!,
      launchedAt: iso(r.launched_at),
      completedAt: iso(r.completed_at),
      updatedAt: iso(r.updated_at)!,
    };
  }
}

function checkName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (n.length < 1 || n.length > 120) throw DomainError.invalid('name: must be 1–120 characters');
  return n;
}

function checkScriptText(text: unknown, field: string): string {
  if (typeof text !== 'string' || text.length > 20_000) {
    throw DomainError.invalid(`${field}: must be text of at most 20,000 characters`);
  }
  return text;
}

function uniqueName(name: string) {
  return (error: { code?: string; constraint?: string }) => {
    if (error.code === '23505' && error.constraint === 'campaign_practice_name_key') {
      throw DomainError.conflict(`a campaign named "${name}" already exists in this practice`);
    }
    throw error;
  };
}

function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

function memberRow(r: EvaluatedRow, reasons: readonly ExclusionReason[]): MemberRow {
  return {
    id: r.id,
    mrn: r.mrn,
    name: r.name,
    birthDate: r.birth_date,
    lastEncounterOn: r.last_seen_on,
    lastAppointment: r.last_appt_on ? { on: r.last_appt_on, status: r.last_appt_status ?? 'unknown' } : null,
    nextAppointmentOn: r.next_appt_on,
    reasons: reasons.filter((x) => r[`x_${x}`]),
  };
}

function exclusionDetail(
  reason: ExclusionReason,
  row: EvaluatedRow,
  campaign: { settings: CampaignSettings },
): string {
  switch (reason) {
    case 'upcoming_appointment':
      return `appointment on ${row.next_appt_on}, within ${campaign.settings.upcomingAppointmentDays} days`;
    case 'other_campaign':
      return `open in the campaign "${String(row.other_campaign_name)}"`;
    case 'attempts_exhausted':
      return 'reached the attempt cap in this campaign';
    case 'finished_in_campaign':
      return `finished in this campaign as ${String(row.member_state)}`;
    default:
      return EXCLUSION_LABELS[reason].toLowerCase();
  }
}
