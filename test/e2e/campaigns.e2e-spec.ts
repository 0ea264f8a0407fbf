import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { createScratchDatabase, ScratchDatabase } from '../../libs/database/src/scratch-database';
import { ensureBuilt } from '../support/build';
import { appEnv, runCli as cli, startApp, type RunningApp } from '../support/app-process';
import { launchChromium, openPage, tearDown } from '../support/browser';
import { freePort } from '../support/free-port';

const root = path.resolve(__dirname, '../..');
const FIXTURES = path.join(root, 'test/fixtures/campaigns');
// 2026-06-15 10:00 in Chicago: the day the fixture's dates are written for.
const NOW = '2026-06-15T15:00:00Z';
const PRACTICE = 'lakeshore';
const MANAGER = { login: 'lakeshore.manager', password: 'manager-pass-2026' };
const AGENT = { login: 'lakeshore.agent', name: 'Alex Agent' };
const SCREENSHOT = '/tmp/campaign-page.png';
// jest 29 ignores a project's testTimeout, so every hook and test says how long it may take.
const SETUP_MS = 300_000;
const STEP_MS = 90_000;

describe('planning and launching a campaign in the browser', () => {
  let db: ScratchDatabase | undefined;
  let dataDir: string | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let base: string;
  let campaignPath: string;
  let pageErrors: string[] = [];
  let setup: Promise<void> | undefined;

  const text = async (testId: string) =>
    (await page.getByTestId(testId).innerText()).replace(/\s+/g, ' ').trim();
  /** Same-origin fetch from the page: the session cookie and the CSRF header go with it. */
  const fetchInPage = (url: string, method = 'GET') =>
    page.evaluate(
      async ([u, m]) => {
        const res = await fetch(u, {
          method: m,
          credentials: 'same-origin',
          headers: m === 'GET' ? {} : { 'X-Recall-CSRF': '1' },
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      },
      [url, method] as const,
    );

  beforeAll(() => {
    setup = prepare();
    return setup;
  }, SETUP_MS);

  async function prepare(): Promise<void> {
    await ensureBuilt(); // once per test run, shared with the other e2e files
    const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run through jest (global setup)');
    db = await createScratchDatabase(adminUrl, 'recall_e2e');
    dataDir = mkdtempSync(path.join(tmpdir(), 'recall-campaigns-e2e-'));
    // No demo practice: the manager belongs to one practice holding only the fixture's 16 patients.
    const env = { DATABASE_URL: db.url, RECALL_NOW: NOW, RECALL_DEMO: 'false', DATA_DIR: dataDir };
    const cliEnv = appEnv({ ...env, LOG_LEVEL: 'silent' });
    cli(['migrate'], cliEnv);
    cli(
      ['practices', 'add', PRACTICE, '--name', 'Lakeshore Clinic', '--timezone', 'America/Chicago'],
      cliEnv,
    );
    const addUser = (login: string, role: string, name: string, password: string) =>
      cli(
        ['users', 'add', '--login', login, '--role', role, '--practice', PRACTICE].concat([
          '--name',
          name,
          '--password',
          password,
        ]),
        cliEnv,
      );
    addUser(MANAGER.login, 'manager', 'Morgan Manager', MANAGER.password);
    addUser(AGENT.login, 'agent', AGENT.name, 'agent-pass-2026x');
    const imported = JSON.parse(
      cli(
        ['import', '--practice', PRACTICE, '--json']
          .concat(['--patients', path.join(FIXTURES, 'patients.csv')])
          .concat(['--appointments', path.join(FIXTURES, 'appointments.csv')]),
        cliEnv,
      ),
    ) as { totalRows: number; rejected: number; created: number };
    expect(imported).toMatchObject({ totalRows: 22, rejected: 0, created: 16 });

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startApp(
      appEnv({
        ...env,
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

  it(
    'signs in as the manager and creates a reactivation campaign with one agent',
    async () => {
      await page.goto(`${base}/`);
      await page.waitForURL(/\/login$/);
      await page.fill('#login', MANAGER.login);
      await page.fill('#password', MANAGER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('home-manager').waitFor();

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
      await page.getByTestId('campaigns').waitFor();
      await page.getByTestId('campaign-table').getByText('No campaigns yet').waitFor();

      const form = page.getByTestId('campaign-create');
      await form.getByLabel('Reactivation', { exact: true }).check();
      await form.getByLabel('Name', { exact: true }).fill('Reactivation June');
      await form.getByLabel(AGENT.name).check();
      await form.getByRole('button', { name: 'Create campaign' }).click();

      await page.waitForURL(/\/manager\/campaigns\/[0-9a-f-]{36}$/);
      await page.getByTestId('campaign-detail').getByRole('heading', { name: 'Reactivation June' }).waitFor();
      expect(await text('campaign-status')).toBe('Draft');
      const practiceId = await page.evaluate(async () => {
        const me = (await (await fetch('/api/auth/me')).json()) as { user: { practices: { id: string }[] } };
        return me.user.practices[0].id;
      });
      const campaignId = new URL(page.url()).pathname.split('/').pop()!;
      campaignPath = `/api/practices/${practiceId}/campaigns/${campaignId}`;
      // The agent chosen on creation is assigned.
      expect(await page.getByTestId('targeting-form').getByLabel(AGENT.name).isChecked()).toBe(true);
    },
    STEP_MS,
  );

  it(
    'shows who is in and why not, lists the excluded and explains a patient',
    async () => {
      await page.getByTestId('eligibility').waitFor();
      expect(await text('eligibility-population')).toBe('16');
      expect(await text('eligibility-candidates')).toBe('9');
      expect(await text('eligibility-eligible')).toBe('5');
      expect(await page.getByTestId('eligible-row').locator('td').innerText()).toBe('5');

      const rows = page.locator('[data-testid^="exclusion-"]');
      const counts: Record<string, string> = {};
      for (const row of await rows.all()) {
        counts[(await row.getAttribute('data-testid'))!] = (await row.locator('td').innerText()).trim();
      }
      expect(Object.entries(counts).filter(([, n]) => n !== '0')).toEqual([
        ['exclusion-do_not_call', '1'],
        ['exclusion-deceased', '1'],
        ['exclusion-no_valid_phone', '1'],
        ['exclusion-upcoming_appointment', '1'],
      ]);
      // Nobody is marked inactive in this export.
      expect(counts['exclusion-inactive']).toBe('0');
      expect(await page.getByTestId('not-target-row').locator('td').innerText()).toBe('7');

      await page.getByTestId('exclusion-upcoming_appointment').getByRole('button').click();
      const list = page.getByTestId('member-list');
      await list.locator('tbody tr', { hasText: 'A1' }).waitFor();
      expect(await list.locator('h3').innerText()).toMatch(/Appointment coming up\s*·\s*1/);
      const members = list.locator('tbody tr');
      expect(await members.count()).toBe(1);
      const a1 = (await members.innerText()).replace(/\s+/g, ' ');
      expect(a1).toContain('Irwin');
      expect(a1).toContain('2026-07-01');
      await list.getByRole('button', { name: 'Close list' }).click();
      await list.waitFor({ state: 'detached' });

      await page.getByLabel('MRN', { exact: true }).fill('R3');
      await page.getByRole('button', { name: 'Explain' }).click();
      const result = page.getByTestId('explain-result');
      await result.waitFor();
      const explained = (await result.innerText()).replace(/\s+/g, ' ');
      expect(explained).toContain('MRN R3');
      expect(explained).toContain('not eligible');
      expect(explained).toContain('Not in the target');
      // Said once: the reason does not repeat the target's detail.
      expect(explained.split('last seen 2025-06-16')).toHaveLength(2);
      expect(await result.getByTestId('explain-not_target').count()).toBe(1);
    },
    STEP_MS,
  );

  it(
    'refuses to launch before a plan is saved',
    async () => {
      // A draft is not offered the Launch button, and the API refuses it with the reason.
      const head = page.locator('.campaign-head');
      expect(await head.getByRole('button', { name: 'Launch' }).count()).toBe(0);
      expect(await head.innerText()).toContain('Save a plan below before launching');
      const refused = await fetchInPage(`${campaignPath}/launch`, 'POST');
      expect(refused.status).toBe(409);
      expect(JSON.stringify(refused.body)).toContain('save the ROI plan before launching');
      expect(await text('campaign-status')).toBe('Draft');
    },
    STEP_MS,
  );

  it(
    'previews the plan for the eligible patients and saves it',
    async () => {
      const form = page.getByTestId('plan-form');
      expect(await form.getByLabel('Dials per agent per day').inputValue()).toBe('200');
      expect(await form.getByLabel('Pickup rate').inputValue()).toBe('20');
      await form.getByLabel('Weeks per month').fill('4');
      // The preview follows the inputs (after a short debounce).
      await page.getByTestId('plan-revenuePerMonth').filter({ hasText: '$35,000.00' }).waitFor();
      expect(await text('plan-revenuePerWeek')).toBe('$8,750.00');
      expect(await text('plan-revenuePerMonth')).toBe('$35,000.00');
      expect(await text('plan-breakEvenBookingsPerMonth')).toBe('26');
      expect(await text('plan-agentsNeeded')).toBe('1');
      expect(await text('plan-campaign-revenuePerMonth')).toBe('$35,000.00');
      expect(await page.locator('.plan-output h3').innerText()).toMatch(/5 patients/);

      await form.getByRole('button', { name: 'Save plan' }).click();
      await form.getByText('Plan saved for 5 eligible patients. The campaign can be launched.').waitFor();
      expect(await text('campaign-status')).toBe('Planned');
    },
    STEP_MS,
  );

  it(
    'launches the campaign, which enrols the eligible patients',
    async () => {
      await page.locator('.campaign-head').getByRole('button', { name: 'Launch' }).click();
      await page.getByTestId('campaign-status').filter({ hasText: 'Active' }).waitFor();
      await page.getByText('“Reactivation June” is now active.').waitFor();
      expect(await page.locator('.campaign-head').innerText()).toContain('5 open of 5 members');
      // The plan is fixed once launched, and no longer says it can be launched.
      expect(await page.getByTestId('plan-form').innerText()).not.toContain('can be launched');
      expect(await page.getByTestId('plan-form').getByRole('button', { name: 'Save plan' }).count()).toBe(0);
      expect(await text('plan-revenuePerMonth')).toBe('$35,000.00');

      const stored = await fetchInPage(campaignPath);
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({
        status: 'active',
        members: { open: 5, total: 5 },
        agents: [expect.objectContaining({ login: AGENT.login })],
        planPatients: 5,
        allowedActions: ['pause', 'complete'],
      });

      await page.getByTestId('eligibility').waitFor();
      await page.screenshot({ path: SCREENSHOT });
      await page.screenshot({ path: SCREENSHOT.replace('.png', '-full.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});
