import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const stamp = path.join(root, 'dist/.e2e-build');
const lock = path.join(root, 'dist/.e2e-build.lock');

/**
 * Builds the app (server and web, as `npm start` does) once per test run, however many e2e
 * files need it; concurrent callers wait for the one building.
 */
export async function ensureBuilt(): Promise<void> {
  const run = process.env.RECALL_TEST_RUN ?? 'manual';
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === run) return;
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === run) return;
    // As `npm start` builds it: jest's NODE_ENV=test would give a development web bundle.
    execSync('npm run --silent build', {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    writeFileSync(stamp, run);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
