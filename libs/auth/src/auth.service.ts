import { Injectable } from '@nestjs/common';
import { AuditService } from '@recall/audit';
import { DomainError, DomainErrorCode, RequestContext } from '@recall/core';
import { AuthUser } from './auth-user';
import { verifyPassword } from './password';
import { SessionsService } from './sessions.service';
import { toAuthUser, UsersService } from './users.service';

// Verified against when the login is unknown, so response time does not reveal which logins exist.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$j2Bvv4Kaf6oOMH8dR0WpeQ$JA78xFrDQCboaXSiE/VvSJrblKl8xgM1yMQAL8GJdVI';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async login(login: string, password: string): Promise<{ token: string; expiresAt: Date; user: AuthUser }> {
    const user = await this.users.findForLogin(login);
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !ok || !user.isActive) {
      await this.audit.record({
        action: 'auth.login',
        outcome: 'failure',
        actor: { userId: user?.id ?? null, login: login.trim().toLowerCase().slice(0, 100) },
        details: { reason: !user ? 'unknown login' : !ok ? 'wrong password' : 'inactive' },
      });
      throw new DomainError(DomainErrorCode.Unauthenticated, 'Wrong login or password');
    }
    const session = await this.sessions.create(user.id);
    RequestContext.setActor(user.id, user.login);
    await this.audit.record({ action: 'auth.login', entityType: 'session', entityId: session.sessionId });
    return { token: session.token, expiresAt: session.expiresAt, user: toAuthUser(user) };
  }

  /** The user behind a token, or undefined if the session is over. */
  async authenticate(token: string): Promise<AuthUser | undefined> {
    const session = await this.sessions.touch(token);
    if (!session) return undefined;
    const user = await this.users.loadActive(session.userId);
    return user ? { ...user, sessionId: session.sessionId } : undefined;
  }

  async logout(user: AuthUser): Promise<void> {
    if (user.sessionId) await this.sessions.revoke(user.sessionId, 'logout');
    await this.audit.record({ action: 'auth.logout', entityType: 'session', entityId: user.sessionId });
  }
}
