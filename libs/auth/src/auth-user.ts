import { DomainError, Role } from '@recall/core';

export interface PracticeRef {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}

/** The signed-in user as every request sees it. */
export interface AuthUser {
  id: string;
  login: string;
  displayName: string;
  role: Role;
  practices: PracticeRef[];
  sessionId?: string;
}

export function practiceIdsOf(user: AuthUser): string[] {
  return user.practices.map((p) => p.id);
}

/** Application-level tenant wall: throws unless the user belongs to the practice. */
export function assertPracticeAccess(user: AuthUser, practiceId: string): void {
  if (!user.practices.some((p) => p.id === practiceId)) {
    // Not "forbidden": another practice's records must not even be confirmed to exist.
    throw DomainError.notFound('practice');
  }
}
