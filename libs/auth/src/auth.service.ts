import { Injectable } from '@nestjs/common';
import { AuditService } from '@recall/audit';
import { DomainError, DomainErrorCode, RequestContext } from '@recall/core';
import { AuthUser } from './auth-user';
import { LoginLockoutService, normalizeLogin } from './login-lockout.service';
import { ChallengeChannel, MfaChallenge, MfaEnrollment, MfaService } from './mfa.service';
import { verifyPassword } from './password';
import { SessionsService } from './sessions.service';
import { toAuthUser, UsersService } from './users.service';

// Verified against when the login is unknown, so response time does not reveal which logins exist.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$j2Bvv4Kaf6oOMH8dR0WpeQ$JA78xFrDQCboaXSiE/VvSJrblKl8xgM1yMQAL8GJdVI';

export interface SignedIn {
  token: string;
  expiresAt: Date;
  user: AuthUser;
  /** How the sign-in began: the browser gets a cookie, an API client the token. */
  channel: ChallengeChannel;
}

/** The password was right; the second step is a code (`mfaRequired`) or setting one up. */
export interface SecondStep {
  mfaRequired?: true;
  mfaEnrollmentRequired?: true;
  challengeToken: string;
  expiresAt: Date;
}

export type LoginResult = ({ kind: 'session' } & SignedIn) | ({ kind: 'second-step' } & SecondStep);

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly mfa: MfaService,
    private readonly lockout: LoginLockoutService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The password step. A user with a second factor gets a challenge for the code; one whose
   * role requires a second factor and who has none gets a challenge to set one up; anyone else
   * a session.
   */
  async login(login: string, password: string, channel: ChallengeChannel = 'token'): Promise<LoginResult> {
    await this.lockout.assertNotLocked(login);
    const user = await this.users.findForLogin(login);
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !ok || !user.isActive) {
      if (!user || !ok) await this.lockout.recordFailure(login, user?.id ?? null);
      await this.audit.record({
        action: 'auth.login',
        outcome: 'failure',
        actor: { userId: user?.id ?? null, login: normalizeLogin(login) },
        details: { reason: !user ? 'unknown login' : !ok ? 'wrong password' : 'inactive' },
      });
      throw new DomainError(DomainErrorCode.Unauthenticated, 'Wrong login or password');
    }
    const enrolled = await this.mfa.isEnrolled(user.id);
    if (enrolled || this.mfa.requiredFor(user.role)) {
      const purpose = enrolled ? 'verify' : 'enroll';
      const challenge = await this.mfa.createChallenge(user.id, purpose, channel);
      await this.audit.record({
        action: 'auth.login.password',
        actor: { userId: user.id, login: user.login },
        entityType: 'user',
        entityId: user.id,
        details: { next: enrolled ? 'mfa code' : 'mfa enrolment' },
      });
      return enrolled
        ? { kind: 'second-step', mfaRequired: true, ...challenge }
        : { kind: 'second-step', mfaEnrollmentRequired: true, ...challenge };
    }
    return { kind: 'session', ...(await this.signIn(toAuthUser(user), channel)) };
  }

  /** The code step: a right code (or recovery code) for the challenge's user opens the session. */
  async verifyMfa(challengeToken: string, code: string): Promise<SignedIn> {
    const { challenge, user } = await this.challengeUser(challengeToken, 'verify');
    await this.lockout.assertNotLocked(user.login, user.id);
    const result = await this.mfa.verifyCode(user.id, code);
    if (result !== 'ok') await this.refuseCode(user, result);
    return this.finish(challenge, user);
  }

  /** Set-up during sign-in (a role that requires a second factor): a new secret for the app. */
  async startEnrollment(challengeToken: string): Promise<MfaEnrollment> {
    const { user } = await this.challengeUser(challengeToken, 'enroll');
    return this.mfa.startEnrollment(user.id, user.login);
  }

  /** Set-up during sign-in: the first code confirms the secret and opens the session. */
  async confirmEnrollment(
    challengeToken: string,
    code: string,
  ): Promise<SignedIn & { recoveryCodes: string[] }> {
    const { challenge, user } = await this.challengeUser(challengeToken, 'enroll');
    await this.lockout.assertNotLocked(user.login, user.id);
    const confirmed = await this.mfa.confirmEnrollment(user.id, code);
    if (!confirmed) await this.refuseCode(user, 'wrong');
    return { ...(await this.finish(challenge, user)), recoveryCodes: confirmed!.recoveryCodes };
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

  private async challengeUser(token: string, purpose: 'verify' | 'enroll') {
    const challenge = await this.mfa.openChallenge(token, purpose);
    const user = await this.users.loadActive(challenge.userId);
    if (!user)
      throw new DomainError(DomainErrorCode.Unauthenticated, 'This sign-in has expired; sign in again');
    return { challenge, user };
  }

  private async refuseCode(user: AuthUser, reason: 'wrong' | 'replayed'): Promise<never> {
    await this.lockout.recordFailure(user.login, user.id);
    await this.audit.record({
      action: 'auth.login',
      outcome: 'failure',
      actor: { userId: user.id, login: user.login },
      details: { reason: reason === 'wrong' ? 'wrong code' : 'code already used' },
    });
    throw new DomainError(
      DomainErrorCode.Unauthenticated,
      reason === 'wrong' ? 'Wrong code' : 'That code was already used; wait for the next one',
    );
  }

  private async finish(challenge: MfaChallenge, user: AuthUser): Promise<SignedIn> {
    if (!(await this.mfa.consumeChallenge(challenge.id))) {
      throw new DomainError(DomainErrorCode.Unauthenticated, 'This sign-in has expired; sign in again');
    }
    return this.signIn(user, challenge.channel);
  }

  private async signIn(user: AuthUser, channel: ChallengeChannel): Promise<SignedIn> {
    const session = await this.sessions.create(user.id);
    await this.lockout.reset(user.login);
    RequestContext.setActor(user.id, user.login);
    await this.audit.record({ action: 'auth.login', entityType: 'session', entityId: session.sessionId });
    return { token: session.token, expiresAt: session.expiresAt, user, channel };
  }
}
