import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { createScratchDatabase, ScratchDatabase } from '../../libs/database/src/scratch-database';
import { appEnv, runCli as cli, startApp, type RunningApp } from '../support/app-process';
import { launchChromium, openPage, tearDown } from '../support/browser';
import { ensureBuilt } from '../support/build';
import { freePort } from '../support/free-port';

const root = path.resolve(__dirname, '../..');
const PATIENTS = path.join(root, 'test/fixtures/dispositions/patients.csv');
// Monday 2026-06-15, 10:00 in Chicago; the calls are entered that evening.
const LAUNCH_AT = '2026-06-15T15:00:00Z';
const ENTERED_AT = '2026-06-15T23:00:00Z';
// Tuesday morning: Monday's sample is drawn and the app runs from then on.
const NOW = '2026-06-16T14:00:00Z';
const PRACTICE = 'lakeshore';
const MANAGER = { login: 'lakeshore.manager', password: 'manager-pass-2026' };
const AGENT = { login: 'lakeshore.ann', password: 'agent-pass-2026', name: 'Ann Agent' };
const SETUP_MS = 300_000;
const STEP_MS = 90_000;

describe('QA reviews in the browser', () => {
  let db: ScratchDatabase | undefined;
  let dataDir: string | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let base: string;
  let setup: Promise<void> | undefined;
  const pageErrors: string[] = [];

  beforeAll(() => {
    setup = prepare();
    return setup;
  }, SETUP_MS);

  async function prepare(): Promise<void> {
    await ensureBuilt();
    const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run through jest (global setup)');
    db = await createScratchDatabase(adminUrl, 'recall_e2e');
    dataDir = mkdtempSync(path.join(tmpdir(), 'recall-quality-e2e-'));
    const env = { DATABASE_URL: db.url, RECALL_DEMO: 'false', DATA_DIR: dataDir };
    const at = (now: string) => appEnv({ ...env, RECALL_NOW: now, LOG_LEVEL: 'silent' });
    cli(['migrate'], at(LAUNCH_AT));
    cli(
      ['practices', 'add', PRACTICE, '--name', 'Lakeshore Clinic', '--timezone', 'America/Chicago'],
      at(LAUNCH_AT),
    );
    const addUser = (login: string, role: string, name: string, password: string) =>
      cli(
        ['users', 'add', '--login', login, '--role', role, '--practice', PRACTICE].concat([
          '--name',
          name,
          '--password',
          password,
        ]),
        at(LAUNCH_AT),
      );
    addUser(MANAGER.login, 'manager', 'Morgan Manager', MANAGER.password);
    addUser(AGENT.login, 'agent', AGENT.name, AGENT.password);
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
          'June recall',
        ].concat(['--agents', AGENT.login, '--json']),
        at(LAUNCH_AT),
      ),
    ) as { id: string };
    cli(['campaign', 'plan', '--campaign', created.id, '--json'], at(LAUNCH_AT));
    cli(['campaign', 'launch', '--campaign', created.id, '--json'], at(LAUNCH_AT));
    const calls: [string, string, string, string?][] = [
      ['K1', 'DONE', '2026-06-15T11:00:00-05:00', '2026-06-22T09:30'],
      ['K2', 'HUNGUP', '2026-06-15T11:30:00-05:00'],
      ['K3', 'NOANS', '2026-06-15T12:00:00-05:00'],
    ];
    for (const [mrn, code, when, appointment] of calls) {
      cli(
        ['disposition', '--campaign', created.id, '--mrn', mrn, '--agent', AGENT.login, '--code', code]
          .concat(['--at', when], appointment ? ['--appointment', appointment] : [])
          .concat(['--json']),
        at(ENTERED_AT),
      );
    }
    // Every contact sampled, so the queue is known: K1's booking and K2's hang-up.
    cli(['qa', 'settings', '--practice', PRACTICE, '--share', '100%', '--json'], at(NOW));
    const sample = JSON.parse(
      cli(['qa', 'sample', '--practice', PRACTICE, '--seed', '7', '--json'], at(NOW)),
    ) as { day: string; contacts: number; sampled: number; seed: number };
    expect(sample).toMatchObject({ day: '2026-06-15', contacts: 2, sampled: 2, seed: 7 });

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
  }

  afterAll(() => tearDown({ setup, browser, app, db, dataDir }), SETUP_MS);

  async function signIn(login: string, password: string): Promise<Page> {
    const opened = await openPage(browser!, { width: 1280, height: 900 });
    opened.page.on('pageerror', (e) => pageErrors.push(e.message));
    const page = opened.page;
    await page.goto(`${base}/login`);
    await page.fill('#login', login);
    await page.fill('#password', password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    return page;
  }

  it(
    'a manager scores a sampled call from the queue, and the agent sees the score and the comment',
    async () => {
      const manager = await signIn(MANAGER.login, MANAGER.password);
      await manager
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'QA reviews' })
        .click();
      await manager.getByTestId('quality-page').waitFor();
      const queue = manager.getByTestId('qa-queue');
      await queue.locator('tbody [data-testid="qa-review-row"]').nth(1).waitFor();
      expect(await queue.getByTestId('qa-review-row').count()).toBe(2);
      expect(await manager.getByTestId('qa-latest-sample').innerText()).toContain(
        'Latest sample: 2026-06-15, 2 of 2 contacts at 100% (seed 7)',
      );
      await manager.getByRole('button', { name: /Review Ann Agent's call with Kara Abbott/ }).click();

      const review = manager.getByTestId('qa-review');
      await review.waitFor();
      expect(await review.getByTestId('qa-call').innerText()).toContain('DONE');
      // Saving with a criterion left out names it, next to its field, and sends nothing.
      await review.locator('#qa-opening-4').check();
      await review.getByRole('button', { name: 'Save score' }).click();
      expect(await review.getByRole('alert').first().innerText()).toBe('Score Probing.');
      for (const key of ['probing', 'empathy', 'resolution', 'scriptAdherence', 'closing', 'compliance']) {
        await review.locator(`#qa-${key}-${key === 'empathy' ? 5 : 4}`).check();
      }
      await review.getByRole('button', { name: 'Save score' }).click();
      expect(await review.getByRole('alert').first().innerText()).toBe(
        'Say whether the disposition code was right.',
      );
      await review.locator('#qa-code-yes').check();
      await review.locator('#qa-appointment-yes').check();
      await review
        .getByLabel('Comments for the agent')
        .fill('Warm opening; read the date back to the patient.');
      await review.getByRole('button', { name: 'Save score' }).click();
      // (6 × 4 + 5) / 7 = 4.14
      await review.getByRole('status').filter({ hasText: 'Saved: 4.14 / 5 for Ann Agent.' }).waitFor();
      expect(await review.getByTestId('qa-score').innerText()).toContain('4.14 / 5 by lakeshore.manager');

      await review.getByRole('button', { name: 'Back to the list' }).click();
      await queue.getByTestId('qa-review-row').first().waitFor();
      expect(await queue.getByTestId('qa-review-row').count()).toBe(1);
      await manager.getByRole('button', { name: 'Scored' }).click();
      const scored = manager.getByTestId('qa-scored');
      await scored.getByTestId('qa-review-row').first().waitFor();
      expect(await scored.innerText()).toContain('4.14 / 5');

      // Any call: K3's no-answer was not sampled; the manager picks it from the day's calls.
      await manager.getByRole('button', { name: 'Review any call' }).click();
      await manager.locator('#qa-calls-day').fill('2026-06-15');
      const callRows = manager.getByTestId('qa-calls').getByTestId('qa-call-row');
      await callRows.nth(2).waitFor();
      await manager.getByRole('button', { name: /Review the NOANS call/ }).click();
      await review.waitFor();
      expect(await review.getByTestId('qa-call').innerText()).toContain('Picked by a supervisor');

      const agent = await signIn(AGENT.login, AGENT.password);
      await agent
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'My QA reviews' })
        .click();
      const mine = agent.getByTestId('qa-mine-item');
      await mine.first().waitFor();
      expect(await mine.count()).toBe(1);
      expect(await mine.getByTestId('qa-mine-score').innerText()).toBe('4.14 / 5');
      expect(await mine.getByTestId('qa-mine-comments').innerText()).toBe(
        'Warm opening; read the date back to the patient.',
      );
      expect(await mine.innerText()).toContain('Empathy');
      // The agent has no way into the queue.
      expect(await agent.getByRole('link', { name: 'QA reviews', exact: true }).count()).toBe(0);
      const me = (await (await agent.request.get(`${base}/api/auth/me`)).json()) as {
        user: { practices: { id: string }[] };
      };
      const refused = await agent.request.get(`${base}/api/practices/${me.user.practices[0].id}/qa/reviews`);
      expect(refused.status()).toBe(403);
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});
