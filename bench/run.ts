/**
 * Benchmarks, by name:
 *   npm run bench -- import [--rows 200000] [--threads N] [--seed 42]
 *   npm run bench -- campaigns [--patients 100000] [--visits-per-patient 4] [--runs 5] [--seed 42]
 *   npm run bench -- cycles [--patients 1000000] [--members 125000] [--agents 50] [--fetches 20]
 *   npm run bench -- dispositions [--agents 50] [--patients 20000] [--seconds 60] [--seed 42]
 *   npm run bench -- reports [--attempts 5000000] [--agents 50] [--runs 20] [--seed 42]
 *   npm run bench -- sessions [--users 2000] [--ended 200000] [--requests 5000]
 *   npm run bench -- load [--agents 200] [--patients 100000] [--seconds 300] [--import-rows 100000] [--seed 42]
 */
const BENCHMARKS: Record<string, { about: string; run: (argv: string[]) => Promise<void> }> = {
  import: {
    about: 'EMR import end to end vs psql \\copy of the same generated export',
    run: async (argv) => (await import('./import.bench')).runImportBench(argv),
  },
  campaigns: {
    about: 'eligibility breakdown, per-reason list, explain and launch over a generated practice',
    run: async (argv) => (await import('./campaigns.bench')).runCampaignsBench(argv),
  },
  cycles: {
    about: 'cycle build (125k assignments, 50 agents) and concurrent queue fetches on 1M patients',
    run: async (argv) => (await import('./cycles.bench')).runCyclesBench(argv),
  },
  dispositions: {
    about: '50 agents posting call outcomes through the API: throughput, latency, cap and idempotency checks',
    run: async (argv) => (await import('./dispositions.bench')).runDispositionsBench(argv),
  },
  reports: {
    about: 'every report from the rollups and a raw drill-down over 5M attempts; writers during a refresh',
    run: async (argv) => (await import('./reports.bench')).runReportsBench(argv),
  },
  load: {
    about:
      'agents working their queues (queue, start call, disposition), an owner dashboard and an import, through the API',
    run: async (argv) => (await import('./load.bench')).runLoadBench(argv),
  },
  sessions: {
    about: 'session checks and sign-ins on a realistic session table',
    // sessions.bench reads its flags from process.argv and runs when loaded.
    run: async () => {
      await import('./sessions.bench');
    },
  },
};

async function main(): Promise<void> {
  const [name, ...argv] = process.argv.slice(2);
  const bench = name === undefined ? undefined : BENCHMARKS[name];
  if (!bench) {
    process.stderr.write(
      `usage: npm run bench -- <name> [flags]\n${Object.entries(BENCHMARKS)
        .map(([n, b]) => `  ${n.padEnd(10)} ${b.about}`)
        .join('\n')}\n`,
    );
    process.exit(name === undefined ? 0 : 2);
  }
  await bench.run(argv);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
