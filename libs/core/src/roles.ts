export enum Role {
  Admin = 'admin',
  Manager = 'manager',
  Agent = 'agent',
  Owner = 'owner',
}

export const ROLES: readonly Role[] = [Role.Admin, Role.Manager, Role.Agent, Role.Owner];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
