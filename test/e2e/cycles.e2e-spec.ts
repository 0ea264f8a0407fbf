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
// Monday 2026-06-15, the day the fixture's dates are written for.
const NOW = '2026-06-15T12:30:00Z'; // 7:30 in Chicago: before the campaign's 9:00 calling hours
const PRACTICE = 'lakeshore';
const MANAGER = { login: 'lakeshore.manager', password: 'manager-pass-2026' };
const AGENTS = [
  { login: 'lakeshore.ann', name: 'Ann Agent', password: 'agent-pass-2026a' },
  { login: 'lakeshore.bob', name: 'Bob Agent', password: 'agent-pass-2026b' },
];
// jest 29 ignores a project's testTimeout, so every hook and test says how long it may take.
const SETUP_MS = 300_000;
const STEP_MS = 90_000;

describe('building a cycle and working the queue in the browser', () => {
  let db: ScratchDatabase | undefined;
  let dataDir: string | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let base: string;
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
    dataDir = mkdtempSync(path.join(tmpdir(), 'recall-cycles-e2e-'));
    const env = { DATABASE_URL: db.url, RECALL_NOW: NOW, RECALL_DEMO: 'false', DATA_DIR: dataDir };
    const cliEnv = appEnv({ ...env, LOG_LEVEL: 'silent' });
    cli(['migrate'], cliEnv);
    cli(
      ['practices', 'add', PRACTICE, '--name', 'Lakeshore Clinic', '--timezone', 'America/Chicago'],
      cliEnv,
    );
    const addUser = (login: string, role: string, name: string, password: string) =>
      cli(
        [
          'users',
          'add',
          '--login',
          login,
          '--role',
          role,
          '--practice',
          PRACTICE,
          '--name',
          name,
          '--password',
          password,
        ],
        cliEnv,
      );
    addUser(MANAGER.login, 'manager', 'Morgan Manager', MANAGER.password);
    for (const a of AGENTS) addUser(a.login, 'agent', a.name, a.password);
    cli(
      ['import', '--practice', PRACTICE, '--json']
        .concat(['--patients', path.join(FIXTURES, 'patients.csv')])
        .concat(['--appointments', path.join(FIXTURES, 'appointments.csv')]),
      cliEnv,
    );
    // The campaign is set up from the shell, as a data person's script would.
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
          'June recall',
        ].concat(['--agents', AGENTS.map((a) => a.login).join(','), '--json']),
        cliEnv,
      ),
    ) as { id: string; status: string };
    expect(created.status).toBe('draft');
    cli(['campaign', 'plan', '--campaign', created.id, '--json'], cliEnv);
    const launched = JSON.parse(cli(['campaign', 'launch', '--campaign', created.id, '--json'], cliEnv)) as {
      status: string;
      members: { open: number };
    };
    expect(launched).toMatchObject({ status: 'active', members: { open: 5 } });

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startApp(
      appEnv({ ...env, MIGRATE_ON_START: 'true', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }),
      port,
    );
    browser = await launchChromium();
    ({ page, pageErrors } = await openPage(browser, { width: 1280, height: 720 }));
  }

  afterAll(() => tearDown({ setup, browser, app, db, dataDir }), SETUP_MS);

  async function signIn(login: string, password: string, home: string) {
    await page.goto(`${base}/login`);
    await page.fill('#login', login);
    await page.fill('#password', password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId(home).waitFor();
  }

  it(
    'a manager builds a cycle: a balanced list per agent',
    async () => {
      await signIn(MANAGER.login, MANAGER.password, 'home-manager');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cycles' }).click();
      await page.getByTestId('cycles-page').waitFor();
      await page.getByLabel('Seed').fill('11');
      await page.getByTestId('cycle-build').getByRole('button', { name: 'Build next cycle' }).click();
      const summary = page.getByTestId('cycle-summary');
      await summary.waitFor();
      expect((await page.getByTestId('cycle-assigned').innerText()).trim()).toBe('5');
      expect((await page.getByTestId('cycle-backlog').innerText()).trim()).toBe('0');
      const counts = [];
      for (const a of AGENTS) {
        counts.push(
          Number(
            (await page.getByTestId(`cycle-agent-${a.login}`).getByTestId('assigned').innerText()).trim(),
          ),
        );
      }
      expect(counts.sort()).toEqual([2, 3]);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login$/);
    },
    STEP_MS,
  );

  it(
    "an agent's queue shows items whose window is not open yet, and the server refuses the call",
    async () => {
      const ann = AGENTS[0];
      await signIn(ann.login, ann.password, 'queue-page');
      // Items due today (the builder gives every agent some on the first day), before 9:00.
      const later = page.getByTestId('queue-later');
      await page.getByTestId('queue-page').waitFor();
      const items = page.getByTestId('queue-item');
      await items.first().waitFor();
      const n = await items.count();
      expect(n).toBeGreaterThan(0);
      expect(await later.getByTestId('queue-item').count()).toBe(n);
      expect(await page.getByTestId('queue-open').getByTestId('queue-item').count()).toBe(0);
      expect(await later.getByTestId('opens-at').first().innerText()).toContain('9:00 AM');
      // The queue is a list of patients; "Start call" is on the selected patient's card.
      await later.getByTestId('queue-item').first().click();
      await page.getByTestId('start-call').click();
      await page.getByRole('alert').filter({ hasText: 'outside the calling window' }).first().waitFor();
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});
