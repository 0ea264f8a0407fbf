import type { INestApplicationContext } from '@nestjs/common';
import { PracticesService, UsersService } from '@recall/auth';
import { CampaignsService, type CampaignView } from '@recall/campaigns';
import { DomainError, type FixedClock, Role } from '@recall/core';
import { CyclesService, QueueService, type QueueItem } from '@recall/cycles';
import {
  DISPOSITIONS,
  DispositionsService,
  IdentityService,
  type RecordDispositionInput,
} from '@recall/dispositions';
import { ImportsService } from '@recall/imports';
import { ReportsService, RollupRefreshService, type Report } from '@recall/reports';
import { DateTime } from 'luxon';
import path from 'node:path';
import { dialTime, keptVisit, simulateCall, type SimulatedCode } from './call-model';
import { followUpAppointmentsCsv, generateDemoExport, writeDemoFiles, type Booking } from './demo-export';
import { drawInt } from './seeded-draw';
import { ageBand, resolveSimulationParams, type SimulationParams } from './simulation-params';

export interface DemoOptions {
  practice: { slug: string; name: string; timezone: string };
  /** Agent logins, created in the practice when missing (with `agentPassword`, else a generated one). */
  agentLogins: string[];
  agentPassword?: string;
  patients: number;
  weeks: number;
  seed: number;
  /** The Monday the campaigns launch (practice-local). */
  start: string;
  /** When the follow-up export is imported (default: three weeks after the last call). */
  followUpAt?: string;
  /** Where the generated exports are written. */
  workDir: string;
  params?: Partial<SimulationParams>;
}

export interface DemoProgress {
  phase: string;
  daysDone: number;
  daysTotal: number;
  calls: number;
}

export interface DemoCampaignResult {
  type: 'reactivation' | 'no_show';
  name: string;
  eligible: number;
  /** ReportsService's reports, with the campaign's id left out of the filters (it differs between runs). */
  roi: Report;
  funnel: Report;
}

export interface DemoResult {
  practice: string;
  seed: number;
  agents: number;
  patients: number;
  weeks: number;
  from: string;
  to: string;
  /** True when the practice already held this run: nothing was simulated, the reports are read again. */
  reused: boolean;
  import: { totalRows: number; accepted: number; rejected: number };
  followUp: { totalRows: number; accepted: number; rejected: number; bookingsSettled: number };
  calls: number;
  skippedCalls: number;
  escalations: number;
  campaigns: DemoCampaignResult[];
}

const CAMPAIGNS = [
  { type: 'reactivation', label: 'Reactivation' },
  { type: 'no_show', label: 'No-shows' },
] as const;

/** The demo's campaigns call weekly (DOMAIN.md §8: one call per patient per week). */
const WEEKLY_RETRIES = { NOANS: 7, LVM: 7, UNAVLBL: 7, HUNGUP: 14, CBACK: 0, WNUM: 7, DCONN: 7 };

export const demoCampaignName = (
  label: string,
  o: Pick<DemoOptions, 'seed' | 'patients' | 'weeks'>,
  agents: number,
) => `${label} (simulated: seed ${o.seed}, ${o.patients} patients, ${agents} agents, ${o.weeks} weeks)`;

interface PlannedCall {
  at: DateTime;
  agentId: string;
  campaign: CampaignView;
  item: QueueItem;
  callback: boolean;
}

/**
 * Runs the demo story through the product's own services: the practice and its agents, the
 * generated EMR export, a reactivation and a no-show campaign planned and launched, weekly
 * cycles, agents working their queues day by day at simulated instants (the injected
 * FixedClock moves to each call), the follow-up export, and the ROI and funnel reports.
 */
export class DemoSimulator {
  private readonly practices: PracticesService;
  private readonly users: UsersService;
  private readonly imports: ImportsService;
  private readonly campaigns: CampaignsService;
  private readonly cycles: CyclesService;
  private readonly queue: QueueService;
  private readonly dispositions: DispositionsService;
  private readonly identity: IdentityService;
  private readonly reports: ReportsService;
  private readonly rollups: RollupRefreshService;

  constructor(
    app: INestApplicationContext,
    private readonly clock: FixedClock,
  ) {
    this.practices = app.get(PracticesService);
    this.users = app.get(UsersService);
    this.imports = app.get(ImportsService);
    this.campaigns = app.get(CampaignsService);
    this.cycles = app.get(CyclesService);
    this.queue = app.get(QueueService);
    this.dispositions = app.get(DispositionsService);
    this.identity = app.get(IdentityService);
    this.reports = app.get(ReportsService);
    this.rollups = app.get(RollupRefreshService);
  }

  async run(
    options: DemoOptions,
    onProgress: (p: DemoProgress) => void = () => undefined,
  ): Promise<DemoResult> {
    const o = validate(options);
    const params = resolveSimulationParams(o.params);
    const zone = o.practice.timezone;
    const start = DateTime.fromISO(o.start, { zone });
    const from = o.start;
    const to = start.plus({ days: 7 * o.weeks - 1 }).toISODate()!;
    const practice = await this.ensurePractice(o);
    const agents = await this.ensureAgents(o, practice.slug, practice.id);
    const names = CAMPAIGNS.map((c) => demoCampaignName(c.label, o, agents.length));
    const existing = await this.campaigns.list(practice.id);
    const done = CAMPAIGNS.map((_, i) => existing.find((c) => c.name === names[i]));
    const base = {
      practice: practice.slug,
      seed: o.seed,
      agents: agents.length,
      patients: o.patients,
      weeks: o.weeks,
      from,
      to,
    };
    if (done.every(Boolean) && done.every((c) => c!.status !== 'draft' && c!.status !== 'planned')) {
      // This run is already in the practice: read its reports again.
      const campaigns = await this.results(practice.id, done as CampaignView[], from, to);
      return {
        ...base,
        reused: true,
        import: empty(),
        followUp: { ...empty(), bookingsSettled: 0 },
        calls: 0,
        skippedCalls: 0,
        escalations: 0,
        campaigns,
      };
    }
    if (existing.some((c) => c.name.includes('(simulated:'))) {
      throw DomainError.conflict(
        `practice ${practice.slug} already holds a simulated demo with other settings; choose another practice`,
      );
    }

    // The export is pulled the morning the campaigns launch.
    this.clock.set(start.set({ hour: 6 }));
    const exp = generateDemoExport(o.seed, o.patients, o.start);
    const files = writeDemoFiles(o.workDir, `${practice.slug}-${o.seed}-week0`, {
      patients: exp.patientsCsv,
      appointments: exp.appointmentsCsv,
    });
    const firstImport = await this.importFiles(practice.id, files);

    this.clock.set(start.set({ hour: 7 }));
    const campaigns: CampaignView[] = [];
    for (const [i, c] of CAMPAIGNS.entries()) {
      const cohort = c.type === 'reactivation' ? exp.cohorts.reactivation : exp.cohorts.no_show;
      const created = await this.campaigns.create(
        practice.id,
        {
          type: c.type,
          name: names[i],
          agentIds: agents.map((a) => a.id),
          settings: {
            cycleWorkingDays: 5,
            // Room for every member each week: the simulated agents work their whole queue.
            callsPerAgentPerDay: Math.min(1000, Math.max(50, Math.ceil((2 * cohort) / (agents.length * 5)))),
            retryDelayDays: WEEKLY_RETRIES,
            callbackNumber: '(555) 010-0199',
          },
        },
        null,
      );
      await this.campaigns.savePlan(practice.id, created.id, {});
      campaigns.push(await this.campaigns.transition(practice.id, created.id, 'launch'));
    }

    let calls = 0;
    let skipped = 0;
    let escalations = 0;
    const bookings: (Booking & { campaign: string })[] = [];
    const daysTotal = o.weeks * 5;
    let daysDone = 0;
    for (let w = 0; w < o.weeks; w++) {
      const monday = start.plus({ weeks: w });
      this.clock.set(monday.set({ hour: 7 }));
      for (const c of campaigns) {
        await this.cycles.build(practice.id, c.id, {
          start: monday.toISODate()!,
          seed: drawInt(o.seed, 0, 2 ** 31 - 1, 'cycle', c.type, w),
        });
      }
      for (let d = 0; d < 5; d++) {
        const day = monday.plus({ days: d });
        onProgress({ phase: `week ${w + 1}, ${day.toFormat('ccc d LLL')}`, daysDone, daysTotal, calls });
        this.clock.set(day.set({ hour: 7, minute: 30 }));
        const planned: PlannedCall[] = [];
        for (const agent of agents) {
          const q = await this.queue.queue(practice.id, agent.id);
          for (const item of q.items) {
            const campaign = campaigns.find((c) => c.id === item.campaignId);
            if (!campaign || !item.mrn) continue;
            planned.push(this.planCall(params, o.seed, day, agent.id, campaign, item));
          }
        }
        planned.sort((a, b) => a.at.toMillis() - b.at.toMillis() || (a.item.mrn! < b.item.mrn! ? -1 : 1));
        for (const call of planned) {
          const outcome = await this.call(params, o.seed, practice.id, zone, call);
          if (!outcome) {
            skipped++;
            continue;
          }
          calls++;
          escalations += outcome.escalations;
          if (outcome.booking) bookings.push({ ...outcome.booking, campaign: call.campaign.type });
        }
        daysDone++;
      }
    }
    onProgress({ phase: 'follow-up import', daysDone, daysTotal, calls });

    // The EMR export after the visits: the bookings completed or missed.
    const followUpAt = o.followUpAt
      ? DateTime.fromISO(o.followUpAt, { zone })
      : start.plus({ days: 7 * o.weeks + 20 }).set({ hour: 6 });
    this.clock.set(followUpAt);
    const settledBefore = followUpAt.toISODate()!;
    const settled = bookings.map((b) => ({ ...b, kept: keptVisit(params, o.seed, b.campaign, b.mrn) }));
    const followFiles = writeDemoFiles(o.workDir, `${practice.slug}-${o.seed}-follow-up`, {
      patients: exp.patientsCsv,
      appointments: followUpAppointmentsCsv(exp, settled, settledBefore),
    });
    const followUp = await this.importFiles(practice.id, followFiles);
    return {
      ...base,
      reused: false,
      import: firstImport,
      followUp: { ...followUp, bookingsSettled: settled.filter((b) => b.date < settledBefore).length },
      calls,
      skippedCalls: skipped,
      escalations,
      campaigns: await this.results(practice.id, campaigns, from, to),
    };
  }

  private planCall(
    params: SimulationParams,
    seed: number,
    day: DateTime,
    agentId: string,
    campaign: CampaignView,
    item: QueueItem,
  ): PlannedCall {
    const patientZone = item.timeZone ?? day.zoneName!;
    const callbackAt = item.callbackAt ? DateTime.fromISO(item.callbackAt) : null;
    if (callbackAt && callbackAt.setZone(day.zoneName!).toISODate() === day.toISODate()) {
      return { at: callbackAt, agentId, campaign, item, callback: true };
    }
    const t = dialTime(params, seed, campaign.type, item.mrn!, item.attempts + 1);
    const at = DateTime.fromObject(
      { year: day.year, month: day.month, day: day.day, hour: t.hour, minute: t.minute, second: t.second },
      { zone: patientZone },
    );
    return { at, agentId, campaign, item, callback: false };
  }

  /** One call: "Start call" at its instant, then the outcome recorded when it ends. */
  private async call(
    params: SimulationParams,
    seed: number,
    practiceId: string,
    practiceZone: string,
    call: PlannedCall,
  ): Promise<{ escalations: number; booking: Booking | null } | null> {
    const { item, agentId } = call;
    const patientZone = item.timeZone ?? practiceZone;
    const attempt = item.attempts + 1;
    const localDay = call.at.setZone(patientZone);
    const sim = simulateCall(params, {
      seed,
      campaign: call.campaign.type,
      mrn: item.mrn!,
      attempt,
      localHour: localDay.hour,
      ageBand: ageBand(item.birthDate, localDay.toISODate()!),
      callback: call.callback,
    });
    this.clock.set(call.at);
    let started: Awaited<ReturnType<QueueService['startCall']>>;
    try {
      started = await this.queue.startCall(practiceId, item.assignmentId, agentId);
    } catch (error) {
      if (error instanceof DomainError) return null;
      throw error;
    }
    if (DISPOSITIONS[sim.code].contact) {
      // The patient answered: the agent confirms who they are first (protocol 001), as the workspace does.
      const fields = await this.identity.fields(practiceId);
      await this.identity.recordCheck(
        practiceId,
        started.callStartId,
        agentId,
        Object.fromEntries(fields.map((f) => [f, true])),
      );
    }
    const end = call.at.plus({ seconds: sim.handleSeconds });
    this.clock.set(end);
    const input: RecordDispositionInput = {
      memberId: item.memberId,
      agentId,
      code: sim.code,
      callStartId: started.callStartId,
      at: end.toISO()!,
      remarks: sim.remarks,
      reason: sim.reason,
      idempotencyKey: `sim:${item.memberId}:${attempt}`,
      source: 'workspace',
    };
    let booking: Booking | null = null;
    if (sim.code === 'DONE' || sim.code === 'RECONFIRMED') {
      let visit = end.setZone(practiceZone).plus({ days: sim.daysAhead! });
      while (visit.weekday > 5) visit = visit.plus({ days: 1 });
      const date = visit.toISODate()!;
      const time = `${String(sim.hourAhead).padStart(2, '0')}:30`;
      input.appointmentAt = `${date}T${time}`;
      if (sim.code === 'DONE') booking = { mrn: item.mrn!, date, time, kept: false };
    } else if (sim.code === 'CBACK') {
      input.callbackAt = end
        .setZone(patientZone)
        .plus({ days: sim.daysAhead! })
        .set({ hour: sim.hourAhead!, minute: 0, second: 0, millisecond: 0 })
        .toISO()!;
    } else if (isNumberLevel(sim.code)) {
      input.phone = started.dial;
    }
    try {
      const result = await this.dispositions.record(practiceId, input, { id: agentId, role: Role.Agent });
      return { escalations: result.escalations.length, booking };
    } catch (error) {
      if (error instanceof DomainError) return null;
      throw error;
    }
  }

  private async results(
    practiceId: string,
    campaigns: CampaignView[],
    from: string,
    to: string,
  ): Promise<DemoCampaignResult[]> {
    // The rollups notice an import by the database's clock, which a simulated past is behind:
    // every day is rebuilt from the attempt log instead.
    await this.rollups.markAll(practiceId);
    const out: DemoCampaignResult[] = [];
    for (const c of campaigns) {
      const filters = { from, to, campaignId: c.id };
      out.push({
        type: c.type as DemoCampaignResult['type'],
        name: c.name,
        eligible: c.planPatients ?? 0,
        roi: withoutIds(await this.reports.report(practiceId, 'roi', filters)),
        funnel: withoutIds(await this.reports.report(practiceId, 'funnel', filters)),
      });
    }
    return out;
  }

  private async importFiles(practiceId: string, files: { patients: string; appointments: string }) {
    const draft = await this.imports.createDraft(
      practiceId,
      [
        { kind: 'patients', name: path.basename(files.patients), path: files.patients, owned: false },
        {
          kind: 'appointments',
          name: path.basename(files.appointments),
          path: files.appointments,
          owned: false,
        },
      ],
      null,
    );
    await this.imports.start(practiceId, draft.id, { mapping: draft.mapping, enqueue: false }, null);
    const done = await this.imports.runInline(draft.id);
    if (done.status !== 'succeeded') throw new Error(`demo import ${done.status}: ${done.error ?? ''}`);
    const s = done.summary as { totalRows?: number; accepted?: number; rejected?: number } | null;
    return { totalRows: s?.totalRows ?? 0, accepted: s?.accepted ?? 0, rejected: s?.rejected ?? 0 };
  }

  private async ensurePractice(o: DemoOptions) {
    const found = (await this.practices.list()).find((p) => p.slug === o.practice.slug);
    return found ?? (await this.practices.create(o.practice));
  }

  private async ensureAgents(o: DemoOptions, slug: string, practiceId: string) {
    const known = await this.users.list([practiceId]);
    for (const login of o.agentLogins) {
      if (known.some((u) => u.login === login)) continue;
      await this.users.create({ login, role: Role.Agent, practiceSlugs: [slug], password: o.agentPassword });
    }
    const all = await this.users.list([practiceId]);
    return o.agentLogins
      .map((login) => all.find((u) => u.login === login)!)
      .sort((a, b) => (a.login < b.login ? -1 : 1));
  }
}

const NUMBER_LEVEL: SimulatedCode[] = ['WNUM', 'DCONN'];
const isNumberLevel = (code: SimulatedCode) => NUMBER_LEVEL.includes(code);
const empty = () => ({ totalRows: 0, accepted: 0, rejected: 0 });

/** The report as ReportsService returns it, without the campaign's id (random per run). */
export function withoutIds(report: Report): Report {
  const { campaignId: _campaignId, ...filters } = report.filters;
  return { ...report, filters: filters as Report['filters'] };
}

function validate(o: DemoOptions): DemoOptions {
  const whole = (n: number, name: string, min: number, max: number) => {
    if (!Number.isInteger(n) || n < min || n > max)
      throw DomainError.invalid(`${name}: a whole number from ${min} to ${max}`);
  };
  whole(o.agentLogins.length, 'agents', 1, 50);
  whole(o.patients, 'patients', 20, 200_000);
  whole(o.weeks, 'weeks', 1, 12);
  whole(o.seed, 'seed', 0, 2 ** 31 - 1);
  const start = DateTime.fromISO(o.start, { zone: o.practice.timezone });
  if (!start.isValid || start.weekday !== 1) throw DomainError.invalid('start: a Monday, YYYY-MM-DD');
  return o;
}
