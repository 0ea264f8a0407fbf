import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(__dirname, '../..');

/**
 * The shell's environment minus every variable Recall reads (a newcomer's shell), plus `extra`.
 * An app on a test's own database (`DATABASE_URL` given) has managers and admins the test made
 * with a password, so the second factor is off unless `extra` sets MFA_REQUIRED_ROLES (as
 * test/e2e/mfa.e2e-spec.ts does); the embedded first run keeps the real defaults.
 */
export function appEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      /^(DATABASE_URL|REDIS_URL|TEST_ADMIN_DATABASE_URL|NODE_ENV|RECALL_|PORT|HOST|DATA_DIR|EMBEDDED_PG_PORT|LOG_LEVEL|IMPORT_|MIGRATE_ON_START|MFA_|LOGIN_)/.test(
        k,
      )
    ) {
      delete env[k];
    }
  }
  return { ...env, ...(extra.DATABASE_URL ? { MFA_REQUIRED_ROLES: 'none' } : {}), ...extra };
}

export interface RunningApp {
  child: ChildProcess;
  output: () => string;
}

/** Starts the built app exactly as `npm start` does after its build step; resolves once it is serving. */
export async function startApp(
  env: NodeJS.ProcessEnv,
  port: number,
  timeoutMs = 120_000,
): Promise<RunningApp> {
  const child = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok && out.includes('Recall is running')) return { child, output: () => out };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`app did not become healthy:\n${out}`);
    await sleep(250);
  }
}

/** Ctrl+C, as a user stops it (SIGKILL after 15 s); resolves with the exit code. */
export async function stopApp(app: RunningApp): Promise<number | null> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return app.child.exitCode;
  const exited = new Promise<number | null>((r) => app.child.once('exit', (code) => r(code)));
  app.child.kill('SIGINT');
  const killed = setTimeout(() => app.child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(killed);
  return code;
}

/** Runs the built `recall` CLI (as a data person's script would) and returns its stdout. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): string {
  const res = spawnSync(process.execPath, [path.join(root, 'dist/apps/cli/src/main.js'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`recall ${args.join(' ')} failed:\n${res.stderr}${res.stdout}`);
  return res.stdout;
}
