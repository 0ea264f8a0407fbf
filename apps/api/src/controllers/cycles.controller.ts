import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@recall/auth';
import { Role } from '@recall/core';
import { CyclesService, QueueService } from '@recall/cycles';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';
import { Audited, AuditedInService, itemsBy, NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { PracticeParam } from '../http/practice-param.decorator';
import { Roles } from '../http/policy.decorators';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

class BuildCycleDto {
  @ApiPropertyOptional({ example: '2026-06-15', description: 'First day (default: the practice today)' })
  @IsOptional()
  @Matches(DAY, { message: 'start must be YYYY-MM-DD' })
  start?: string;
  @ApiPropertyOptional({ description: 'Shuffle seed (default: random; stored with the cycle)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2 ** 31)
  seed?: number;
}

class AbsenceDto {
  @ApiPropertyOptional() @IsUUID() userId!: string;
  @ApiPropertyOptional({ example: '2026-06-17' })
  @Matches(DAY, { message: 'from must be YYYY-MM-DD' })
  from!: string;
  @ApiPropertyOptional({ example: '2026-06-18' })
  @Matches(DAY, { message: 'to must be YYYY-MM-DD' })
  to!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) reason?: string;
}

class QueueQuery {
  @ApiPropertyOptional({ example: '2026-06-15' })
  @IsOptional()
  @Matches(DAY, { message: 'date must be YYYY-MM-DD' })
  date?: string;
  @ApiPropertyOptional({ description: "Managers: another agent's queue" })
  @IsOptional()
  @IsUUID()
  agentId?: string;
}

class StartCallDto {
  @ApiPropertyOptional({ description: 'The number to dial (E.164); default: the best valid one' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string;
}

class ExportQuery {
  @ApiPropertyOptional() @IsUUID() agentId!: string;
  @ApiPropertyOptional({ enum: ['xlsx', 'csv'] }) @IsIn(['xlsx', 'csv']) format!: 'xlsx' | 'csv';
}

class AssignmentsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() agentId?: string;
}

@ApiTags('cycles')
@Controller('api/practices/:practiceId')
@Roles(Role.Manager, Role.Admin)
export class CyclesController {
  constructor(private readonly cycles: CyclesService) {}

  @AuditedInService('cycle.build')
  @Post('campaigns/:campaignId/cycles')
  build(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('campaignId', ParseUUIDPipe) campaignId: string,
    @Body() body: BuildCycleDto,
  ) {
    return this.cycles.build(practiceId, campaignId, body, user.id);
  }

  @NoPatientData()
  @Get('campaigns/:campaignId/cycles')
  async list(@PracticeParam() practiceId: string, @Param('campaignId', ParseUUIDPipe) campaignId: string) {
    return { items: await this.cycles.list(practiceId, campaignId) };
  }

  @NoPatientData()
  @Get('cycles/:cycleId')
  get(@PracticeParam() practiceId: string, @Param('cycleId', ParseUUIDPipe) cycleId: string) {
    return this.cycles.get(practiceId, cycleId);
  }

  @Audited('cycle.assignments', 'campaign_member', { shown: itemsBy('memberId') })
  @Get('cycles/:cycleId/assignments')
  async assignments(
    @PracticeParam() practiceId: string,
    @Param('cycleId', ParseUUIDPipe) cycleId: string,
    @Query() query: AssignmentsQuery,
  ) {
    return { items: await this.cycles.assignments(practiceId, cycleId, query.agentId) };
  }

  @AuditedInService('cycle.export')
  @Get('cycles/:cycleId/export')
  async export(
    @PracticeParam() practiceId: string,
    @Param('cycleId', ParseUUIDPipe) cycleId: string,
    @Query() query: ExportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const sheet = await this.cycles.exportSheet(practiceId, cycleId, query.agentId, query.format);
    res
      .status(200)
      .type(sheet.contentType)
      .setHeader('Content-Disposition', `attachment; filename="${sheet.filename}"`)
      .send(sheet.body);
  }

  @NoPatientData()
  @Get('absences')
  async absences(@PracticeParam() practiceId: string) {
    return { items: await this.cycles.absences(practiceId) };
  }

  @AuditedInService('agent.absence')
  @Post('absences')
  absent(@PracticeParam() practiceId: string, @CurrentUser() user: AuthUser, @Body() body: AbsenceDto) {
    return this.cycles.markAbsent(practiceId, body, user.id);
  }
}

/** The agent's day: their own queue (managers may look at anyone's) and "call started". */
@ApiTags('cycles')
@Controller('api/practices/:practiceId/queue')
@Roles(Role.Agent, Role.Manager, Role.Admin)
export class QueueController {
  constructor(private readonly queue: QueueService) {}

  @AuditedInService('queue.view')
  @Get()
  async get(@PracticeParam() practiceId: string, @CurrentUser() user: AuthUser, @Query() query: QueueQuery) {
    const agentId = user.role === Role.Agent ? user.id : (query.agentId ?? user.id);
    if (agentId !== user.id) await this.queue.assertAgentOf(practiceId, agentId);
    return this.queue.queue(practiceId, agentId, query.date);
  }

  @AuditedInService('call.start')
  @Post(':assignmentId/start')
  @HttpCode(200)
  start(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('assignmentId', ParseUUIDPipe) assignmentId: string,
    @Body() body: StartCallDto,
  ) {
    return this.queue.startCall(practiceId, assignmentId, user.id, body.phone);
  }
}
