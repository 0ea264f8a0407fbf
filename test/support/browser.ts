import { rmSync } from 'node:fs';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import type { ScratchDatabase } from '../../libs/database/src/scratch-database';
import { stopApp, type RunningApp } from './app-process';

/** Debian's Chromium (`apt-get install chromium`); tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** A page that collects uncaught page errors (tests assert there were none). */
export async function openPage(
  browser: Browser,
  options: { width: number; height: number; acceptDownloads?: boolean },
): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({
    acceptDownloads: options.acceptDownloads ?? false,
    viewport: { width: options.width, height: options.height },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { context, page, pageErrors };
}

/** Tears down what an e2e file's setup started, whether or not the setup finished. */
export async function tearDown(parts: {
  setup?: Promise<void>;
  browser?: Browser;
  app?: RunningApp;
  db?: ScratchDatabase;
  dataDir?: string;
}): Promise<void> {
  await parts.setup?.catch(() => undefined); // a timed-out setup may still be starting things
  await parts.browser?.close();
  if (parts.app) await stopApp(parts.app);
  await parts.db?.drop();
  if (parts.dataDir) rmSync(parts.dataDir, { recursive: true, force: true });
}
