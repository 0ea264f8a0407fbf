import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  CLEAR_DAYS,
  DAYS_WITH_LATER_CONTACTS,
  DROP_EMPTY_PERIODS,
  MARK_BOOKING_DAYS,
  ROLLUP_AGENT_DAYS,
  ROLLUP_ATTEMPTS,
  ROLLUP_BOOKINGS,
  ROLLUP_HOURS,
  ROLLUP_TRANSFERS,
  SHIFT_PERIODS,
} from './rollup-sql';

const BATCH = 2000;

/**
 * Keeps the report rollups equal to an aggregation of the attempt log. Writers only append a
 * `report_dirty` marker (a plain insert: no row of theirs is ever locked by the refresh);
 * the refresh claims markers with SKIP LOCKED, rebuilds those practice-local days under a
 * per-practice lock, and deletes the markers in the same transaction. A marker written by a
 * transaction the refresh could not see yet stays for the next run, so nothing is missed.
 */
@Injectable()
export class RollupRefreshService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Rebuilds every dirty day (of one practice, or all); returns how many days were rebuilt. */
  async refresh(practiceId?: string): Promise<number> {
    if (practiceId && !(await this.pending(practiceId))) return 0;
    await this.noticeImports(practiceId);
    let rebuilt = 0;
    const touched = new Set<string>(practiceId ? [practiceId] : []);
    const counted = new Set<string>();
    // Only what was dirty when the run began: writers that keep writing cannot keep it going.
    const [{ upto }] = await this.db.query(`SELECT coalesce(max(id), 0)::bigint AS upto FROM report_dirty`);
    for (;;) {
      const n = await this.db.transaction(async (tx) => {
        // DELETE … RETURNING answers [rows, count] through TypeORM's query().
        const [claimed]: [{ practice_id: string; day: string }[], number] = await tx.query(
          `DELETE FROM report_dirty WHERE id IN (
             SELECT id FROM report_dirty WHERE ($1::uuid IS NULL OR practice_id = $1) AND id <= $2
             ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
           RETURNING practice_id, to_char(day, 'YYYY-MM-DD') AS day`,
          [practiceId ?? null, upto],
        );
        const byPractice = new Map<string, Set<string>>();
        for (const c of claimed) {
          if (!byPractice.has(c.practice_id)) byPractice.set(c.practice_id, new Set());
          byPractice.get(c.practice_id)!.add(c.day);
        }
        let days = 0;
        for (const [practice, set] of byPractice) {
          days += set.size;
          touched.add(practice);
          await this.rebuild(tx, practice, [...set].sort());
          // In the transaction that deletes the markers: a run killed after it commits leaves
          // nothing dirty, and a retry would not know the backlog still needed counting.
          await this.backlogIn(tx, practice);
          counted.add(practice);
        }
        return days;
      });
      rebuilt += n;
      if (n === 0) break;
    }
    for (const practice of touched) if (!counted.has(practice)) await this.backlog(practice);
    return rebuilt;
  }

  /** One cheap statement: is anything dirty, or has an import finished since the last look? */
  private async pending(practiceId: string): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM report_dirty WHERE practice_id = $1)
           OR EXISTS (SELECT 1 FROM patient_import i WHERE i.practice_id = $1 AND i.status = 'succeeded'
                        AND NOT i.dry_run AND i.finished_at > coalesce(
                          (SELECT imports_seen_at FROM report_state WHERE practice_id = $1), '-infinity'))
           OR NOT EXISTS (SELECT 1 FROM report_backlog WHERE practice_id = $1) AS pending`,
      [practiceId],
    );
    return row.pending;
  }

  /** The members of the practice's running campaigns by state (one aggregate, off the writers' path). */
  async backlog(practiceId: string): Promise<void> {
    await this.db.transaction((tx) => this.backlogIn(tx, practiceId));
  }

  private async backlogIn(tx: EntityManager, practiceId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('reports-backlog:' || $1))`, [practiceId]);
    await tx.query(`DELETE FROM report_backlog WHERE practice_id = $1`, [practiceId]);
    await tx.query(
      `INSERT INTO report_backlog (campaign_id, state, practice_id, members, remaining_attempts, computed_at)
         SELECT m.campaign_id, m.state, $1, count(*),
                coalesce(sum(m.attempt_cap - m.attempts) FILTER (WHERE m.state = 'open'), 0), now()
         FROM campaign_member m JOIN campaign c ON c.id = m.campaign_id
         WHERE m.practice_id = $1 AND c.status IN ('active', 'paused')
         GROUP BY m.campaign_id, m.state`,
      [practiceId],
    );
  }

  /** Rebuilds the given days from scratch (also what the property test compares against). */
  async rebuild(tx: EntityManager, practiceId: string, dirty: string[]): Promise<void> {
    if (dirty.length === 0) return;
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('reports:' || $1))`, [practiceId]);
    const [{ timezone }] = await tx.query(`SELECT timezone FROM practice WHERE id = $1`, [practiceId]);
    // A call on a dirty day may have moved its member's first contact to a later day.
    const later: { day: string }[] = await tx.query(DAYS_WITH_LATER_CONTACTS, [practiceId, dirty, timezone]);
    const days = [...new Set([...dirty, ...later.map((d) => d.day)])].sort();
    for (const shift of SHIFT_PERIODS) await tx.query(shift, [practiceId, days, -1]);
    for (const clear of CLEAR_DAYS) await tx.query(clear, [practiceId, days]);
    for (const sql of [ROLLUP_ATTEMPTS, ROLLUP_HOURS, ROLLUP_BOOKINGS, ROLLUP_AGENT_DAYS, ROLLUP_TRANSFERS]) {
      await tx.query(sql, [practiceId, days, timezone]);
    }
    for (const shift of SHIFT_PERIODS) await tx.query(shift, [practiceId, days, 1]);
    for (const drop of DROP_EMPTY_PERIODS) await tx.query(drop, [practiceId, days]);
  }

  /** Marks every day with attempts or transfers dirty (after a restore or a rollup change). */
  async markAll(practiceId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO report_dirty (practice_id, day)
       SELECT $1::uuid, (x.at AT TIME ZONE pr.timezone)::date FROM practice pr
       CROSS JOIN LATERAL (SELECT a.ended_at AS at FROM call_attempt a WHERE a.practice_id = $1
                           UNION ALL SELECT t.created_at FROM call_transfer t WHERE t.practice_id = $1) x
       WHERE pr.id = $1 GROUP BY 2`,
      [practiceId],
    );
  }

  /** An import finished since the last look: the days of the bookings it may settle are dirty. */
  private async noticeImports(practiceId?: string): Promise<void> {
    const fresh: { practice_id: string; timezone: string; since: Date; finished: Date }[] =
      await this.db.query(
        `SELECT i.practice_id, pr.timezone, coalesce(s.imports_seen_at, '-infinity') AS since, max(i.finished_at) AS finished
       FROM patient_import i JOIN practice pr ON pr.id = i.practice_id
       LEFT JOIN report_state s ON s.practice_id = i.practice_id
       WHERE i.status = 'succeeded' AND NOT i.dry_run AND ($1::uuid IS NULL OR i.practice_id = $1)
         AND i.finished_at > coalesce(s.imports_seen_at, '-infinity')
       GROUP BY i.practice_id, pr.timezone, s.imports_seen_at`,
        [practiceId ?? null],
      );
    for (const f of fresh) {
      await this.db.transaction(async (tx) => {
        await tx.query(MARK_BOOKING_DAYS, [f.practice_id]);
        await tx.query(
          `INSERT INTO report_state (practice_id, imports_seen_at) VALUES ($1, $2)
           ON CONFLICT (practice_id) DO UPDATE SET imports_seen_at = excluded.imports_seen_at`,
          [f.practice_id, f.finished],
        );
      });
    }
  }
}
