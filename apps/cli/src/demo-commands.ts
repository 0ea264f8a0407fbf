import { DomainError, FixedClock } from '@recall/core';
import { DemoSimulator, demoSummaryLines, type DemoProgress } from '@recall/simulation';
import { Command } from 'commander';
import { DateTime } from 'luxon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { note, type Output, withApp } from './runtime';

const whole = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw DomainError.invalid(`--${name}: a whole number`);
  return Number(v);
};

function progressBar(): (p: DemoProgress) => void {
  const started = Date.now();
  let lastWeek = '';
  return (p) => {
    const fraction = p.daysTotal > 0 ? p.daysDone / p.daysTotal : 0;
    if (!process.stderr.isTTY) {
      const week = p.phase.split(',')[0];
      if (week !== lastWeek) note(`${week}… (${p.calls.toLocaleString('en-US')} calls)`);
      lastWeek = week;
      return;
    }
    const seconds = (Date.now() - started) / 1000;
    const width = 28;
    const filled = Math.round(fraction * width);
    const eta = fraction > 0 && fraction < 1 ? Math.round((seconds / fraction) * (1 - fraction)) : 0;
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
        `${p.calls.toLocaleString('en-US')} calls  ${Math.round(p.calls / Math.max(seconds, 0.001)).toLocaleString('en-US')} calls/s` +
        `${eta ? `  ETA ${eta}s` : ''}  ${p.phase.padEnd(22)}`,
    );
  };
}

export function registerDemoCommand(program: Command, out: () => Output): void {
  program
    .command('demo')
    .description(
      'simulate a call center on a generated EMR export and print the ROI report (seeded: same seed, same report)',
    )
    .option('--agents <n>', 'agents', whole('agents'), 4)
    .option('--patients <n>', 'patients in the generated export', whole('patients'), 5000)
    .option('--weeks <n>', 'weeks of calls', whole('weeks'), 4)
    .option('--seed <n>', 'seed of every random choice', whole('seed'), 42)
    .option('--practice <slug>', 'practice to create or reuse', 'demo-sim')
    .option('--start <monday>', 'the Monday the campaigns launch', '2026-02-02')
    .action(
      async (opts: {
        agents: number;
        patients: number;
        weeks: number;
        seed: number;
        practice: string;
        start: string;
      }) => {
        const zone = 'America/New_York';
        const clock = new FixedClock(DateTime.fromISO(opts.start, { zone }).set({ hour: 6 }));
        const workDir = mkdtempSync(path.join(tmpdir(), 'recall-demo-'));
        try {
          const result = await withApp(async (app) => {
            const sim = new DemoSimulator(app, clock);
            const run = await sim.run(
              {
                practice: {
                  slug: opts.practice,
                  name: `Simulated practice (${opts.practice})`,
                  timezone: zone,
                },
                agentLogins: Array.from({ length: opts.agents }, (_, i) => `${opts.practice}.agent${i + 1}`),
                patients: opts.patients,
                weeks: opts.weeks,
                seed: opts.seed,
                start: opts.start,
                workDir,
              },
              progressBar(),
            );
            if (process.stderr.isTTY) process.stderr.write('\n');
            return run;
          }, clock);
          out().result(result, demoSummaryLines(result));
        } finally {
          rmSync(workDir, { recursive: true, force: true });
        }
      },
    );
}
