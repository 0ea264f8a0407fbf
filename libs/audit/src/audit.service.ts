import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Clock, RequestContext } from '@recall/core';
import { EntityManager, Repository } from 'typeorm';
import { AuditEvent, AuditOutcome } from './audit-event.entity';

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
  practiceIds?: string[];
  action?: string;
  actorUserId?: string;
  limit?: number;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
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

  /** Newest first. `practiceIds` limits to those practices plus practice-less events of their users. */
  find(query: AuditQuery): Promise<AuditEvent[]> {
    const qb = this.events.createQueryBuilder('e').orderBy('e.occurred_at', 'DESC').addOrderBy('e.id');
    if (query.practiceIds) {
      qb.andWhere(
        `(e.practice_id = ANY(:practiceIds) OR (e.practice_id IS NULL AND e.actor_user_id IN
           (SELECT user_id FROM user_practice WHERE practice_id = ANY(:practiceIds))))`,
        { practiceIds: query.practiceIds },
      );
    }
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.actorUserId) qb.andWhere('e.actor_user_id = :actor', { actor: query.actorUserId });
    return qb.limit(Math.min(query.limit ?? 100, 1000)).getMany();
  }
}
