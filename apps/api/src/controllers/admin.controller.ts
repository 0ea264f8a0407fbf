import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { auditBound, type AuditOutcome, type AuditQuery, AuditService } from '@recall/audit';
import { AuthUser, practiceIdsOf } from '@recall/auth';
import { Role } from '@recall/core';
import { JobQueue } from '@recall/queue';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { Audited, NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { Roles } from '../http/policy.decorators';

const INSTANT = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

export class AuditSearchQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() practiceId?: string;
  @ApiPropertyOptional({ description: 'The acting user' }) @IsOptional() @IsUUID() userId?: string;
  @ApiPropertyOptional({ description: 'The acting login (e.g. cli:root)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  login?: string;
  @ApiPropertyOptional({ example: 'patient.*', description: 'Exact, or a prefix ending in *' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;
  @ApiPropertyOptional({ description: 'A record id: the event’s entity or one a list view showed' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  record?: string;
  @ApiPropertyOptional({ enum: ['success', 'failure', 'denied'] })
  @IsOptional()
  @IsIn(['success', 'failure', 'denied'])
  outcome?: AuditOutcome;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) requestId?: string;
  @ApiPropertyOptional({ example: '2026-06-01', description: 'From (inclusive): a UTC day or an instant' })
  @IsOptional()
  @Matches(INSTANT, { message: 'from must be YYYY-MM-DD or an ISO instant' })
  from?: string;
  @ApiPropertyOptional({
    example: '2026-06-30',
    description: 'To: a UTC day (inclusive) or an instant (exclusive)',
  })
  @IsOptional()
  @Matches(INSTANT, { message: 'to must be YYYY-MM-DD or an ISO instant' })
  to?: string;
  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** The query as AuditService takes it; an admin sees the events of their practices (and their own). */
export function auditQueryOf(q: AuditSearchQuery, scope?: AuthUser): AuditQuery {
  return {
    practiceIds: scope ? practiceIdsOf(scope) : undefined,
    viewerId: scope?.id,
    practiceId: q.practiceId,
    actorUserId: q.userId,
    actorLogin: q.login,
    action: q.action,
    record: q.record,
    outcome: q.outcome,
    requestId: q.requestId,
    from: auditBound(q.from, 'from'),
    to: auditBound(q.to, 'to'),
    limit: q.limit,
    cursor: q.cursor,
  };
}

@ApiTags('admin')
@Controller('api/admin')
@Roles(Role.Admin)
export class AdminController {
  constructor(
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
  ) {}

  /** Audit events of the admin's practices (and of their users' sign-ins), newest first, a page at a time. */
  @Get('audit')
  @Audited('audit.search', 'audit_event', { shown: () => [] })
  auditLog(@CurrentUser() admin: AuthUser, @Query() query: AuditSearchQuery) {
    return this.audit.search(auditQueryOf(query, admin));
  }

  /** The same events (every page) as CSV, streamed. */
  @Get('audit.csv')
  @Audited('audit.export', 'audit_event')
  async auditCsv(
    @CurrentUser() admin: AuthUser,
    @Query() query: AuditSearchQuery,
    @Res() res: Response,
  ): Promise<void> {
    const lines = this.audit.csv(auditQueryOf({ ...query, limit: undefined, cursor: undefined }, admin));
    const first = await lines.next(); // a bad filter fails before any header is sent
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="recall-audit.csv"`);
    res.write(first.value ?? '');
    for await (const chunk of lines) {
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  }

  @Get('jobs')
  @NoPatientData()
  async jobs() {
    return { mode: this.queue.mode, counts: await this.queue.counts(), failed: await this.queue.failed(50) };
  }

  /** Enqueues a no-op job that writes an audit row: proves the queue (and workers) run. */
  @Post('jobs/ping')
  @NoPatientData()
  @HttpCode(202)
  async ping(@CurrentUser() admin: AuthUser) {
    return {
      jobId: await this.queue.enqueue('system.ping', { requestedBy: admin.login, nonce: randomUUID() }),
    };
  }
}
