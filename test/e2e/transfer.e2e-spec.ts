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

// Monday 2026-06-15, 10:00 in Chicago: the calling window and weekday groups are open.
const NOW = '2026-06-15T15:00:00Z';
const PRACTICE = 'northside';
const AGENT = { login: 'northside.ann', name: 'Ann Agent', password: 'agent-pass-2026a' };
const MANAGER = { login: 'northside.manager', password: 'manager-pass-2026' };
const SETUP_MS = 300_000;
const STEP_MS = 120_000;

/**
 * Warm transfers and de-escalation in the browser (issue 10): a manager fills the transfer
 * directory; an agent on a call sees the de-escalation steps when a red flag goes up, opens
 * Transfer with the keyboard, reads the scripts, waits out the minute of a warm transfer, then
 * blind transfers with permission, and files a callback ticket when a queue is unavailable;
 * the manager sees the transfers and the ticket.
 */
describe('transfers and de-escalation in the workspace', () => {
  let db: ScratchDatabase | undefined;
  let dataDir: string | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let manager: Page;
  let pageErrors: string[] = [];
  let managerErrors: string[] = [];
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
    dataDir = mkdtempSync(path.join(tmpdir(), 'recall-transfer-e2e-'));
    const env = { DATABASE_URL: db.url, RECALL_DEMO: 'false', DATA_DIR: dataDir, MFA_REQUIRED_ROLES: 'none' };
    const cliEnv = appEnv({ ...env, RECALL_NOW: NOW, LOG_LEVEL: 'silent' });
    oneDayCampaign(cliEnv, {
      practice: PRACTICE,
      practiceName: 'Northside Clinic',
      timezone: 'America/Chicago',
      users: [
        { ...AGENT, role: 'agent' },
        { ...MANAGER, role: 'manager', name: 'Morgan Manager' },
      ],
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
    ({ page: manager, pageErrors: managerErrors } = await openPage(browser, { width: 1280, height: 900 }));
    ({ page, pageErrors } = await openPage(browser, { width: 1280, height: 900 }));
    // The minute a warm transfer waits is skipped forward, not waited out.
    await page.clock.install();
  }

  afterAll(() => tearDown({ setup, browser, app, db, dataDir }), SETUP_MS);

  const status = () => page.getByTestId('workspace-status');
  const focusedRole = () => page.locator(':focus').getAttribute('role');
  const selected = () => page.locator('[role="option"][aria-selected="true"]');
  const announced = (text: string | RegExp) => status().filter({ hasText: text }).waitFor();

  async function selectPatient(name: string) {
    await page.keyboard.press('Home');
    for (let i = 0; i < 15; i++) {
      if ((await selected().innerText()).includes(name)) return;
      await page.keyboard.press('j');
    }
    throw new Error(`${name} is not in the queue`);
  }

  it(
    'a manager fills the transfer directory: one group for agents, one "not as a level 1"',
    async () => {
      await manager.goto(`${base}/login`);
      await manager.fill('#login', MANAGER.login);
      await manager.fill('#password', MANAGER.password);
      await manager.getByRole('button', { name: 'Sign in' }).click();
      await manager.getByTestId('home-manager').waitFor();
      await manager
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Transfers & de-escalation' })
        .click();
      await manager.getByTestId('call-protocol-page').waitFor();
      // The guide starts as protocol 000's.
      const strategies = manager.locator('#guide-strategies');
      for (let i = 0; i < 100 && !(await strategies.inputValue()); i++) await manager.waitForTimeout(100);
      expect(await strategies.inputValue()).toMatch(/^Low & slow: /);

      const addGroup = async (g: {
        name: string;
        phone: string;
        ext?: string;
        when: string;
        agents: boolean;
        fits?: string;
      }) => {
        await manager.getByRole('button', { name: 'Add a group' }).click();
        const form = manager.getByTestId('transfer-group-form');
        await form.getByLabel('Name').fill(g.name);
        await form.getByLabel('Phone').fill(g.phone);
        if (g.ext) await form.getByLabel('Extension').fill(g.ext);
        await form.getByLabel('When to transfer').fill(g.when);
        if (!g.agents) await form.getByLabel('Agents (level 1)').uncheck();
        if (g.fits) await form.getByLabel(g.fits).check();
        await form.getByRole('button', { name: 'Save group' }).click();
        await manager
          .getByRole('status')
          .filter({ hasText: `Saved: ${g.name}.` })
          .waitFor();
      };
      // A bad number is refused, naming the field.
      await manager.getByRole('button', { name: 'Add a group' }).click();
      await manager.getByTestId('transfer-group-form').getByLabel('Name').fill('Nowhere');
      await manager.getByRole('button', { name: 'Save group' }).click();
      await manager.getByRole('alert').filter({ hasText: 'phone' }).waitFor();
      await manager.getByRole('button', { name: 'Cancel' }).click();

      await addGroup({
        name: 'Billing escalations',
        phone: '+1 312 555 0100',
        ext: '2201',
        when: 'Asks for a supervisor about a payment or a statement',
        agents: true,
        fits: 'Legal threat',
      });
      await addGroup({ name: 'Sales', phone: '+1 312 555 0120', when: 'Buying a plan', agents: false });
      const rows = manager.getByTestId('transfer-group-row');
      await rows.filter({ hasText: 'Sales' }).waitFor();
      expect(await rows.count()).toBe(2);
      expect(await rows.filter({ hasText: 'Sales' }).innerText()).toContain('Not as a level 1');
      expect(await rows.filter({ hasText: 'Billing escalations' }).innerText()).toContain(
        '+1 312 555 0100 ext. 2201',
      );
    },
    STEP_MS,
  );

  it(
    'the agent on a call: a red flag shows the de-escalation steps; F opens Transfer with the scripts',
    async () => {
      await page.goto(`${base}/login`);
      await page.locator('#login:focus').waitFor();
      await page.keyboard.type(AGENT.login);
      await page.keyboard.press('Tab');
      await page.keyboard.type(AGENT.password);
      await page.keyboard.press('Enter');
      await page.getByTestId('queue-item').first().waitFor();
      await page.locator('[role="listbox"]:focus').waitFor();
      if (await page.locator('#ws-autodial').isChecked()) {
        // Headless Chromium cannot answer a tel: link's prompt: this agent dials on a desk phone.
        await page.locator('#ws-autodial').uncheck();
        await page.locator('[role="listbox"]').focus();
      }
      expect(await page.getByTestId('key-hints').innerText()).toContain('transfer');

      await selectPatient('Kate Dunn');
      // No call yet: Transfer waits for one.
      expect(await page.getByTestId('transfer-open').isDisabled()).toBe(true);
      await page.keyboard.press('Enter');
      await announced('Call started with Kate Dunn');
      await page.getByTestId('call-started').waitFor();

      // The remarks name a lawyer: the red flag brings the de-escalation steps.
      await page.keyboard.press('m');
      await page.keyboard.type('Patient says she will call her lawyer about the bill');
      await page.getByTestId('red-flags').waitFor();
      const steps = page.getByTestId('deescalation-panel');
      await steps.waitFor();
      const guide = await steps.innerText();
      for (const step of [
        'Low & slow',
        'Name it to tame it',
        'Regulate over educate',
        'Here’s what I would like to do',
        'Pause with purpose',
      ])
        expect(guide).toContain(step);
      await steps.getByText('Claim denial').click();
      await steps.getByText('Appeal the claim determination.').waitFor();

      await page.keyboard.press('Escape');
      expect(await focusedRole()).toBe('listbox');
      await page.keyboard.press('f');
      const panel = page.getByTestId('transfer-panel');
      await panel.waitFor();
      // Agents see the groups they may use only; the one fitting the red flag first.
      await panel.getByTestId('transfer-group').first().waitFor();
      const groups = await panel.getByTestId('transfer-group').allInnerTexts();
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatch(
        /Billing escalations[\s\S]*fits this call[\s\S]*\+1 312 555 0100 ext\. 2201 · Always open/,
      );
      await panel.getByLabel('Regarding (for the scripts)').fill('a statement');
      const scripts = panel.getByTestId('transfer-scripts');
      await scripts
        .filter({
          hasText:
            'Since this is a question regarding a statement, I will need to transfer you to a Billing escalations representative.',
        })
        .waitFor();
      expect(await scripts.innerText()).toContain(
        'This is Ann Agent. I have a patient on the line calling regarding a statement.',
      );
    },
    STEP_MS,
  );

  it(
    'a warm transfer nobody answers in a minute prompts to ask permission, then the blind transfer is recorded',
    async () => {
      const panel = page.getByTestId('transfer-panel');
      await panel.getByRole('button', { name: 'Start warm transfer' }).click();
      await panel
        .getByTestId('transfer-timer')
        .filter({ hasText: /s left of 1 minute/ })
        .waitFor();
      // No "no answer" before the minute is up.
      expect(await panel.getByRole('button', { name: 'No answer: back to the caller' }).count()).toBe(0);
      await page.clock.fastForward(61_000);
      const prompt = panel.getByTestId('transfer-no-answer');
      await prompt.filter({ hasText: 'return to the caller, ask permission, then blind transfer' }).waitFor();
      expect(await prompt.innerText()).toContain(
        'Do you mind if I transfer you without speaking to them first?',
      );
      await panel.getByRole('button', { name: 'No answer: back to the caller' }).click();
      await announced('Warm transfer to Billing escalations: no answer.');
      await panel.getByRole('button', { name: 'Caller agreed: blind transfer done' }).click();
      await announced('Blind transfer to Billing escalations: connected.');
      await panel
        .getByTestId('transfer-log')
        .filter({ hasText: 'Blind to Billing escalations: connected' })
        .waitFor();
      expect(await panel.getByTestId('transfer-log').innerText()).toContain(
        'Warm to Billing escalations: no answer',
      );

      // Esc closes the panel; the call is saved as usual (the remarks' flag goes to a manager).
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      await page.locator('[role="listbox"]').focus();
      await page.keyboard.press('n');
      await page.keyboard.press('Control+Enter');
      await announced('Saved for Kate Dunn: No answer.');
    },
    STEP_MS,
  );

  it(
    'a queue that is unavailable: the agent files a callback ticket; a hot call shows the steps too',
    async () => {
      await selectPatient('Kurt Cole');
      await page.keyboard.press('Enter');
      await announced('Call started with Kurt Cole');
      expect(await page.getByTestId('deescalation-panel').count()).toBe(0);
      await page.keyboard.press('e');
      await page.getByTestId('deescalation-panel').filter({ hasText: 'Marked as a hot call' }).waitFor();
      expect(await page.getByTestId('hot-call').getAttribute('aria-pressed')).toBe('true');

      await page.getByTestId('transfer-open').click();
      const panel = page.getByTestId('transfer-panel');
      await panel.getByLabel(/Note for a callback ticket/).fill('wants to talk about a refund');
      await panel.getByRole('button', { name: 'Queue unavailable: file a callback ticket' }).click();
      await announced("Billing escalations was unavailable: a callback ticket is in the managers' inbox.");
      await panel.getByTestId('transfer-log').filter({ hasText: 'queue unavailable' }).waitFor();
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );

  it(
    'the manager sees the transfers and the callback ticket',
    async () => {
      await manager.reload();
      const recent = manager.getByTestId('recent-transfer-row');
      await recent.first().waitFor();
      const texts = await recent.allInnerTexts();
      expect(texts).toHaveLength(3);
      expect(texts.find((t) => /blind/.test(t))).toMatch(
        /Billing escalations[\s\S]*connected[\s\S]*Kate Dunn[\s\S]*northside\.ann[\s\S]*NOANS/,
      );
      expect(texts.find((t) => /no answer/.test(t))).toMatch(/warm[\s\S]*Kate Dunn[\s\S]*NOANS/);
      expect(texts.find((t) => /unavailable/.test(t))).toMatch(/Kurt Cole[\s\S]*call in progress/);

      await manager
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Escalations' })
        .click();
      const ticket = manager
        .getByTestId('escalation-row')
        .filter({ hasText: 'Callback: transfer queue unavailable' });
      await ticket.waitFor();
      expect(await ticket.innerText()).toMatch(
        /Kurt Cole[\s\S]*northside\.ann[\s\S]*Patient callback: Billing escalations was unavailable for a warm transfer\. wants to talk about a refund/,
      );
      expect(managerErrors).toEqual([]);
    },
    STEP_MS,
  );
});
