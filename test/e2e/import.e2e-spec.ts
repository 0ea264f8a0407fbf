import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { createScratchDatabase, ScratchDatabase } from '../../libs/database/src/scratch-database';
import { ensureBuilt } from '../support/build';
import { appEnv, startApp, type RunningApp } from '../support/app-process';
import { launchChromium, openPage, tearDown } from '../support/browser';
import { freePort } from '../support/free-port';

const root = path.resolve(__dirname, '../..');
const FIXTURE = path.join(root, 'test/fixtures/imports/browser/patients-odd-headers.csv');
// jest 29 ignores a project's testTimeout, so every hook and test says how long it may take.
const SETUP_MS = 240_000;
const STEP_MS = 90_000;

// CSV ----------------------------------------------------------------------------------------------

/** RFC 4180 records (quoted cells, doubled quotes, CRLF or LF). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) records.push([...cells, cell]);
  return records;
}

// The test -----------------------------------------------------------------------------------------

describe('importing a patient list in the browser', () => {
  let db: ScratchDatabase | undefined;
  let dataDir: string | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let base: string;
  let pageErrors: string[] = [];
  let setup: Promise<void> | undefined;

  const card = () => page.getByTestId('file-patients');
  const preview = () => page.getByTestId('preview-patients');
  const previewRow = (line: number) => preview().locator(`tbody tr[data-line="${line}"]`);

  beforeAll(() => {
    setup = prepare();
    return setup;
  }, SETUP_MS);

  async function prepare(): Promise<void> {
    await ensureBuilt(); // once per test run, shared with the other e2e files
    const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run through jest (global setup)');
    db = await createScratchDatabase(adminUrl, 'recall_e2e');
    dataDir = mkdtempSync(path.join(tmpdir(), 'recall-import-e2e-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startApp(
      appEnv({
        DATABASE_URL: db.url,
        MIGRATE_ON_START: 'true',
        RECALL_DEMO: 'true',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      }),
      port,
    );
    browser = await launchChromium();
    ({ page, pageErrors } = await openPage(browser, {
      width: 1400,
      height: 1000,
      acceptDownloads: true,
    }));
  }

  afterAll(() => tearDown({ setup, browser, app, db, dataDir }), SETUP_MS);

  it(
    'signs in as the demo manager and opens Imports',
    async () => {
      const password = /password "([^"]+)"/.exec(app!.output())?.[1] ?? 'recall-demo-2026';
      await page.goto(`${base}/`);
      await page.waitForURL(/\/login$/);
      await page.fill('#login', 'demo.manager');
      await page.fill('#password', password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('home-manager').waitFor();

      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allTextContents()).toEqual([
        'Overview',
        'Imports',
        'Campaigns',
        'Cycles',
        'Escalations',
        'Transfers & de-escalation',
        'QA reviews',
        'Do-not-call',
        'Patients',
        'Duplicates',
        'Owner dashboard',
        'Reports',
      ]);
      await nav.getByRole('link', { name: 'Imports' }).click();
      await page.getByTestId('imports').waitFor();
      // The history has loaded (the demo seed may have imported its own export already).
      await page.getByTestId('import-history').getByText('Loading…').waitFor({ state: 'detached' });
    },
    STEP_MS,
  );

  it(
    'uploads the file and previews it with the suggested mapping',
    async () => {
      await page.getByRole('button', { name: 'New import' }).click();
      await page.getByLabel('Patients file').setInputFiles(FIXTURE);
      await page.getByRole('button', { name: 'Upload and preview' }).click();
      await previewRow(3).waitFor();

      // How the file was read: comma-delimited, a title line skipped, headers on line 2.
      const facts = await card().locator('dl.format').innerText();
      expect(facts).toMatch(/UTF-8/);
      expect(facts).toMatch(/comma/);
      expect(facts).toMatch(/line 2 \(14 columns\)/);
      expect(facts).toContain('Patient Demographics Export - Lakeview Family Medicine');

      // The suggestion maps the odd headers but not "Txt Msg #".
      const mobile = page.getByLabel('Mobile phone', { exact: true });
      expect(await mobile.inputValue()).toBe('');
      expect(await page.getByLabel('Patient id (MRN)').inputValue()).toBe('Chart #');
      expect(await page.getByLabel('Home phone', { exact: true }).inputValue()).toBe('Home Ph');
      expect(await card().locator('.unmapped').innerText()).toContain('Txt Msg #');

      // Parsed values: the home phone only, in E.164.
      const first = await previewRow(3).innerText();
      expect(first).toContain('Whitaker, Eleanor');
      expect(first).toContain('1956-03-14');
      expect(first).toContain('+16172324410');
      expect(first).not.toContain('+16175552368');

      // The two bad rows are rejected, a warning marks its cell, and every reason is listed.
      const rejected = preview().locator('tr.row-rejected');
      expect(await rejected.count()).toBe(2);
      expect(await rejected.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line')))).toEqual([
        '7',
        '10',
      ]);
      expect(await previewRow(7).innerText()).toContain('no patient id');
      expect(await previewRow(10).innerText()).toContain('no name');
      const warned = previewRow(12).locator('td.cell-warning');
      expect(await warned.count()).toBe(1);
      expect(await warned.getAttribute('title')).toMatch(/not an email address/);
      const issues = await preview().locator('.issue-list').innerText();
      expect(issues).toMatch(/Line 7 · Chart # · rejected: no patient id/);
      expect(issues).toMatch(/Line 10 · Patient Last Name · rejected: no name/);
      expect(issues).toMatch(/Line 13 · Zip Code · warning: ZIP '2108' lost its leading zero/);
    },
    STEP_MS,
  );

  it(
    'maps "Txt Msg #" to the mobile phone and previews again',
    async () => {
      await page.getByLabel('Mobile phone', { exact: true }).selectOption('Txt Msg #');
      await page.getByText('The mapping changed since this preview.').waitFor();
      await page.getByRole('button', { name: 'Preview', exact: true }).click();
      await previewRow(3).filter({ hasText: '+16175552368' }).waitFor();
      await page.getByText('The mapping changed since this preview.').waitFor({ state: 'detached' });

      const phones = await previewRow(3).locator('.phone').allInnerTexts();
      expect(phones.map((p) => p.replace(/\s+/g, ' ').trim())).toEqual([
        '+16175552368 mobile',
        '+16172324410 home',
      ]);
      // An extension is kept apart from the number.
      expect(await previewRow(6).locator('.phone').first().innerText()).toMatch(
        /\+15086218832\s+ext\. 12\s+mobile/,
      );
      expect(await card().locator('.unmapped').count()).toBe(0);
      expect(await page.getByTestId('mapping-problems').count()).toBe(0);
    },
    STEP_MS,
  );

  it(
    'runs the import and shows its summary and rejected rows',
    async () => {
      await page.getByRole('button', { name: 'Start import' }).click();
      const summary = page.getByTestId('import-summary');
      await summary.waitFor({ timeout: 60_000 });
      const count = async (name: string) => (await summary.getByTestId(`count-${name}`).innerText()).trim();
      expect(await count('totalRows')).toBe('12');
      expect(await count('accepted')).toBe('10');
      expect(await count('rejected')).toBe('2');
      expect(await count('created')).toBe('10');
      expect(await count('updated')).toBe('0');
      expect(await count('unchanged')).toBe('0');
      expect(await count('warnings')).toBe('2');
      expect(await count('possibleDuplicates')).toBe('1');

      const rejected = page.getByTestId('rejected-rows').locator('tbody tr');
      await rejected.nth(1).waitFor();
      expect(await rejected.count()).toBe(2);
      expect((await rejected.nth(0).innerText()).split('\t').slice(1, 4)).toEqual([
        '7',
        'Chart #',
        'no patient id',
      ]);
      expect((await rejected.nth(1).innerText()).split('\t').slice(1, 4)).toEqual([
        '10',
        'Patient Last Name',
        'no name',
      ]);

      // The history lists it with its counts.
      const ours = page
        .getByTestId('import-history')
        .locator('tbody tr', { hasText: 'patients-odd-headers.csv' });
      await ours.filter({ hasText: 'Succeeded' }).waitFor();
      expect(await ours.count()).toBe(1);
      const row = await ours.innerText();
      expect(row).toContain('10 / 2');
      expect(row).toContain('10 / 0 / 0');
    },
    STEP_MS,
  );

  it(
    'downloads the rejected rows as CSV',
    async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download rejected rows (CSV)' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/rejected\.csv$/);
      const file = await download.path();
      const [header, ...rows] = parseCsv(readFileSync(file!, 'utf8')).filter((r) => r.join('') !== '');
      expect(header).toEqual(['file', 'line', 'column', 'reason', 'original_row']);
      expect(rows.map((r) => r.slice(0, 4))).toEqual([
        ['patients', '7', 'Chart #', 'no patient id'],
        ['patients', '10', 'Patient Last Name', 'no name'],
      ]);
      expect(rows[0][4]).toMatch(/^,Nguyen,Thi,08\/19\/1968,/);
      expect(rows[1][4]).toMatch(/^10008,,,04\/04\/1984,/);
    },
    STEP_MS,
  );

  it(
    'finds an imported patient with the mobile phone from "Txt Msg #"',
    async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
      await page.getByTestId('patients').waitFor();
      await page.getByLabel('Search patients').fill('okafor');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const table = page.getByTestId('patient-table');
      await table.getByText('1 patient matching “okafor”').waitFor();
      const row = table.locator('tbody tr');
      expect(await row.count()).toBe(1);
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      expect(text).toContain('10002');
      expect(text).toContain('Okafor, Daniel');
      expect(text).toContain('+18572317745 mobile');

      await row.getByRole('button', { name: 'Okafor, Daniel' }).click();
      const detail = page.getByTestId('patient-detail');
      await detail.locator('dl').waitFor();
      const facts = (await detail.innerText()).replace(/\s+/g, ' ');
      expect(facts).toContain('Callable');
      expect(facts).toContain('America/New_York (from the ZIP)');
      expect(facts).toContain('48 Elm Ave, Cambridge, MA 02139');
    },
    STEP_MS,
  );

  it(
    'shows the flagged duplicate side by side and merges it',
    async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Duplicates' }).click();
      const pair = page.getByTestId('duplicate-pair').filter({ hasText: 'Whitaker, Eleanor' });
      await pair.waitFor();
      const text = await pair.innerText();
      expect(text).toContain('Same name and date of birth');
      expect(text).toMatch(/MRN\s+10001/);
      expect(text).toMatch(/MRN\s+10011/);
      const leftMrn = (await pair.locator('.pair-side').first().locator('h3 code').innerText()).trim();
      const rightMrn = (await pair.locator('.pair-side').nth(1).locator('h3 code').innerText()).trim();

      page.once('dialog', (d) => void d.accept());
      await pair.getByRole('button', { name: 'Keep left' }).click();
      await page.getByText(`MRN ${rightMrn} was merged into MRN ${leftMrn}.`).waitFor();
      await pair.waitFor({ state: 'detached' });
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});
