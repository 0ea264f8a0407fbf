import { PracticesService } from '@recall/auth';
import { FixedClock, RequestContext } from '@recall/core';
import { ReportsService } from '@recall/reports';
import {
  bookingProbability,
  DEFAULT_SIMULATION_PARAMS,
  DemoSimulator,
  withoutIds,
  type DemoOptions,
  type DemoResult,
} from '@recall/simulation';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { startTestApi, TestApi } from './support/test-api';

/** The demo, small: 2 agents, 200 patients, 2 weeks, run twice with one seed in two practices. */
describe('the demo simulator', () => {
  let api: TestApi;
  const clock = new FixedClock('2026-02-02T11:00:00Z');
  const dir = mkdtempSync(path.join(tmpdir(), 'recall-sim-'));
  const runs: DemoResult[] = [];
  const options = (slug: string): DemoOptions => ({
    practice: { slug, name: slug, timezone: 'America/New_York' },
    agentLogins: [`${slug}.agent1`, `${slug}.agent2`],
    patients: 120,
    weeks: 2,
    seed: 7,
    start: '2026-02-02',
    workDir: dir,
  });
  const system = <T>(fn: () => Promise<T>) => RequestContext.run({ requestId: 'sim', channel: 'system' }, fn);

  beforeAll(async () => {
    api = await startTestApi({ clock });
    const sim = new DemoSimulator(api.app, clock);
    for (const slug of ['sim-one', 'sim-two']) runs.push(await system(() => sim.run(options(slug))));
  }, 170_000);
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the generated export (bad rows rejected) and works both campaigns', () => {
    const [r] = runs;
    expect(r.import.rejected).toBeGreaterThanOrEqual(4);
    expect(r.import.accepted + r.import.rejected).toBe(r.import.totalRows);
    expect(r.skippedCalls).toBe(0);
    expect(r.campaigns.map((c) => c.type)).toEqual(['reactivation', 'no_show']);
    for (const c of r.campaigns) {
      expect(c.eligible).toBeGreaterThan(0);
      expect(c.funnel.summary.dials).toBeGreaterThanOrEqual(c.eligible);
    }
    expect(r.followUp.bookingsSettled).toBeGreaterThan(0);
  });

  it('prints the ROI and funnel exactly as the reports API gives them', async () => {
    const reports = api.app.get(ReportsService);
    const practiceId = (await api.app.get(PracticesService).findBySlug('sim-one')).id;
    const [{ id }] = await api.app
      .get(DataSource)
      .query(`SELECT id FROM campaign WHERE practice_id = $1 AND type = 'reactivation'`, [practiceId]);
    const filters = { from: runs[0].from, to: runs[0].to, campaignId: id };
    const roi = await system(() => reports.report(practiceId, 'roi', filters));
    expect(runs[0].campaigns[0].roi).toEqual(withoutIds(roi));
    expect(JSON.parse(JSON.stringify(runs[0].campaigns[0].roi))).toEqual(withoutIds(roi));
    expect(roi.summary.planned).toBe('yes');
  });

  it('gives identical reports for the same seed', () => {
    const strip = (r: DemoResult) => ({
      ...r,
      practice: null,
      campaigns: r.campaigns.map((c) => ({ ...c, name: null })),
    });
    expect(JSON.stringify(strip(runs[1]))).toBe(JSON.stringify(strip(runs[0])));
  });

  it('lands the funnel near its parameters', () => {
    const p = DEFAULT_SIMULATION_PARAMS;
    const f = runs[0].campaigns.map((c) => c.funnel.summary);
    const dials = f.reduce((n, s) => n + Number(s.dials), 0);
    const contacts = f.reduce((n, s) => n + Number(s.contacts), 0);
    const bookings = f.reduce((n, s) => n + Number(s.bookings), 0);
    const kept = f.reduce((n, s) => n + Number(s.keptVisits), 0);
    const notKept = f.reduce((n, s) => n + Number(s.notKept), 0);
    // Pickup ~20 % (the hour and age factors move it a little), most contacts book.
    expect(contacts / dials).toBeGreaterThan(0.12);
    expect(contacts / dials).toBeLessThan(0.32);
    expect(bookings / contacts).toBeGreaterThan(0.5);
    expect(bookings / contacts).toBeLessThanOrEqual(bookingProbability(p, 1));
    expect(kept / (kept + notKept)).toBeGreaterThan(p.showRate - 0.25);
    expect(kept / (kept + notKept)).toBeLessThan(p.showRate + 0.25);
  });
});
