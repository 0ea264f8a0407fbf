import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { RecallConfig } from '@recall/config';
import { Clock, DomainError } from '@recall/core';
import { DataSource } from 'typeorm';

export const normalizeLogin = (login: string): string => login.trim().toLowerCase().slice(0, 100);

/**
 * Failed sign-ins per login (known or not, so a lock reveals nothing): LOGIN_MAX_FAILURES wrong
 * passwords or codes within LOGIN_LOCKOUT_MINUTES of each other lock the login for
 * LOGIN_LOCKOUT_MINUTES, even for the right password. A completed sign-in clears the count.
 */
@Injectable()
export class LoginLockoutService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: RecallConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** Throws DomainError `locked` (429 with Retry-After) while the login is locked. */
  async assertNotLocked(rawLogin: string, userId: string | null = null): Promise<void> {
    const login = normalizeLogin(rawLogin);
    const now = this.clock.nowDate();
    const rows: { locked_until: Date }[] = await this.db.query(
      'SELECT locked_until FROM login_failure WHERE login = $1 AND locked_until > $2',
      [login, now],
    );
    if (!rows.length) return;
    const seconds = Math.max(1, Math.ceil((rows[0].locked_until.getTime() - now.getTime()) / 1000));
    await this.audit.record({
      action: 'auth.login',
      outcome: 'denied',
      actor: { userId, login },
      details: { reason: 'locked', retryAfterSeconds: seconds },
    });
    throw DomainError.locked(
      `Too many failed sign-ins for this login; try again in ${Math.ceil(seconds / 60)} min`,
      seconds,
    );
  }

  /** Counts one failure; the one that reaches the limit locks the login (audited as auth.lockout). */
  async recordFailure(rawLogin: string, userId: string | null): Promise<void> {
    const login = normalizeLogin(rawLogin);
    if (!login) return;
    const now = this.clock.now();
    const minutes = this.config.env.LOGIN_LOCKOUT_MINUTES;
    const max = this.config.env.LOGIN_MAX_FAILURES;
    // A count restarts after a quiet lockout window, or once a lock has run out.
    const [row]: { failures: number; locked_until: Date | null }[] = await this.db.query(
      `INSERT INTO login_failure AS f (login, failures, last_failed_at, locked_until)
       VALUES ($1, 1, $2, CASE WHEN $3::int <= 1 THEN $4::timestamptz END)
       ON CONFLICT (login) DO UPDATE SET
         failures = CASE WHEN f.last_failed_at < $5 OR f.locked_until <= $2 THEN 1 ELSE f.failures + 1 END,
         last_failed_at = $2,
         locked_until = CASE
           WHEN (CASE WHEN f.last_failed_at < $5 OR f.locked_until <= $2 THEN 1 ELSE f.failures + 1 END) >= $3
           THEN $4::timestamptz END
       RETURNING failures, locked_until`,
      [login, now.toJSDate(), max, now.plus({ minutes }).toJSDate(), now.minus({ minutes }).toJSDate()],
    );
    if (row.locked_until && row.failures === max) {
      await this.audit.record({
        action: 'auth.lockout',
        outcome: 'denied',
        actor: { userId, login },
        entityType: userId ? 'user' : undefined,
        entityId: userId ?? undefined,
        details: { failures: row.failures, lockedUntil: row.locked_until.toISOString() },
      });
    }
  }

  async reset(rawLogin: string): Promise<void> {
    await this.db.query('DELETE FROM login_failure WHERE login = $1', [normalizeLogin(rawLogin)]);
  }
}
