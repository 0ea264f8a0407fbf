import { execSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { ensureBuilt } from '../support/build';
import { appEnv, startApp, stopApp, type RunningApp } from '../support/app-process';
import { freePort } from '../support/free-port';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

const root = path.resolve(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';

describe('first run, as a newcomer does it', () => {
  let dataDir: string;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let app: RunningApp | undefined;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(path.join(root, '.data'), { recursive: true });
    await ensureBuilt();
    dataDir = mkdtempSync(path.join(root, '.data', 'e2e-'));
    chmodSync(dataDir, 0o755); // like a checkout's .data/ (test/embedded-postgres covers private dirs)
    port = await freePort();
    env = appEnv({ DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()) });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (app) await stopApp(app);
    if (dataDir) {
      const location = `${path.join(dataDir, 'pg')}.location`;
      if (existsSync(location))
        rmSync(path.dirname(readFileSync(location, 'utf8').trim()), { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('starts with embedded PostgreSQL, in single-process mode, and prints the URL and a login per role', async () => {
    app = await startApp(env, port);
    const out = app.output();
    expect(out).toContain(`Recall is running at http://localhost:${port}`);
    expect(out).toMatch(/single-process mode/);
    for (const role of ['admin', 'manager', 'agent', 'owner']) expect(out).toContain(`demo.${role}`);
    // the printed logins work as printed: the demo does not require a second factor (README says how to)
    expect(out).toMatch(/two-factor sign-in: optional for every role \(MFA_REQUIRED_ROLES=admin,manager/);
    // the cluster is in DATA_DIR/pg, or (root, private checkout) where pg.location says
    const location = `${path.join(dataDir, 'pg')}.location`;
    const cluster = existsSync(location) ? readFileSync(location, 'utf8').trim() : path.join(dataDir, 'pg');
    expect(existsSync(path.join(cluster, 'PG_VERSION'))).toBe(true);
    const health = await json(await fetch(`http://127.0.0.1:${port}/health`));
    expect(health.info).toMatchObject({
      database: { status: 'up' },
      queue: { status: 'up', mode: 'in-process' },
    });
    const docs = await fetch(`http://127.0.0.1:${port}/api/docs-json`);
    expect(Object.keys((await json(docs)).paths)).toContain('/api/users');
  });

  it.each([
    ['admin', 'Administration'],
    ['manager', 'Campaign overview'],
    ['agent', 'My queue'],
    ['owner', 'Owner dashboard'],
  ])('signs in as the demo %s in the browser and lands on that home page', async (role, heading) => {
    const password = /password "([^"]+)"/.exec(app!.output())![1];
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForURL(/\/login$/);
    await page.fill('#login', `demo.${role}`);
    await page.fill('#password', password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const home = page.getByTestId(`home-${role}`);
    await home.waitFor({ timeout: 15_000 });
    expect(await page.getByRole('heading', { level: 1 }).first().textContent()).toBe(heading);
    await context.close();
  });

  it("shows the owner the simulated weeks' figures on the dashboard, without choosing a range", async () => {
    const started = Date.now();
    while (!/demo: simulated two weeks of calls/.test(app!.output())) {
      if (Date.now() - started > 240_000) throw new Error(`no simulation in the output:\n${app!.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const password = /password "([^"]+)"/.exec(app!.output())![1];
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/login`);
    await page.fill('#login', 'demo.owner');
    await page.fill('#password', password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-testid="dashboard"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    // The simulated weeks end last week: this month may hold no call yet, and the range then
    // starts at the launch; since the launch, the follow-up export has shown kept visits.
    const figure = async (id: string) =>
      Number((await page.getByTestId(id).textContent())!.replace(/[^0-9.]/g, ''));
    expect(await figure('funnel-dials')).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Since launch' }).click();
    await page.waitForURL(/from=/);
    await page.locator('[data-testid="dashboard"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    expect(await figure('funnel-bookings')).toBeGreaterThan(0);
    expect(await figure('funnel-kept-visits')).toBeGreaterThan(0);
    await context.close();
  });

  it('shows a wrong password as an error, not a crash', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/login`);
    await page.fill('#login', 'demo.manager');
    await page.fill('#password', 'not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/wrong login or password/i).waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('keeps its data across a restart', async () => {
    const password = /password "([^"]+)"/.exec(app!.output())![1];
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'demo.admin', password }),
    });
    const { token } = await json(login);
    const created = await fetch(`http://127.0.0.1:${port}/api/practices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ slug: 'kept-across-restart', timezone: 'America/Phoenix' }),
    });
    expect(created.status).toBe(201);

    expect(await stopApp(app!)).toBe(0);
    app = await startApp(env, port);
    const again = await fetch(`http://127.0.0.1:${port}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'demo.admin', password }),
    });
    const practices = await fetch(`http://127.0.0.1:${port}/api/practices`, {
      headers: { authorization: `Bearer ${(await json(again)).token}` },
    });
    const slugs = ((await json(practices)).items as { slug: string }[]).map((p) => p.slug);
    expect(slugs).toEqual(['demo', 'kept-across-restart']);
  });

  it('stops with a clear message, not a stack trace, on a bad setting', () => {
    let stderr = '';
    try {
      execSync(`${process.execPath} dist/apps/api/src/main.js`, {
        cwd: root,
        env: { ...env, PORT: 'eighty', SESSION_IDLE_MINUTES: '-1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      stderr = String((e as { stderr: Buffer }).stderr);
      expect((e as { status: number }).status).toBe(1);
    }
    expect(stderr).toMatch(/Invalid configuration/);
    expect(stderr).toMatch(/PORT: .*\(got "eighty"\)/);
    expect(stderr).toMatch(/SESSION_IDLE_MINUTES/);
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
