import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RecallConfig } from '@recall/config';
import { Clock } from '@recall/core';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface ActiveSession {
  sessionId: string;
  userId: string;
  expiresAt: Date;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Server-side sessions: an opaque random token for the client, its hash in the database.
 * A session ends after SESSION_IDLE_MINUTES without a request, after SESSION_MAX_HOURS in
 * any case, at logout, and when revoked (password change, deactivation, an admin).
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: RecallConfig,
    private readonly clock: Clock,
  ) {}

  async create(userId: string): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = now.plus({ hours: this.config.env.SESSION_MAX_HOURS }).toJSDate();
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO session (user_id, token_hash, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $3, $4) RETURNING id`,
      [userId, hashToken(token), now.toJSDate(), expiresAt],
    );
    return { token, sessionId: rows[0].id, expiresAt };
  }

  /**
   * Validates a token and, in the same statement, marks the session as seen; a session idle
   * too long is closed right there, so two racing requests cannot revive it.
   */
  async touch(token: string): Promise<ActiveSession | undefined> {
    const now = this.clock.nowDate();
    const idleCutoff = this.clock.now().minus({ minutes: this.config.env.SESSION_IDLE_MINUTES }).toJSDate();
    // UPDATE answers [rows, count] through TypeORM's query().
    const [rows]: [{ id: string; user_id: string; expires_at: Date }[], number] = await this.db.query(
      `UPDATE session SET last_seen_at = $2
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at >= $3
        RETURNING id, user_id, expires_at`,
      [hashToken(token), now, idleCutoff],
    );
    if (rows.length === 0) {
      await this.db.query(
        `UPDATE session SET revoked_at = $2, revoke_reason = CASE WHEN expires_at <= $2 THEN 'expired' ELSE 'idle' END
          WHERE token_hash = $1 AND revoked_at IS NULL`,
        [hashToken(token), now],
      );
      return undefined;
    }
    return { sessionId: rows[0].id, userId: rows[0].user_id, expiresAt: rows[0].expires_at };
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.db.query(
      'UPDATE session SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL',
      [sessionId, this.clock.nowDate(), reason],
    );
  }

  async revokeAllForUser(userId: string, reason: string): Promise<number> {
    const result: [unknown[], number] = await this.db.query(
      'UPDATE session SET revoked_at = $2, revoke_reason = $3 WHERE user_id = $1 AND revoked_at IS NULL',
      [userId, this.clock.nowDate(), reason],
    );
    return result[1];
  }

  /** Deletes sessions that ended more than a day ago; returns how many. */
  async purgeEnded(): Promise<number> {
    const cutoff = this.clock.now().minus({ days: 1 }).toJSDate();
    const result: [unknown[], number] = await this.db.query(
      'DELETE FROM session WHERE (revoked_at IS NOT NULL AND revoked_at < $1) OR expires_at < $1',
      [cutoff],
    );
    return result[1];
  }
}
