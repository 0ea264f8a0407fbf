import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { RecallConfig } from '@recall/config';
import { Clock, DomainError, DomainErrorCode } from '@recall/core';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LoginLockoutService } from './login-lockout.service';
import { loadMfaKey } from './mfa-key';
import { openSecret, sealSecret } from './secret-box';
import { hashToken } from './sessions.service';
import {
  checkTotp,
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  isRecoveryCodeShape,
  otpauthUrl,
} from './totp';

export type ChallengePurpose = 'verify' | 'enroll';
export type ChallengeChannel = 'cookie' | 'token';

export interface MfaChallenge {
  id: string;
  userId: string;
  purpose: ChallengePurpose;
  channel: ChallengeChannel;
}

export interface MfaStatus {
  enrolled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

export interface MfaEnrollment {
  otpauthUrl: string;
  secret: string;
}

/** Between the password and the code: long enough to open the phone, short enough to matter. */
const CHALLENGE_MINUTES = 5;

interface MfaRow {
  secret_encrypted: Buffer;
  confirmed_at: Date | null;
  last_used_step: string | null;
}

/**
 * TOTP second factors: enrolment (an unconfirmed secret until a code proves the app has it),
 * verification with a replay guard, recovery codes, and the challenge tokens that carry a
 * signed-in-by-password user to the code step.
 */
@Injectable()
export class MfaService {
  private key?: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: RecallConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly lockout: LoginLockoutService,
  ) {}

  requiredFor(role: string): boolean {
    return this.config.mfaRequiredRoles.includes(role);
  }

  async status(userId: string, role: string): Promise<MfaStatus> {
    const rows: { confirmed: boolean; left: number }[] = await this.db.query(
      `SELECT confirmed_at IS NOT NULL AS confirmed, cardinality(recovery_code_hashes) AS left
         FROM user_mfa WHERE user_id = $1`,
      [userId],
    );
    const enrolled = rows[0]?.confirmed ?? false;
    return {
      enrolled,
      required: this.requiredFor(role),
      recoveryCodesLeft: enrolled ? rows[0].left : 0,
    };
  }

  async isEnrolled(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM user_mfa WHERE user_id = $1 AND confirmed_at IS NOT NULL',
      [userId],
    );
    return rows.length > 0;
  }

  async createChallenge(userId: string, purpose: ChallengePurpose, channel: ChallengeChannel) {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = now.plus({ minutes: CHALLENGE_MINUTES }).toJSDate();
    await this.db.query(
      `INSERT INTO mfa_challenge (token_hash, user_id, purpose, channel, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [hashToken(token), userId, purpose, channel, now.toJSDate(), expiresAt],
    );
    return { challengeToken: token, expiresAt };
  }

  /** The open challenge behind a token, or 401: it is unknown, used or expired. */
  async openChallenge(token: string, purpose: ChallengePurpose): Promise<MfaChallenge> {
    const rows: { id: string; user_id: string; channel: ChallengeChannel }[] = await this.db.query(
      `SELECT id, user_id, channel FROM mfa_challenge
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
      [hashToken(token), purpose, this.clock.nowDate()],
    );
    if (!rows.length) throw challengeOver();
    return { id: rows[0].id, userId: rows[0].user_id, purpose, channel: rows[0].channel };
  }

  /** Marks the challenge used; false when another request used it first. */
  async consumeChallenge(id: string): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.db.query(
      'UPDATE mfa_challenge SET used_at = $2 WHERE id = $1 AND used_at IS NULL',
      [id, this.clock.nowDate()],
    );
    return count === 1;
  }

  async purgeChallenges(): Promise<number> {
    const cutoff = this.clock.now().minus({ days: 1 }).toJSDate();
    const [, count]: [unknown[], number] = await this.db.query(
      'DELETE FROM mfa_challenge WHERE expires_at < $1',
      [cutoff],
    );
    return count;
  }

  /** A fresh secret, unconfirmed until `confirmEnrollment`; refused while one is confirmed. */
  async startEnrollment(userId: string, login: string): Promise<MfaEnrollment> {
    const secret = generateTotpSecret();
    const sealed = sealSecret(this.secretKey(), secret, userId);
    const rows: unknown[] = await this.db.query(
      `INSERT INTO user_mfa AS m (user_id, secret_encrypted) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted,
              last_used_step = NULL, recovery_code_hashes = '{}', created_at = now()
        WHERE m.confirmed_at IS NULL
       RETURNING user_id`,
      [userId, sealed],
    );
    if (rows.length === 0) {
      throw DomainError.conflict('two-factor sign-in is already set up; turn it off first');
    }
    return { otpauthUrl: otpauthUrl(secret, login), secret };
  }

  /** Confirms the pending secret with a code from the app; returns the recovery codes (shown once). */
  async confirmEnrollment(userId: string, code: string): Promise<{ recoveryCodes: string[] } | undefined> {
    const row = await this.row(userId);
    if (!row || row.confirmed_at) {
      throw DomainError.conflict('no two-factor set-up is pending; start again');
    }
    const check = checkTotp(this.secretOf(row, userId), code, this.clock.nowDate().getTime(), null);
    if (!check.ok) return undefined;
    const recoveryCodes = generateRecoveryCodes();
    const [, count]: [unknown[], number] = await this.db.query(
      `UPDATE user_mfa SET confirmed_at = $2, last_used_step = $3, recovery_code_hashes = $4
        WHERE user_id = $1 AND confirmed_at IS NULL AND secret_encrypted = $5`,
      [userId, this.clock.nowDate(), check.step, recoveryCodes.map(hashRecoveryCode), row.secret_encrypted],
    );
    if (count !== 1) throw DomainError.conflict('the two-factor set-up changed meanwhile; start again');
    await this.audit.record({ action: 'auth.mfa.enroll', entityType: 'user', entityId: userId });
    return { recoveryCodes };
  }

  /**
   * Checks a code (or a recovery code, which is then used up) for an enrolled user. A TOTP
   * step is accepted once: the update only moves `last_used_step` forward.
   */
  async verifyCode(userId: string, code: string): Promise<'ok' | 'wrong' | 'replayed'> {
    const row = await this.row(userId);
    if (!row?.confirmed_at) return 'wrong';
    if (isRecoveryCodeShape(code)) {
      const [, used]: [unknown[], number] = await this.db.query(
        `UPDATE user_mfa SET recovery_code_hashes = array_remove(recovery_code_hashes, $2)
          WHERE user_id = $1 AND $2 = ANY (recovery_code_hashes)`,
        [userId, hashRecoveryCode(code)],
      );
      if (used === 1) {
        await this.audit.record({ action: 'auth.mfa.recovery-code', entityType: 'user', entityId: userId });
      }
      return used === 1 ? 'ok' : 'wrong';
    }
    const last = row.last_used_step === null ? null : Number(row.last_used_step);
    const check = checkTotp(this.secretOf(row, userId), code, this.clock.nowDate().getTime(), last);
    if (!check.ok) return check.reason;
    const [, count]: [unknown[], number] = await this.db.query(
      `UPDATE user_mfa SET last_used_step = $2
        WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)`,
      [userId, check.step],
    );
    return count === 1 ? 'ok' : 'replayed';
  }

  /**
   * The user turns it off with a current code; refused when their role requires it. Wrong codes
   * count towards the login's lockout, as at sign-in.
   */
  async disable(user: { id: string; login: string; role: string }, code: string): Promise<void> {
    const userId = user.id;
    if (this.requiredFor(user.role)) {
      throw DomainError.forbidden(
        'your role requires two-factor sign-in; to move to a new phone, ask an admin to reset it',
      );
    }
    await this.lockout.assertNotLocked(user.login, userId);
    const result = await this.verifyCode(userId, code);
    if (result !== 'ok') {
      await this.lockout.recordFailure(user.login, userId);
      throw new DomainError(DomainErrorCode.Invalid, 'code: wrong or already used', { field: 'code' });
    }
    await this.db.query('DELETE FROM user_mfa WHERE user_id = $1', [userId]);
    await this.audit.record({ action: 'auth.mfa.disable', entityType: 'user', entityId: userId });
  }

  /** Removes a user's second factor (an admin's reset); true when there was one. */
  async remove(userId: string): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.db.query('DELETE FROM user_mfa WHERE user_id = $1', [
      userId,
    ]);
    return count > 0;
  }

  private async row(userId: string): Promise<MfaRow | undefined> {
    const rows: MfaRow[] = await this.db.query(
      'SELECT secret_encrypted, confirmed_at, last_used_step FROM user_mfa WHERE user_id = $1',
      [userId],
    );
    return rows[0];
  }

  private secretOf(row: MfaRow, userId: string): string {
    try {
      return openSecret(this.secretKey(), row.secret_encrypted, userId);
    } catch {
      // A changed MFA_SECRET_KEY: say so plainly rather than "wrong code" forever.
      throw DomainError.conflict(
        'this two-factor secret cannot be read with the configured MFA_SECRET_KEY; ask an admin to reset it',
      );
    }
  }

  private secretKey(): Buffer {
    this.key ??= loadMfaKey(this.config);
    return this.key;
  }
}

function challengeOver(): DomainError {
  return new DomainError(DomainErrorCode.Unauthenticated, 'This sign-in has expired; sign in again');
}
