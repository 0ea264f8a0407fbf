import { PracticesService, UsersService } from '@recall/auth';
import { Role, ROLES } from '@recall/core';

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
