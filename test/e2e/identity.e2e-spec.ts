import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { createScratchDatabase, ScratchDatabase } from '../../libs/database/src/scratch-database';
import { appEnv, startApp, type RunningApp } from '../support/app-process';
import { launchChromium, openPage, tearDown } from '../support/browser';
import { ensureBuilt } from '../support/build';
import { freePort } from '../support/free-port';
import { oneDayCampaign } from '../support/one-day-campaign';

// Two phones per patient, Chicago, last visits in January 2025.
// Monday 2026-06-15, 10:00 in Chicago: the calling window is open.
const NOW = '2026-06-15T15:00:00Z';
const PRACTICE = 'eastside';
const AGENT = { login: 'eastside.ida', name: 'Ida Agent', password: 'agent-pass-2026a' };
const SETUP_MS = 300_000;
const STEP_MS = 120_000;

/**
 * Identity before patient details (issue 10): the agent confirms who answered, one key per field,
 * before the card shows visits and history; a failed check closes the call as UNAVLBL or WNUM.
 */
describe('the identity check in the workspace', () => {
  let db: ScratchDatabase | undefined;
  let dataDir: string | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let base: string;
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
    dataDir = mkdtempSync(path.join(tmpdir(), 'recall-identity-e2e-'));
    const env = { DATABASE_URL: db.url, RECALL_DEMO: 'false', DATA_DIR: dataDir };
    const cliEnv = appEnv({ ...env, RECALL_NOW: NOW, LOG_LEVEL: 'silent' });
    oneDayCampaign(cliEnv, {
      practice: PRACTICE,
      practiceName: 'Eastside Clinic',
      timezone: 'America/Chicago',
      users: [{ ...AGENT, role: 'agent' }],
      agents: [AGENT.login],
      dataDir,
      start: '2026-06-15',
      seed: 3,
    });

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

  const status = () => page.getByTestId('workspace-status');
  const selected = () => page.locator('[role="option"][aria-selected="true"]');
  const focused = (attr: string) => page.locator(':focus').getAttribute(attr);

  async function announced(text: string | RegExp) {
    await status().filter({ hasText: text }).waitFor();
    return (await status().innerText()).trim();
  }

  async function selectPatient(name: string) {
    await page.keyboard.press('Home');
    for (let i = 0; i < 15; i++) {
      if ((await selected().innerText()).includes(name)) {
        await page.locator('#ws-patient-name', { hasText: name }).waitFor();
        await page.getByTestId('attempt-history').waitFor();
        return;
      }
      await page.keyboard.press('j');
    }
    throw new Error(`${name} is not in the queue`);
  }

  async function startCall(name: string) {
    await page.keyboard.press('Enter');
    await announced(`Call started with ${name}`);
    await page.getByTestId('identity-step').waitFor();
  }

  it(
    'a failed check: the details stay hidden, booking is refused, the call closes as UNAVLBL',
    async () => {
      await page.goto(`${base}/login`);
      await page.locator('#login:focus').waitFor();
      await page.keyboard.type(AGENT.login);
      await page.keyboard.press('Tab');
      await page.keyboard.type(AGENT.password);
      await page.keyboard.press('Enter');
      await page.getByTestId('queue-item').first().waitFor();
      await page.locator('[role="listbox"]:focus').waitFor();
      // A desk phone: no tel: prompt (headless Chromium cannot answer it).
      if (await page.locator('#ws-autodial').isChecked()) {
        await page.locator('#ws-autodial').uncheck();
        await page.locator('[role="listbox"]').focus();
      }

      await selectPatient('Kate Dunn');
      // Before the call: what is needed to dial and ask, no visits.
      expect(await page.getByTestId('last-visit').innerText()).toContain('shown after the identity check');
      await page.getByTestId('details-locked').waitFor();
      await startCall('Kate Dunn');
      const fields = page.getByTestId('identity-field');
      expect(await fields.count()).toBe(2);
      expect(await fields.nth(0).innerText()).toMatch(/Full name\s+Kate Dunn/);
      // The date of birth on record, to compare with what the person says.
      expect(await fields.nth(1).innerText()).toMatch(/Date of birth\s+1955-01-30/);

      await page.keyboard.press('i');
      expect(await focused('id')).toBe('ws-identity');
      await page.keyboard.press('y');
      await page.getByTestId('identity-progress').filter({ hasText: 'date of birth (2 of 2)' }).waitFor();
      // N here answers the check; it is not "no answer".
      await page.keyboard.press('n');
      const failed = page.getByTestId('identity-failed');
      await failed.waitFor();
      expect(await failed.innerText()).toContain('Identity not confirmed — close as UNAVLBL or WNUM');
      await page
        .getByRole('alert')
        .filter({ hasText: 'Identity not confirmed — close as UNAVLBL or WNUM' })
        .waitFor();
      expect(await focused('role')).toBe('listbox');
      // Still nothing of the patient's visits, and D (booked) cannot be chosen.
      expect(await page.getByTestId('last-visit').innerText()).toContain('shown after the identity check');
      expect(await page.locator('#ws-code-DONE').isDisabled()).toBe(true);
      expect(await page.locator('#ws-code-NOANS').isDisabled()).toBe(true);
      expect(await page.locator('#ws-code-UNAVLBL').isDisabled()).toBe(false);
      await page.keyboard.press('d');
      await page.getByRole('alert').filter({ hasText: 'Booked (re-appointed) is not available' }).waitFor();
      expect(await page.locator('#ws-code-DONE').isChecked()).toBe(false);

      await page.keyboard.press('u');
      expect(await focused('id')).toBe('ws-save');
      await page.keyboard.press('Enter');
      await announced('Saved for Kate Dunn: Patient not available.');
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );

  it(
    'a verified check shows the details, and the call books DONE',
    async () => {
      await page.locator('[role="listbox"]').focus();
      await selectPatient('Kyle Banks');
      expect(await page.getByTestId('last-visit').innerText()).toContain('shown after the identity check');
      await startCall('Kyle Banks');
      expect(await page.locator('#ws-code-DONE').isDisabled()).toBe(true);
      await page.keyboard.press('i');
      await page.keyboard.press('y');
      await page.keyboard.press('y');
      await announced("Identity confirmed for Kyle Banks: the patient's details are shown.");
      await page.getByTestId('identity-verified').waitFor();
      // The card is fetched again: now with the visits.
      await page.getByTestId('last-visit').filter({ hasText: '2025-01-11' }).waitFor();
      expect(await page.getByTestId('details-locked').count()).toBe(0);
      expect(await page.locator('#ws-code-DONE').isDisabled()).toBe(false);

      await page.keyboard.press('d');
      expect(await focused('id')).toBe('ws-appointment');
      await page.keyboard.type('06222026');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.type('1030A');
      await page.keyboard.press('Enter');
      const said = await announced('Saved for Kyle Banks: Booked (re-appointed).');
      expect(said).toMatch(/Appointment Mon, Jun 22, 10:30 AM CDT\./);
      await page.getByTestId('queue-item').filter({ hasText: 'Kyle Banks' }).waitFor({ state: 'detached' });
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});
