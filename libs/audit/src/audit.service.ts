import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Clock, DomainError, RequestContext } from '@recall/core';
import { DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { AuditEvent, AuditOutcome } from './audit-event.entity';
import { csvRow } from './csv';

export interface AuditInput {
  action: string;
  outcome?: AuditOutcome;
  practiceId?: string | null;
  entityType?: string;
  entityId?: string;
  /** Ids and codes only: never names, phones or other patient data. */
  details?: Record<string, unknown>;
  /** Overrides the actor taken from the request context (e.g. a failed login). */
  actor?: { userId?: string | null; login?: string | null };
}

export interface AuditQuery {
  /** The viewer's scope: these practices, practice-less events of their users, and `viewerId`'s own. */
  practiceIds?: string[];
  viewerId?: string;
  practiceId?: string;
  /** Exact, or a prefix ending in `*` (`patient.*`). */
  action?: string;
  actorUserId?: string;
  actorLogin?: string;
  /** A record id: the event's entity, or one of the ids a list view showed. */
  record?: string;
  outcome?: AuditOutcome;
  requestId?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  limit?: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
}

export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

export const AUDIT_CSV_COLUMNS = [
  'occurred_at',
  'actor_login',
  'actor_user_id',
  'practice_id',
  'action',
  'entity_type',
  'entity_id',
  'outcome',
  'request_id',
  'channel',
  'details',
] as const;

/** Keys of `details` that list the records a view showed (see AuditRead and the queue). */
const SHOWN_KEYS = ['ids', 'members'];

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** With `tx`, the event commits (or not) with the caller's transaction. */
  async record(input: AuditInput, tx?: EntityManager): Promise<void> {
    const ctx = RequestContext.current();
    await (tx ? tx.getRepository(AuditEvent) : this.events).insert({
      occurredAt: this.clock.nowDate(),
      actorUserId: input.actor?.userId ?? ctx?.userId ?? null,
      actorLogin: input.actor?.login ?? ctx?.login ?? null,
      practiceId: input.practiceId ?? null,
      action: input.action,
      entityType: input.entityType ?? null,
      entityId: input.entityId ?? null,
      outcome: input.outcome ?? 'success',
      requestId: ctx?.requestId ?? null,
      channel: ctx?.channel ?? null,
      details: (input.details ?? {}) as object,
    });
  }

  /** Newest first (the first page of `search`). */
  async find(query: AuditQuery): Promise<AuditEvent[]> {
    return (await this.search(query)).items;
  }

  /** Newest first, a page at a time (keyset on occurred_at, id: stable while rows are added). */
  async search(query: AuditQuery): Promise<AuditPage> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    // The cursor keeps the stored microseconds (a JS Date would round them to milliseconds).
    const { entities, raw } = await this.filtered(query)
      .addSelect('e.occurred_at::text', 'cursor_at')
      .limit(limit + 1)
      .getRawAndEntities<{ cursor_at: string }>();
    const items = entities.slice(0, limit);
    const last = items.length ? raw[items.length - 1] : undefined;
    return {
      items,
      nextCursor:
        entities.length > limit && last ? encodeCursor(last.cursor_at, items[items.length - 1].id) : null,
    };
  }

  /** Every matching event as CSV (header first), newest first, read in pages. */
  async *csv(query: Omit<AuditQuery, 'limit' | 'cursor'>): AsyncGenerator<string> {
    yield csvRow(AUDIT_CSV_COLUMNS);
    let cursor: string | undefined;
    for (;;) {
      const page = await this.search({ ...query, cursor, limit: 1000 });
      let text = '';
      for (const e of page.items) {
        text += csvRow([
          e.occurredAt,
          e.actorLogin,
          e.actorUserId,
          e.practiceId,
          e.action,
          e.entityType,
          e.entityId,
          e.outcome,
          e.requestId,
          e.channel,
          e.details,
        ]);
      }
      if (text) yield text;
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }

  /**
   * Deletes the events older than `years` (at least 6: the database refuses less, and never
   * deletes a younger row whatever it is asked). Returns how many went.
   */
  async purgeExpired(years: number): Promise<number> {
    if (!Number.isInteger(years) || years < 6) {
      throw DomainError.invalid(`audit retention must be at least 6 years (got ${years})`);
    }
    const [row] = await this.db.query(`SELECT audit_event_purge($1) AS purged`, [years]);
    return Number(row.purged);
  }

  private filtered(query: AuditQuery): SelectQueryBuilder<AuditEvent> {
    const qb = this.events
      .createQueryBuilder('e')
      .orderBy('e.occurred_at', 'DESC')
      .addOrderBy('e.id', 'DESC');
    if (query.practiceIds) {
      qb.andWhere(
        `(e.practice_id = ANY(:practiceIds) OR (e.practice_id IS NULL AND e.actor_user_id IN
           (SELECT user_id FROM user_practice WHERE practice_id = ANY(:practiceIds)))
          OR e.actor_user_id = :viewerId)`,
        { practiceIds: query.practiceIds, viewerId: query.viewerId ?? null },
      );
    }
    if (query.practiceId) qb.andWhere('e.practice_id = :practiceId', { practiceId: query.practiceId });
    if (query.action?.endsWith('*')) {
      qb.andWhere(`e.action LIKE :actionPrefix`, {
        actionPrefix: `${query.action.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`,
      });
    } else if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.actorUserId) qb.andWhere('e.actor_user_id = :actor', { actor: query.actorUserId });
    if (query.actorLogin) qb.andWhere('e.actor_login = :actorLogin', { actorLogin: query.actorLogin });
    if (query.outcome) qb.andWhere('e.outcome = :outcome', { outcome: query.outcome });
    if (query.requestId) qb.andWhere('e.request_id = :requestId', { requestId: query.requestId });
    if (query.from) qb.andWhere('e.occurred_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('e.occurred_at < :to', { to: query.to });
    if (query.record) {
      const shown = SHOWN_KEYS.map((k, i) => `e.details @> :shown${i}::jsonb`).join(' OR ');
      qb.andWhere(
        `(e.entity_id = :record OR e.details @> :asPatient::jsonb OR ${shown})`,
        Object.fromEntries([
          ['record', query.record],
          ['asPatient', JSON.stringify({ patientId: query.record })],
          ...SHOWN_KEYS.map((k, i) => [`shown${i}`, JSON.stringify({ [k]: [query.record] })]),
        ]),
      );
    }
    if (query.cursor) {
      const { at, id } = decodeCursor(query.cursor);
      qb.andWhere('(e.occurred_at, e.id) < (:cursorAt::timestamptz, :cursorId::uuid)', {
        cursorAt: at,
        cursorId: id,
      });
    }
    return qb;
  }
}

/**
 * A bound of an audit search: a UTC day (`to` takes the whole day: the next midnight) or an
 * ISO instant.
 */
export function auditBound(value: string | undefined, field: 'from' | 'to'): Date | undefined {
  if (!value) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const at = new Date(day ? `${value}T00:00:00Z` : value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) {
    throw DomainError.invalid(`${field}: YYYY-MM-DD or an ISO instant`, { field });
  }
  if (day && field === 'to') at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!/^\d{4}-\d{2}-\d{2} [\d:.]+[+-][\d:]+$/.test(at ?? '') || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw DomainError.invalid('cursor: not one this API returned', { field: 'cursor' });
  }
  return { at, id };
}
