import { Controller, DefaultValuePipe, Get, HttpCode, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditService } from '@recall/audit';
import { AuthUser, practiceIdsOf } from '@recall/auth';
import { Role } from '@recall/core';
import { JobQueue } from '@recall/queue';
import { randomUUID } from 'node:crypto';
import { CurrentUser } from '../http/current-user.decorator';
import { Roles } from '../http/policy.decorators';

@ApiTags('admin')
@Controller('api/admin')
@Roles(Role.Admin)
export class AdminController {
  constructor(
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
  ) {}

  /** Audit events of the admin's practices (and of their users' sign-ins), newest first. */
  @Get('audit')
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async auditLog(
    @CurrentUser() admin: AuthUser,
    @Query('action') action?: string,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit?: number,
  ) {
    return { items: await this.audit.find({ practiceIds: practiceIdsOf(admin), action, limit }) };
  }

  @Get('jobs')
  async jobs() {
    return { mode: this.queue.mode, counts: await this.queue.counts(), failed: await this.queue.failed(50) };
  }

  /** Enqueues a no-op job that writes an audit row: proves the queue (and workers) run. */
  @Post('jobs/ping')
  @HttpCode(202)
  async ping(@CurrentUser() admin: AuthUser) {
    return {
      jobId: await this.queue.enqueue('system.ping', { requestedBy: admin.login, nonce: randomUUID() }),
    };
  }
}
