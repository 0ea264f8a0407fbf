import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { createScratchDatabase, ScratchDatabase } from '../../libs/database/src/scratch-database';
import { appEnv, startApp, stopApp, type RunningApp } from '../support/app-process';
import { launchChromium, openPage, tearDown } from '../support/browser';
import { ensureBuilt } from '../support/build';
import { freePort } from '../support/free-port';
import { oneDayCampaign } from '../support/one-day-campaign';

// Two phones per patient (mobile, home), Chicago, last visits in January 2025.
// Monday 2026-06-15, 10:00 in Chicago: the patients are due for reactivation, the window is open.
const NOW = '2026-06-15T15:00:00Z';
// 14:05 the same day, after the 2 PM callback the agent promises.
const LATER = '2026-06-15T19:05:00Z';
const PRACTICE = 'northside';
const AGENT = { login: 'northside.ann', name: 'Ann Agent', password: 'agent-pass-2026a' };
const MANAGER = { login: 'northside.manager', password: 'manager-pass-2026' };
const ADMIN = { login: 'northside.admin', password: 'admin-pass-2026' };
const SETUP_MS = 300_000;
const STEP_MS = 120_000;

describe("the agent's workspace: a day's calls with the keyboard only", () => {
  let db: ScratchDatabase | undefined;
  let dataDir: string | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let port: number;
  let base: string;
  let env: Record<string, string>;
  let setup: Promise<void> | undefined;

  const serve = async (now: string) => {
    app = await startApp(
      appEnv({
        ...env,
        RECALL_NOW: now,
        MIGRATE_ON_START: 'true',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      }),
      port,
    );
  };

  beforeAll(() => {
    setup = prepare();
    return setup;
  }, SETUP_MS);

  async function prepare(): Promise<void> {
    await ensureBuilt();
    const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run through jest (global setup)');
    db = await createScratchDatabase(adminUrl, 'recall_e2e');
    dataDir = mkdtempSync(path.join(tmpdir(), 'recall-workspace-e2e-'));
    env = { DATABASE_URL: db.url, RECALL_DEMO: 'false', DATA_DIR: dataDir };
    const cliEnv = appEnv({ ...env, RECALL_NOW: NOW, LOG_LEVEL: 'silent' });
    const { cycle } = oneDayCampaign(cliEnv, {
      practice: PRACTICE,
      practiceName: 'Northside Clinic',
      timezone: 'America/Chicago',
      users: [
        { ...AGENT, role: 'agent' },
        { ...MANAGER, role: 'manager', name: 'Morgan Manager' },
        { ...ADMIN, role: 'admin', name: 'Ada Admin' },
      ],
      agents: [AGENT.login],
      dataDir,
      start: '2026-06-15',
      seed: 3,
    });
    expect(cycle.agents).toEqual([{ agent: AGENT.login, assigned: 12 }]);

    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await serve(NOW);
    browser = await launchChromium();
    ({ page, pageErrors } = await openPage(browser, { width: 1280, height: 720 }));
  }

  afterAll(() => tearDown({ setup, browser, app, db, dataDir }), SETUP_MS);

  const status = () => page.getByTestId('workspace-status');
  const selected = () => page.locator('[role="option"][aria-selected="true"]');
  const focusedRole = () => page.locator(':focus').getAttribute('role');
  const focusedId = () => page.locator(':focus').getAttribute('id');
  const option = (name: string) => page.getByTestId('queue-item').filter({ hasText: name });

  /** Waits until the live region says `text` (the save result a screen reader hears). */
  async function announced(text: string | RegExp) {
    await status().filter({ hasText: text }).waitFor();
    return (await status().innerText()).trim();
  }

  /** Signs the agent in by typing: the login field has the focus, Tab to the password, Enter. */
  async function agentSignsIn() {
    await page.goto(`${base}/login`);
    await page.locator('#login:focus').waitFor();
    await page.keyboard.type(AGENT.login);
    await page.keyboard.press('Tab');
    await page.keyboard.type(AGENT.password);
    await page.keyboard.press('Enter');
    await page.getByTestId('queue-item').first().waitFor();
    // Keyboard-first: the queue has the focus as soon as it is there.
    await page.locator('[role="listbox"]:focus').waitFor();
    if (await page.locator('#ws-autodial').isChecked()) {
      // Headless Chromium cannot answer the OS's "open the phone app?" prompt a tel: link raises,
      // and it would swallow every key after it: this agent dials on a desk phone (Shift+Tab, Space).
      await page.keyboard.press('Shift+Tab');
      expect(await focusedId()).toBe('ws-autodial');
      await page.keyboard.press('Space');
      expect(await page.locator('#ws-autodial').isChecked()).toBe(false);
      await page.keyboard.press('Tab');
      expect(await focusedRole()).toBe('listbox');
    }
  }

  /** Moves through the queue with J until `name` is the selected patient and their card is up. */
  async function selectPatient(name: string) {
    expect(await focusedRole()).toBe('listbox');
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

  /** Enter on the queue: the server records "call started" and answers with the number to dial. */
  async function startCall(name: string, dialling: string) {
    await page.keyboard.press('Enter');
    await announced(`Call started with ${name}: dialling ${dialling}.`);
    await page.getByTestId('call-started').waitFor();
  }

  /** I opens the identity step; one key per field (name, date of birth): Y = matches. */
  async function confirmIdentity(name: string) {
    await page.keyboard.press('i');
    expect(await focusedId()).toBe('ws-identity');
    await page.keyboard.press('y');
    await page.keyboard.press('y');
    await announced(`Identity confirmed for ${name}`);
    await page.getByTestId('identity-verified').waitFor();
    expect(await focusedRole()).toBe('listbox');
  }

  /** Types a date-time into a focused `datetime-local` picker (en-US: month, day, year, then the time). */
  async function typeDateTime(mmddyyyy: string, hhmmAP: string) {
    await page.keyboard.type(mmddyyyy);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type(hhmmAP);
  }

  const queueNames = async (testId?: string) =>
    (testId ? page.getByTestId(testId) : page.getByTestId('queue-list'))
      .locator('.queue-option-name')
      .allInnerTexts();

  it(
    'shows the queue beside the patient card, with the key hints, at 1280×720',
    async () => {
      await agentSignsIn();
      expect(await page.getByTestId('queue-open').getByTestId('queue-item').count()).toBe(12);
      const hints = await page.getByTestId('key-hints').innerText();
      for (const hint of ['move', 'start call', 'outcome', 'remarks', 'save', 'cancel']) {
        expect(hints).toContain(hint);
      }
      await selectPatient('Kate Dunn');
      const card = page.getByTestId('patient-card');
      expect(await card.innerText()).toMatch(/MRN K5 · 71 y/);
      expect(await page.getByTestId('card-phone').allInnerTexts()).toEqual([
        expect.stringContaining('+13125550205'),
        expect.stringContaining('+13125550305'),
      ]);
      expect(await page.getByTestId('patient-time').innerText()).toContain('10:00 AM');
      expect(await page.getByTestId('call-script').innerText()).toContain('Kate');
      expect(await page.getByTestId('voicemail-script').innerText()).toContain('Northside Clinic');
      // The key for each code comes from the server; every one is on screen.
      const codes = await page.locator('.ws-code-list label').allInnerTexts();
      expect(codes).toHaveLength(12);
      expect(codes).toContain('D Booked (re-appointed)');
      // Nothing overflows sideways at this size.
      const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
      expect(overflow).toBe(false);
    },
    STEP_MS,
  );

  it(
    'DONE: D opens the appointment picker in practice time, Enter saves, the next patient is up',
    async () => {
      await selectPatient('Kate Dunn');
      await startCall('Kate Dunn', '+13125550205');
      // No booking before the person on the call is verified (protocol 001).
      await page.keyboard.press('d');
      await page.getByRole('alert').filter({ hasText: 'Confirm who you are speaking to first' }).waitFor();
      expect(await page.locator('#ws-code-DONE').isDisabled()).toBe(true);
      await confirmIdentity('Kate Dunn');
      expect(await page.locator('#ws-code-DONE').isDisabled()).toBe(false);
      await page.keyboard.press('d');
      expect(await focusedId()).toBe('ws-appointment');
      expect(await page.locator('label[for="ws-appointment"]').innerText()).toContain('practice time');
      await typeDateTime('06222026', '1030A');
      await page.keyboard.press('Enter');
      const said = await announced('Saved for Kate Dunn: Booked (re-appointed).');
      expect(said).toMatch(/Appointment Mon, Jun 22, 10:30 AM CDT\./);
      expect(said).toMatch(/Next: /);
      // Focus is back on the queue, on the next patient; the booked one has left the list.
      expect(await focusedRole()).toBe('listbox');
      await page.locator('#ws-patient-name', { hasText: said.match(/Next: (.+)\.$/)![1] }).waitFor();
      await option('Kate Dunn').waitFor({ state: 'detached' });
      expect(await queueNames()).not.toContainEqual(expect.stringContaining('Kate Dunn'));
    },
    STEP_MS,
  );

  it(
    "CBACK: C opens a picker on the patient's clock; the callback stays in the queue for its time",
    async () => {
      await selectPatient('Kira Frost');
      await startCall('Kira Frost', '+13125550207');
      await page.keyboard.press('c');
      expect(await focusedId()).toBe('ws-callback');
      expect(await page.locator('label[for="ws-callback"]').innerText()).toContain("patient's time, Chicago");
      expect(await page.locator('#ws-callback-hint').innerText()).toContain(
        'It is 10:00 AM CDT for the patient now',
      );
      // Outside the calling window first: the server's message shows next to the picker.
      await typeDateTime('06152026', '0930P');
      await page.keyboard.press('Enter');
      await page.getByTestId('field-error').filter({ hasText: 'outside the calling window' }).waitFor();
      await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
      expect(await focusedId()).toBe('ws-callback');
      expect(await page.locator('#ws-callback').getAttribute('aria-invalid')).toBe('true');
      // 2 PM the same day: back from AM/PM to the hour, and the same form saves (its idempotency
      // key is reused: nothing was stored).
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type('0200P');
      expect(await page.locator('#ws-callback').inputValue()).toBe('2026-06-15T14:00');
      await page.keyboard.press('Enter');
      const said = await announced('Saved for Kira Frost: Callback requested.');
      expect(said).toContain('Callback Mon, Jun 15, 2:00 PM CDT patient time.');
      expect(await focusedRole()).toBe('listbox');
      const kira = page.getByTestId('queue-item').filter({ hasText: 'Kira Frost' });
      await kira.filter({ hasText: 'Callback 2:00 PM' }).waitFor();
      expect(await kira.getAttribute('data-section')).toBe('open');
    },
    STEP_MS,
  );

  it(
    'WNUM: W marks the number dialled as wrong, and the next call goes to the second number',
    async () => {
      await selectPatient('Kara Abbott');
      await startCall('Kara Abbott', '+13125550201');
      await page.keyboard.press('w');
      // No picker needed (the number dialled is preselected): the focus is on Save.
      expect(await focusedId()).toBe('ws-save');
      expect(await page.locator('#ws-phone').inputValue()).toBe('+13125550201');
      await page.keyboard.press('Enter');
      const said = await announced('Saved for Kara Abbott: Wrong number.');
      expect(said).toContain('+13125550201 is marked bad; next number +13125550301.');
      expect(await focusedRole()).toBe('listbox');

      await selectPatient('Kara Abbott');
      const phones = page.getByTestId('card-phone');
      await phones.filter({ hasText: 'wrong number' }).waitFor();
      expect(await phones.allInnerTexts()).toEqual([
        expect.stringContaining('+13125550301'),
        expect.stringMatching(/\+13125550201.*wrong number/),
      ]);
      expect(await page.getByTestId('attempt-row').allInnerTexts()).toEqual([
        expect.stringMatching(/northside\.ann.*June recall.*Wrong number WNUM/s),
      ]);
      await startCall('Kara Abbott', '+13125550301');
    },
    STEP_MS,
  );

  it(
    'DNC: remarks asking not to be called suggest DNC before saving, and the patient leaves the queue',
    async () => {
      await page.keyboard.press('Escape');
      await selectPatient('Karl Grant');
      await startCall('Karl Grant', '+13125550208');
      await page.keyboard.press('m');
      expect(await focusedId()).toBe('ws-remarks');
      await page.keyboard.type('Please stop calling me');
      const flags = page.getByTestId('red-flags');
      await flags.filter({ hasText: 'Do not contact' }).waitFor();
      await page.getByTestId('dnc-suggestion').waitFor();
      // Esc leaves the remarks (kept), N picks "no answer"; saving asks about do-not-call first.
      await page.keyboard.press('Escape');
      expect(await focusedRole()).toBe('listbox');
      await page.keyboard.press('n');
      await page.keyboard.press('Enter');
      await page.getByTestId('dnc-gate').waitFor();
      expect(await focusedId()).toBe('ws-gate-dnc');
      await page.keyboard.press('Enter');
      const said = await announced('Saved for Karl Grant: Do not call.');
      expect(said).toContain('Sent to a manager: Do not contact');
      await option('Karl Grant').waitFor({ state: 'detached' });
      expect(await queueNames()).not.toContainEqual(expect.stringContaining('Karl Grant'));
    },
    STEP_MS,
  );

  it(
    'a remark that names a lawyer raises an escalation; a save whose answer is lost is retried, not doubled',
    async () => {
      await selectPatient('Ken Ives');
      await startCall('Ken Ives', '+13125550211');
      await page.keyboard.press('m');
      await page.keyboard.type("I'm calling my lawyer");
      await page.getByTestId('red-flags').filter({ hasText: 'Legal: “lawyer”' }).waitFor();
      expect(await page.getByTestId('dnc-suggestion').count()).toBe(0);
      await page.keyboard.press('Escape');
      await page.keyboard.press('h');
      // The first save reaches the server, but its answer is lost on the way back.
      let dropped = 0;
      await page.route('**/api/practices/*/dispositions', async (route) => {
        if (route.request().method() !== 'POST' || dropped > 0) return route.continue();
        dropped++;
        await route.fetch();
        await route.abort('connectionreset');
      });
      await page.keyboard.press('Enter');
      await page.getByRole('alert').filter({ hasText: 'Not saved: Cannot reach the server' }).waitFor();
      await page.keyboard.press('Control+Enter');
      const said = await announced('Saved for Ken Ives: Hung up.');
      await page.unroute('**/api/practices/*/dispositions');
      expect(dropped).toBe(1);
      expect(said).toContain('It had been saved already; nothing was recorded twice.');
      expect(said).toContain('Sent to a manager: Legal (“lawyer”).');
      expect(await focusedRole()).toBe('listbox');
      // Hung up: back in two weeks, so out of today's list; recorded once.
      await option('Ken Ives').waitFor({ state: 'detached' });
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );

  it(
    'at 2:05 PM the promised callback is in the callback section',
    async () => {
      await stopApp(app!);
      app = undefined;
      await serve(LATER);
      await agentSignsIn();
      const callbacks = page.getByTestId('queue-callback').getByTestId('queue-item');
      await callbacks.first().waitFor();
      expect(await queueNames('queue-callback')).toEqual([expect.stringContaining('Kira Frost')]);
      // It comes first: the queue opens on it.
      expect(await selected().innerText()).toContain('Kira Frost');
      await page.locator('#ws-patient-name', { hasText: 'Kira Frost' }).waitFor();
      expect(await page.getByTestId('patient-time').innerText()).toContain('2:05 PM');
      // Five patients worked: three left the list for good or for later, two remain.
      expect(await queueNames()).toHaveLength(9);
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );

  it(
    'a manager sees the escalations in the inbox and resolves one; the do-not-call list has the patient',
    async () => {
      const {
        context,
        page: manager,
        pageErrors: errors,
      } = await openPage(browser!, {
        width: 1280,
        height: 720,
      });
      await manager.goto(`${base}/login`);
      await manager.fill('#login', MANAGER.login);
      await manager.fill('#password', MANAGER.password);
      await manager.getByRole('button', { name: 'Sign in' }).click();
      await manager.getByTestId('home-manager').waitFor();
      const nav = manager.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Escalations' }).click();
      await manager.getByTestId('escalations-page').waitFor();
      const rows = manager.getByTestId('escalation-row');
      const lawyer = rows.filter({ hasText: 'Ken Ives' });
      await lawyer.waitFor();
      // The save retried after its lost answer was recorded once: one attempt, one escalation.
      expect(await lawyer.count()).toBe(1);
      expect(await lawyer.innerText()).toMatch(/Legal[\s\S]*MRN KB[\s\S]*northside\.ann[\s\S]*lawyer/);
      await rows.filter({ hasText: 'Karl Grant' }).filter({ hasText: 'Do not contact' }).waitFor();

      await lawyer.getByRole('button', { name: /Resolve/ }).click();
      await lawyer.getByRole('button', { name: 'Resolve', exact: true }).click();
      await lawyer.getByRole('alert').filter({ hasText: 'Say what was done' }).waitFor();
      await lawyer.getByLabel('What was done').fill('Called back; passed to the practice manager.');
      await lawyer.getByRole('button', { name: 'Resolve', exact: true }).click();
      await manager.getByRole('status').filter({ hasText: 'Resolved: Legal for Ken Ives' }).waitFor();
      await lawyer.waitFor({ state: 'detached' });
      await manager.getByLabel('Show').selectOption('resolved');
      await rows
        .filter({ hasText: 'Ken Ives' })
        .filter({ hasText: 'passed to the practice manager' })
        .waitFor();

      await nav.getByRole('link', { name: 'Do-not-call' }).click();
      await manager.getByTestId('do-not-call-page').waitFor();
      const dnc = manager.getByTestId('dnc-row').filter({ hasText: 'Karl Grant' });
      await dnc.waitFor();
      expect(await dnc.innerText()).toContain('asked on a call (workspace)');
      // Lifting is for administrators.
      expect(await manager.getByRole('button', { name: /Lift/ }).count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    },
    STEP_MS,
  );

  it(
    'an administrator lifts the do-not-call, with a required reason',
    async () => {
      const {
        context,
        page: admin,
        pageErrors: errors,
      } = await openPage(browser!, {
        width: 1280,
        height: 720,
      });
      await admin.goto(`${base}/login`);
      await admin.fill('#login', ADMIN.login);
      await admin.fill('#password', ADMIN.password);
      await admin.getByRole('button', { name: 'Sign in' }).click();
      await admin.getByTestId('home-admin').waitFor();
      await admin
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Do-not-call' })
        .click();
      const dnc = admin.getByTestId('dnc-row').filter({ hasText: 'Karl Grant' });
      await dnc.waitFor();
      await dnc.getByRole('button', { name: /Lift the do-not-call for Karl Grant/ }).click();
      await dnc.getByRole('button', { name: 'Lift', exact: true }).click();
      await dnc.getByRole('alert').filter({ hasText: 'at least 5 characters' }).waitFor();
      await dnc.getByLabel('Why lift it?').fill('Patient wrote in asking to be called again.');
      await dnc.getByRole('button', { name: 'Lift', exact: true }).click();
      await admin.getByRole('status').filter({ hasText: 'is off the do-not-call list' }).waitFor();
      await admin.getByText('Nobody is on the do-not-call list.').waitFor();
      expect(errors).toEqual([]);
      await context.close();
    },
    STEP_MS,
  );
});
