import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli as cli } from './app-process';

/** The fixture the workspace browser tests call: 12 patients last seen 12–36 months ago. */
export const WORKSPACE_PATIENTS = path.resolve(__dirname, '../fixtures/dispositions/patients.csv');

export interface CliUser {
  login: string;
  role: 'admin' | 'manager' | 'agent' | 'owner';
  name: string;
  password: string;
}

/**
 * A practice as the workspace browser tests need it, built through the CLI on a migrated
 * database: its users, the fixture imported, and a reactivation campaign planned, launched and
 * given a one-day cycle, so every patient is due that day in the agents' queues.
 */
export function oneDayCampaign(
  cliEnv: NodeJS.ProcessEnv,
  o: {
    practice: string;
    practiceName: string;
    timezone: string;
    users: CliUser[];
    agents: string[];
    dataDir: string;
    start: string;
    seed: number;
  },
): { campaignId: string; cycle: { agents: { agent: string; assigned: number }[] } } {
  cli(['migrate'], cliEnv);
  cli(['practices', 'add', o.practice, '--name', o.practiceName, '--timezone', o.timezone], cliEnv);
  for (const u of o.users) {
    cli(
      ['users', 'add', '--login', u.login, '--role', u.role, '--practice', o.practice].concat([
        '--name',
        u.name,
        '--password',
        u.password,
      ]),
      cliEnv,
    );
  }
  cli(['import', '--practice', o.practice, '--patients', WORKSPACE_PATIENTS, '--json'], cliEnv);
  const settings = path.join(o.dataDir, 'settings.json');
  writeFileSync(settings, JSON.stringify({ cycleWorkingDays: 1 }));
  const created = JSON.parse(
    cli(
      [
        'campaign',
        'create',
        '--practice',
        o.practice,
        '--type',
        'reactivation',
        '--name',
        'June recall',
      ].concat(['--agents', o.agents.join(','), '--settings', settings, '--json']),
      cliEnv,
    ),
  ) as { id: string };
  cli(['campaign', 'plan', '--campaign', created.id, '--json'], cliEnv);
  cli(['campaign', 'launch', '--campaign', created.id, '--json'], cliEnv);
  const cycle = JSON.parse(
    cli(
      ['cycle', 'build', '--campaign', created.id, '--start', o.start, '--seed', String(o.seed), '--json'],
      cliEnv,
    ),
  ) as { agents: { agent: string; assigned: number }[] };
  return { campaignId: created.id, cycle };
}
