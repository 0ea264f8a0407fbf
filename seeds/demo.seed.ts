import { PracticesService, UsersService } from '@recall/auth';
import { CampaignsService } from '@recall/campaigns';
import { repoRoot, Role, ROLES } from '@recall/core';
import { ImportsService } from '@recall/imports';
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
