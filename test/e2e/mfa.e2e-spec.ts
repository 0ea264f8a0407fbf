import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, Page } from 'playwright-core';
import { createScratchDatabase, ScratchDatabase } from '../../libs/database/src/scratch-database';
import { totpCode, TOTP_PERIOD_SECONDS } from '../../libs/auth/src/totp';
import { ensureBuilt } from '../support/build';
import { appEnv, runCli as cli, startApp, type RunningApp } from '../support/app-process';
import { launchChromium, openPage, tearDown } from '../support/browser';
import { freePort } from '../support/free-port';

const PRACTICE = 'lakeshore';
const MANAGER = { login: 'lakeshore.manager', password: 'manager-pass-2026' };
const ADMIN = { login: 'lakeshore.admin', password: 'admin-pass-2026' };
const SETUP_MS = 300_000;
const STEP_MS = 120_000;
const STEP = TOTP_PERIOD_SECONDS * 1000;

/** Waits for the next 30-second step, so a code is not the one just used (the replay guard refuses it). */
async function nextStep(): Promise<void> {
  await sleep(STEP - (Date.now() % STEP) + 1_000);
}

describe('two-factor sign-in in the browser', () => {
  let db: ScratchDatabase | undefined;
  let dataDir: string | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let base: string;
  let pageErrors: string[] = [];
  let setup: Promise<void> | undefined;
  let secret = '';

  beforeAll(() => {
    setup = prepare();
    return setup;
  }, SETUP_MS);

  async function prepare(): Promise<void> {
    await ensureBuilt();
    const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run through jest (global setup)');
    db = await createScratchDatabase(adminUrl, 'recall_e2e');
    dataDir = mkdtempSync(path.join(tmpdir(), 'recall-mfa-e2e-'));
    // Managers must use a second factor; the admin (to show the reset) signs in with a password.
    const env = {
      DATABASE_URL: db.url,
      RECALL_DEMO: 'false',
      DATA_DIR: dataDir,
      MFA_REQUIRED_ROLES: 'manager',
    };
    const cliEnv = appEnv({ ...env, LOG_LEVEL: 'silent' });
    cli(['migrate'], cliEnv);
    cli(
      ['practices', 'add', PRACTICE, '--name', 'Lakeshore Clinic', '--timezone', 'America/Chicago'],
      cliEnv,
    );
    for (const [u, role] of [
      [MANAGER, 'manager'],
      [ADMIN, 'admin'],
    ] as const) {
      cli(
        [
          'users',
          'add',
          '--login',
          u.login,
          '--role',
          role,
          '--practice',
          PRACTICE,
          '--password',
          u.password,
        ],
        cliEnv,
      );
    }
    // the operator's way out (a lost phone, a lock) from the shell
    expect(cli(['users', 'mfa-reset', '--login', MANAGER.login], cliEnv)).toMatch(/had none/);
    expect(cli(['users', 'unlock', '--login', MANAGER.login], cliEnv)).toMatch(/unlocked/);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startApp(
      appEnv({ ...env, MIGRATE_ON_START: 'false', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }),
      port,
    );
    expect(app.output()).toMatch(/two-factor sign-in \(TOTP\) required for: manager/);
    browser = await launchChromium();
    ({ page, pageErrors } = await openPage(browser, { width: 1280, height: 720 }));
    page.on('dialog', (d) => void d.accept());
  }

  afterAll(() => tearDown({ setup, browser, app, db, dataDir }), SETUP_MS);

  async function password(login: string, pw: string) {
    await page.goto(`${base}/login`);
    await page.fill('#login', login);
    await page.fill('#password', pw);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
  }

  it(
    'a manager sets up an authenticator at first sign-in (QR code and key), then lands home',
    async () => {
      await password(MANAGER.login, MANAGER.password);
      await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();
      await page.getByTestId('mfa-qr').waitFor();
      // the QR code is drawn (not blank)
      const drawn = await page
        .getByTestId('mfa-qr')
        .evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL().length > 1000);
      expect(drawn).toBe(true);
      secret = (await page.getByTestId('mfa-secret').innerText()).replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // a wrong code is refused and nothing is signed in
      const right = totpCode(secret, Date.now());
      await page.fill('#mfa-enroll-code', right === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong code' }).waitFor();
      await page.fill('#mfa-enroll-code', totpCode(secret, Date.now()));
      await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
      const codes = page.getByTestId('mfa-recovery-codes').locator('li');
      await codes.first().waitFor();
      expect(await codes.count()).toBe(10);
      await page.getByRole('button', { name: /I have saved them/ }).click();
      await page.getByTestId('home-manager').waitFor();
      // their own page says it is on, and required
      await page.locator('a[href="/account"]').click();
      await page.getByTestId('mfa-state').filter({ hasText: 'is on' }).waitFor();
      expect(await page.getByText('Your role requires it').count()).toBe(1);
      await signOut();
    },
    STEP_MS,
  );

  it(
    'signs in again with the password and the code (one-time-code field, focused); a wrong code is refused',
    async () => {
      await nextStep();
      await password(MANAGER.login, MANAGER.password);
      const field = page.locator('#mfa-code');
      await field.waitFor();
      expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
      expect(await field.getAttribute('inputmode')).toBe('numeric');
      type Focusable = { ownerDocument: { activeElement: unknown } };
      expect(
        await field.evaluate((el) => el === (el as unknown as Focusable).ownerDocument.activeElement),
      ).toBe(true);
      const right = totpCode(secret, Date.now());
      await field.fill(right === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong code' }).waitFor();
      await field.fill(totpCode(secret, Date.now()));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByTestId('home-manager').waitFor();
      await signOut();
    },
    STEP_MS,
  );

  it(
    'an admin resets the manager’s second factor; the manager sets it up again at the next sign-in',
    async () => {
      await password(ADMIN.login, ADMIN.password);
      await page.getByTestId('home-admin').waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
      const row = page.getByRole('row').filter({ hasText: MANAGER.login });
      await row.getByRole('cell', { name: 'On', exact: true }).waitFor();
      await row.getByRole('button', { name: 'Reset MFA' }).click();
      await page.getByText(`Two-factor sign-in of ${MANAGER.login} was reset.`).waitFor();
      await row.getByRole('cell', { name: 'Off', exact: true }).waitFor();
      // an agent-less admin page: the admin can set up their own (optional for admins here)
      await page.locator('a[href="/account"]').click();
      await page.getByRole('button', { name: 'Set up two-factor sign-in' }).waitFor();
      await signOut();

      await password(MANAGER.login, MANAGER.password);
      await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});
