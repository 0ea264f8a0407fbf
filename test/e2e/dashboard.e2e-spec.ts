import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { createScratchDatabase, ScratchDatabase } from '../../libs/database/src/scratch-database';
import { ensureBuilt } from '../support/build';
import { appEnv, runCli as cli, startApp, type RunningApp } from '../support/app-process';
import { launchChromium, openPage, tearDown } from '../support/browser';
import { freePort } from '../support/free-port';

const root = path.resolve(__dirname, '../..');
const PATIENTS = path.join(root, 'test/fixtures/dispositions/patients.csv');
// Monday 2026-06-15, 10:00 in Chicago: the fixture's 12 patients were last seen 12–36 months ago.
const LAUNCH_AT = '2026-06-15T15:00:00Z';
// The calls are entered from the back office that evening a week later (each at the time it was made).
const ENTERED_AT = '2026-06-22T22:30:00Z';
// The next morning's EMR export shows what became of the bookings; the app runs from then on.
const NOW = '2026-06-23T15:00:00Z';
const PRACTICE = 'lakeshore';
const OWNER = { login: 'lakeshore.owner', password: 'owner-pass-2026' };
const AGENTS = ['lakeshore.ann', 'lakeshore.bob'];
const SETUP_MS = 300_000;
const STEP_MS = 90_000;

/** [mrn, agent, code, when, appointment]: the reports integration test's Monday, plus K7's five attempts. */
const CALLS: [string, string, string, string, string?][] = [
  ['K1', 'lakeshore.ann', 'NOANS', '2026-06-15T10:05:00-05:00'],
  ['K1', 'lakeshore.ann', 'DONE', '2026-06-15T11:00:00-05:00', '2026-06-22T09:30'],
  ['K2', 'lakeshore.bob', 'DONE', '2026-06-15T10:30:00-05:00', '2026-06-19T10:00'],
  ['K3', 'lakeshore.ann', 'DONE', '2026-06-15T13:00:00-05:00', '2026-07-30T10:00'],
  ['K4', 'lakeshore.bob', 'LVM', '2026-06-15T15:00:00-05:00'],
  ['K5', 'lakeshore.ann', 'HUNGUP', '2026-06-15T16:00:00-05:00'],
  ['K6', 'lakeshore.bob', 'RECONFIRMED', '2026-06-15T10:45:00-05:00', '2026-06-20T09:00'],
  ['K7', 'lakeshore.ann', 'NOANS', '2026-06-16T10:15:00-05:00'],
  ['K7', 'lakeshore.ann', 'NOANS', '2026-06-17T10:15:00-05:00'],
  ['K7', 'lakeshore.ann', 'NOANS', '2026-06-18T10:15:00-05:00'],
  ['K7', 'lakeshore.ann', 'LVM', '2026-06-19T10:15:00-05:00'],
  ['K7', 'lakeshore.ann', 'DONE', '2026-06-22T10:15:00-05:00', '2026-07-06T09:00'],
];

type Cell = string | number | null;
interface Report {
  filters: { from: string; to: string };
  summary: Record<string, Cell>;
  columns: string[];
  rows: Record<string, Cell>[];
}

describe('the owner dashboard in the browser', () => {
  let db: ScratchDatabase | undefined;
  let dataDir: string | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let base: string;
  let campaignId: string;
  let pageErrors: string[] = [];
  let setup: Promise<void> | undefined;

  beforeAll(() => {
    setup = prepare();
    return setup;
  }, SETUP_MS);

  async function prepare(): Promise<void> {
    await ensureBuilt();
    const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run through jest (global setup)');
    db = await createScratchDatabase(adminUrl, 'recall_e2e');
    dataDir = mkdtempSync(path.join(tmpdir(), 'recall-dashboard-e2e-'));
    const env = { DATABASE_URL: db.url, RECALL_DEMO: 'false', DATA_DIR: dataDir };
    const at = (now: string) => appEnv({ ...env, RECALL_NOW: now, LOG_LEVEL: 'silent' });
    cli(['migrate'], at(LAUNCH_AT));
    cli(
      ['practices', 'add', PRACTICE, '--name', 'Lakeshore Clinic', '--timezone', 'America/Chicago'],
      at(LAUNCH_AT),
    );
    const addUser = (login: string, role: string, password: string) =>
      cli(
        ['users', 'add', '--login', login, '--role', role, '--practice', PRACTICE, '--password', password],
        at(LAUNCH_AT),
      );
    addUser(OWNER.login, 'owner', OWNER.password);
    for (const a of AGENTS) addUser(a, 'agent', 'agent-pass-2026');
    cli(['import', '--practice', PRACTICE, '--patients', PATIENTS, '--json'], at(LAUNCH_AT));
    const created = JSON.parse(
      cli(
        [
          'campaign',
          'create',
          '--practice',
          PRACTICE,
          '--type',
          'reactivation',
          '--name',
          'June reactivation',
        ].concat(['--agents', AGENTS.join(','), '--json']),
        at(LAUNCH_AT),
      ),
    ) as { id: string };
    campaignId = created.id;
    cli(['campaign', 'plan', '--campaign', campaignId, '--json'], at(LAUNCH_AT));
    const launched = JSON.parse(
      cli(['campaign', 'launch', '--campaign', campaignId, '--json'], at(LAUNCH_AT)),
    );
    expect(launched).toMatchObject({ status: 'active', members: { open: 12 } });
    cli(['cycle', 'build', '--campaign', campaignId, '--seed', '2', '--json'], at(LAUNCH_AT));
    for (const [mrn, agent, code, when, appointment] of CALLS) {
      cli(
        [
          'disposition',
          '--campaign',
          campaignId,
          '--mrn',
          mrn,
          '--agent',
          agent,
          '--code',
          code,
          '--at',
          when,
        ]
          .concat(appointment ? ['--appointment', appointment] : [])
          .concat(['--json']),
        at(ENTERED_AT),
      );
    }
    const appointments = path.join(dataDir, 'appointments.csv');
    writeFileSync(
      appointments,
      ['Appt ID,MRN,Appt Date,Status', '7001,K1,2026-06-22,Completed', '7002,K2,2026-06-19,No Show'].join(
        '\n',
      ),
    );
    cli(
      ['import', '--practice', PRACTICE, '--patients', PATIENTS, '--appointments', appointments, '--json'],
      at(NOW),
    );

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startApp(
      appEnv({
        ...env,
        RECALL_NOW: NOW,
        MIGRATE_ON_START: 'true',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      }),
      port,
    );
    browser = await launchChromium();
    ({ page, pageErrors } = await openPage(browser, { width: 1280, height: 720 }));
  }

  afterAll(() => tearDown({ setup, browser, app, db, dataDir }), SETUP_MS);

  /** The API's JSON with the browser's own session (its cookie), as the page fetched it. */
  async function get<T>(url: string): Promise<T> {
    const res = await page.request.get(`${base}${url}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as T;
  }

  /** The page's formatting of an API figure (the browser's locale), to compare text with JSON. */
  const format = (value: Cell, kind: 'count' | 'money' | 'percent' | 'points') =>
    page.evaluate(
      ([v, k]) => {
        if (typeof v !== 'number') return '—';
        if (k === 'money') return v.toLocaleString(undefined, { style: 'currency', currency: 'USD' });
        if (k === 'percent')
          return v.toLocaleString(undefined, { style: 'percent', maximumFractionDigits: 2 });
        if (k === 'points') return `${v.toLocaleString()}%`;
        return v.toLocaleString();
      },
      [value, kind] as const,
    );

  const text = async (testId: string) => (await page.getByTestId(testId).innerText()).trim();

  it(
    'an owner lands on the dashboard: this month to date, figures exactly as the reports API gives them',
    async () => {
      await page.goto(`${base}/login`);
      await page.fill('#login', OWNER.login);
      await page.fill('#password', OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('home-owner').waitFor();
      await page.locator('[data-testid="dashboard"][aria-busy="false"]').waitFor();
      expect(page.url()).toBe(`${base}/owner`);

      // "This month to date" on the server's (pinned) clock, in the practice's zone.
      expect(await page.locator('#dash-from').inputValue()).toBe('2026-06-01');
      expect(await page.locator('#dash-to').inputValue()).toBe('2026-06-23');
      expect(await page.locator('#dash-campaign option:checked').innerText()).toContain('June reactivation');

      const shot = path.join(dataDir!, 'dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      const png = readFileSync(shot);
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

      const { user } = await get<{ user: { practices: { id: string }[] } }>('/api/auth/me');
      const reports = `/api/practices/${user.practices[0].id}/reports`;
      const q = `from=2026-06-01&to=2026-06-23&campaignId=${campaignId}`;
      const roi = await get<Report>(`${reports}/roi?${q}`);
      const funnel = await get<Report>(`${reports}/funnel?${q}`);
      const attempts = await get<Report>(`${reports}/attempts?${q}`);

      // The scenario, counted by hand: 12 calls, 6 contacts, 4 bookings; K1 kept, K2 missed, K3 and K7 pending.
      expect(funnel.summary).toMatchObject({
        dials: 12,
        contacts: 6,
        bookings: 4,
        keptVisits: 1,
        pending: 2,
      });
      expect(roi.summary).toMatchObject({
        keptVisits: 1,
        pendingBookings: 2,
        revenue: 100,
        projectedRevenue: 240,
      });
      expect(attempts.rows.find((r) => r.attempt === 5)).toMatchObject({ dials: 1, bookings: 1 });

      const s = roi.summary;
      expect(await text('kpi-kept')).toBe(await format(s.keptVisits, 'count'));
      expect(await text('kpi-revenue')).toBe(await format(s.revenue, 'money'));
      expect(await text('kpi-projected-revenue')).toBe(await format(s.projectedRevenue, 'money'));
      expect(await text('kpi-net')).toBe(await format(s.net, 'money'));
      expect(await text('kpi-roi')).toBe(await format(s.roiPercent, 'points'));
      expect(await text('kpi-pending')).toBe(await format(s.pendingBookings, 'count'));
      expect(await text('kpi-break-even')).toBe(await format(s.breakEvenProgress, 'percent'));
      for (const step of ['dials', 'contacts', 'bookings', 'kept visits']) {
        const row = funnel.rows.find((r) => r.step === step)!;
        expect(await text(`funnel-${step.replace(' ', '-')}`)).toBe(await format(row.count, 'count'));
      }
      const revenue = roi.rows.find((r) => r.metric === 'revenue')!;
      const planRow = page.getByTestId('plan-revenue');
      for (const col of ['planned', 'actual', 'projected'] as const) {
        expect((await planRow.locator(`[data-col="${col}"]`).innerText()).trim()).toBe(
          await format(revenue[col], 'money'),
        );
      }
      const fifth = attempts.rows.find((r) => r.attempt === 5)!;
      const late = page.getByTestId('late-attempts').getByRole('row', { name: /#5/ });
      expect(await late.innerText()).toContain(await format(fifth.earned, 'money'));

      const summary = await text('dashboard-summary');
      expect(summary).toContain('2 bookings are pending the next EMR import.');
      expect(summary).toContain('The 5th attempt booked 1 patient for 1 call');
      expect(summary).toContain(`${await format(s.revenue, 'money')} won so far from 1 kept visit`);
      expect(summary).toMatch(/June reactivation is [\d.]+% (ahead of|behind) plan/);

      // By week: 11 calls and 3 bookings in the week of June 15, K7's booking on June 22.
      const trend = await page.getByTestId('trend-table').locator('tbody tr').allInnerTexts();
      expect(trend.map((r) => r.split('\t').map((c) => c.trim()))).toEqual([
        [expect.stringContaining('Jun 15'), '11', '3'],
        [expect.stringContaining('Jun 22'), '1', '1'],
      ]);
      // The heatmap: patient-local hours 10 to 16; 10:00 holds 8 of the 12 calls.
      const heat = page.getByTestId('hour-heatmap');
      expect(await heat.locator('thead th').allTextContents()).toEqual([
        'Age band',
        '10:00',
        '11:00',
        '12:00',
        '13:00',
        '14:00',
        '15:00',
        '16:00',
      ]);
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );

  it(
    'an owner sees no edit controls; printed, the page drops the navigation and keeps the charts whole',
    async () => {
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Dashboard', 'Reports']);
      const main = page.locator('main');
      // Buttons only choose what to read (the range) or print it.
      expect(await main.getByRole('button').allInnerTexts()).toEqual([
        'This month',
        'Last month',
        'Last 4 weeks',
        'Since launch',
        'Print',
      ]);
      expect(await main.locator('textarea, form, [contenteditable="true"]').count()).toBe(0);
      expect(await main.locator('input:not([type="date"])').count()).toBe(0);
      expect(await main.locator('a[href^="/manager"], a[href^="/admin"]').count()).toBe(0);

      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.sidebar').isVisible()).toBe(false);
      expect(await page.locator('.topbar').isVisible()).toBe(false);
      const charts = page.locator('.chart');
      expect(await charts.count()).toBeGreaterThanOrEqual(3);
      for (let i = 0; i < (await charts.count()); i++) {
        const box = (await charts.nth(i).boundingBox())!;
        const svg = (await charts.nth(i).locator('.recharts-wrapper > svg').boundingBox())!;
        expect(svg.width).toBeGreaterThan(100);
        expect(svg.x + svg.width).toBeLessThanOrEqual(box.x + box.width + 1);
      }
      await page.emulateMedia({ media: 'screen' });

      // Manager pages are not the owner's: the address bar does not get there either.
      await page.goto(`${base}/manager/campaigns`);
      await page.waitForURL(`${base}/owner`);
      await page.locator('[data-testid="dashboard"][aria-busy="false"]').waitFor();
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );

  it(
    'the Reports page shows a report as the API returns it, with a CSV of the same filters',
    async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
      await page.getByTestId('reports-page').waitFor();
      await page.locator('#report-name').selectOption('attempts');
      await page.locator('#report-campaign').selectOption(campaignId);
      await page.locator('#report-from').fill('2026-06-01');
      await page.locator('#report-to').fill('2026-06-23');
      const view = page.locator('[data-testid="report-view"][data-report="attempts"]');
      await view.waitFor();
      const { user } = await get<{ user: { practices: { id: string }[] } }>('/api/auth/me');
      const q = `from=2026-06-01&to=2026-06-23&campaignId=${campaignId}`;
      const reports = `/api/practices/${user.practices[0].id}/reports`;
      // Every state with this range also has the campaign (chosen first): wait for its answer.
      await view.locator('.report-range', { hasText: '2026-06-01 to 2026-06-23' }).waitFor();
      const report = await get<Report>(`${reports}/attempts?${q}`);
      const rows = view.getByTestId('report-table').getByTestId('report-row');
      expect(await rows.count()).toBe(report.rows.length);
      expect(await rows.locator('[data-col="dials"]').allInnerTexts()).toEqual(
        await Promise.all(report.rows.map((r) => format(r.dials, 'count'))),
      );
      expect(await rows.locator('[data-col="pickupRate"]').allInnerTexts()).toEqual(
        await Promise.all(report.rows.map((r) => format(r.pickupRate, 'percent'))),
      );
      expect(await text('summary-lateAttemptDials')).toBe(
        await format(report.summary.lateAttemptDials, 'count'),
      );

      const href = await page.getByTestId('report-csv').getAttribute('href');
      expect(href).toBe(`${reports}/attempts.csv?${q}`);
      const csv = await page.request.get(`${base}${href}`);
      expect(csv.headers()['content-type']).toMatch(/text\/csv/);
      const lines = (await csv.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe(report.columns.join(','));
      expect(lines).toHaveLength(report.rows.length + 1);
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});
