import type { INestApplicationContext } from '@nestjs/common';
import { PracticesService, UsersService } from '@recall/auth';
import { CampaignsService } from '@recall/campaigns';
import { FixedClock, repoRoot, Role, ROLES } from '@recall/core';
import { ImportsService } from '@recall/imports';
import { DemoSimulator } from '@recall/simulation';
import type { DateTime } from 'luxon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const DEMO_PRACTICE = { slug: 'demo', name: 'Demo Family Practice', timezone: 'America/New_York' };
export const DEMO_PASSWORD = 'recall-demo-2026';

export const DEMO_USERS: { login: string; displayName: string; role: Role }[] = ROLES.map((role) => ({
  login: `demo.${role}`,
  displayName: `Demo ${role[0].toUpperCase()}${role.slice(1)}`,
  role,
}));

interface SeedServices {
  practices: PracticesService;
  users: UsersService;
}

/** Idempotent: creates the demo practice and one user per role when missing. */
export async function seedDemo({ practices, users }: SeedServices): Promise<{ created: boolean }> {
  const existing = await practices.list();
  if (existing.some((p) => p.slug === DEMO_PRACTICE.slug)) return { created: false };
  await practices.create(DEMO_PRACTICE);
  for (const user of DEMO_USERS) {
    await users.create({ ...user, practiceSlugs: [DEMO_PRACTICE.slug], password: DEMO_PASSWORD });
  }
  return { created: true };
}

/** The demo practice's EMR export: Synthea's sample patients and encounters. */
export const DEMO_EXPORT = {
  patients: path.join(repoRoot(), 'seeds/data/synthea/patients.csv'),
  encounters: path.join(repoRoot(), 'seeds/data/synthea/encounters.csv'),
};

/** Idempotent: imports the demo export once, through the same path a manager's upload takes. */
export async function seedDemoImport(
  imports: ImportsService,
  practices: PracticesService,
): Promise<{ imported: boolean }> {
  const practice = await practices.findBySlug(DEMO_PRACTICE.slug);
  if ((await imports.list(practice.id, 1)).length > 0) return { imported: false };
  const draft = await imports.createDraft(
    practice.id,
    [
      { kind: 'patients', name: 'patients.csv', path: DEMO_EXPORT.patients, owned: false },
      { kind: 'encounters', name: 'encounters.csv', path: DEMO_EXPORT.encounters, owned: false },
    ],
    null,
  );
  await imports.start(
    practice.id,
    draft.id,
    { mapping: draft.mapping, profileName: draft.suggestedProfile, enqueue: false },
    null,
  );
  const done = await imports.runInline(draft.id);
  if (done.status !== 'succeeded') throw new Error(`demo import ${done.status}: ${done.error ?? ''}`);
  return { imported: true };
}

/** Idempotent: a planned reactivation campaign staffed by the demo agent, ready to launch. */
export async function seedDemoCampaign(
  campaigns: CampaignsService,
  practices: PracticesService,
): Promise<{ created: boolean }> {
  const practice = await practices.findBySlug(DEMO_PRACTICE.slug);
  if ((await campaigns.list(practice.id)).length > 0) return { created: false };
  const campaign = await campaigns.create(
    practice.id,
    {
      type: 'reactivation',
      name: 'Reactivation (demo)',
      agentLogins: ['demo.agent'],
      settings: { callbackNumber: '(555) 010-0100' },
    },
    null,
  );
  await campaigns.savePlan(practice.id, campaign.id, {});
  return { created: true };
}

/** The short simulated demo of the first run: two agents, 200 patients, the last two weeks. */
export const DEMO_SIMULATION = { agents: ['demo.agent', 'demo.agent2'], patients: 200, weeks: 2, seed: 2026 };

/**
 * Idempotent: simulates two weeks of calls in the demo practice, ending last week, so the
 * dashboards and reports have data. It runs in its own application context whose FixedClock
 * walks through those weeks (`createContext` builds it); the API keeps the real clock.
 */
export async function seedDemoSimulation(
  createContext: (clock: FixedClock) => Promise<INestApplicationContext>,
  practices: PracticesService,
  campaigns: CampaignsService,
  now: DateTime,
): Promise<{ simulated: boolean; calls: number; seconds: number }> {
  const practice = await practices.findBySlug(DEMO_PRACTICE.slug);
  if ((await campaigns.list(practice.id)).some((c) => c.name.includes('(simulated:'))) {
    return { simulated: false, calls: 0, seconds: 0 };
  }
  const started = Date.now();
  const local = now.setZone(practice.timezone);
  const start = local.startOf('week').minus({ weeks: DEMO_SIMULATION.weeks });
  const clock = new FixedClock(start);
  const app = await createContext(clock);
  const workDir = mkdtempSync(path.join(tmpdir(), 'recall-demo-'));
  try {
    const result = await new DemoSimulator(app, clock).run({
      practice: DEMO_PRACTICE,
      agentLogins: DEMO_SIMULATION.agents,
      agentPassword: DEMO_PASSWORD,
      patients: DEMO_SIMULATION.patients,
      weeks: DEMO_SIMULATION.weeks,
      seed: DEMO_SIMULATION.seed,
      start: start.toISODate()!,
      followUpAt: local.minus({ minutes: 1 }).toISO()!,
      workDir,
    });
    return { simulated: true, calls: result.calls, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    await app.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
