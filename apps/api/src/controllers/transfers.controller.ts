import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@recall/auth';
import { Role } from '@recall/core';
import {
  TRANSFER_KINDS,
  TRANSFER_OUTCOMES,
  TRANSFER_ROLES,
  TRANSFER_SITUATIONS,
  TransfersService,
  type TransferHours,
  type TransferKind,
  type TransferOutcome,
} from '@recall/dispositions';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { Audited, AuditedInService, itemsBy, NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { PracticeParam } from '../http/practice-param.decorator';
import { Roles } from '../http/policy.decorators';

const CALLERS = [Role.Agent, Role.Manager, Role.Admin];

class TransferGroupPatchDto {
  @ApiPropertyOptional({ example: 'Billing escalations' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
  @ApiPropertyOptional({ example: 'Asks for a supervisor about a payment or a missing statement' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  whenToTransfer?: string;
  @ApiPropertyOptional({ example: '+1 312 555 0100' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;
  @ApiPropertyOptional({ type: String, example: '2201', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(10)
  extension?: string | null;
  @ApiPropertyOptional({
    description: 'Null: always open. Days are ISO weekdays (1 = Monday); times on the practice clock',
    example: { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' },
    nullable: true,
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsObject()
  hours?: TransferHours | null;
  @ApiPropertyOptional({
    enum: TRANSFER_ROLES,
    isArray: true,
    description: 'Who may transfer here; leave out agent for "not as a level 1"',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(TRANSFER_ROLES, { each: true })
  allowedRoles?: string[];
  @ApiPropertyOptional({ enum: TRANSFER_SITUATIONS, isArray: true, description: 'Suggested first for these' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TRANSFER_SITUATIONS.length)
  @IsIn(TRANSFER_SITUATIONS, { each: true })
  situations?: string[];
  @ApiPropertyOptional({ description: 'False archives the group; true restores it' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

class TransferGroupDto {
  @ApiProperty({ example: 'Billing escalations' }) @IsString() @MaxLength(100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) whenToTransfer?: string;
  @ApiPropertyOptional({ example: '+1 312 555 0100' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;
  @ApiPropertyOptional({ type: String, example: '2201', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(10)
  extension?: string | null;
  @ApiPropertyOptional({
    example: { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' },
    nullable: true,
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsObject()
  hours?: TransferHours | null;
  @ApiPropertyOptional({ enum: TRANSFER_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(TRANSFER_ROLES, { each: true })
  allowedRoles?: string[];
  @ApiPropertyOptional({ enum: TRANSFER_SITUATIONS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TRANSFER_SITUATIONS.length)
  @IsIn(TRANSFER_SITUATIONS, { each: true })
  situations?: string[];
}

class GroupsQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Managers: archived groups too' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeArchived?: string;
}

class OptionsQuery {
  @ApiPropertyOptional({ description: `Comma-separated: ${TRANSFER_SITUATIONS.join(', ')}` })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  situations?: string;
  @ApiPropertyOptional({ description: 'What the call is about, for the scripts' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  topic?: string;
}

class TransferDto {
  @ApiProperty() @IsUUID() groupId!: string;
  @ApiProperty({ enum: TRANSFER_KINDS }) @IsIn(TRANSFER_KINDS) kind!: TransferKind;
  @ApiProperty({
    enum: TRANSFER_OUTCOMES,
    description: 'unavailable files a callback ticket for the managers',
  })
  @IsIn(TRANSFER_OUTCOMES)
  outcome!: TransferOutcome;
  @ApiPropertyOptional({ description: 'For the callback ticket: what the patient needs (no more)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

class DeescalationDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description: 'Strategies: { name, say }',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  strategies?: unknown[] | null;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description: 'Situations: { name, actions[] }',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  situations?: unknown[] | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  reminder?: string | null;
  @ApiPropertyOptional({ description: 'True: back to the defaults of protocol 000' })
  @IsOptional()
  @IsBoolean()
  reset?: boolean;
}

/**
 * Warm transfers and de-escalation (protocols 000, 001): the practice's transfer directory,
 * the groups open to the call an agent is on, the transfers tried on it, the managers' list of
 * transfers, and the de-escalation guide. Every rule is in @recall/dispositions.
 */
@ApiTags('transfers')
@Controller('api/practices/:practiceId')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @NoPatientData()
  @Get('transfer-groups')
  @Roles(...CALLERS)
  async groups(@PracticeParam() practiceId: string, @CurrentUser() user: AuthUser, @Query() q: GroupsQuery) {
    const archived = q.includeArchived === 'true' && user.role !== Role.Agent;
    return { items: await this.transfers.groups(practiceId, archived) };
  }

  @NoPatientData()
  @Post('transfer-groups')
  @Roles(Role.Manager, Role.Admin)
  create(@PracticeParam() practiceId: string, @Body() body: TransferGroupDto) {
    return this.transfers.createGroup(practiceId, {
      name: body.name,
      whenToTransfer: body.whenToTransfer ?? '',
      phone: body.phone ?? '',
      extension: body.extension ?? null,
      hours: body.hours ?? null,
      allowedRoles: body.allowedRoles ?? [...TRANSFER_ROLES],
      situations: body.situations ?? [],
    });
  }

  @NoPatientData()
  @Patch('transfer-groups/:groupId')
  @Roles(Role.Manager, Role.Admin)
  update(
    @PracticeParam() practiceId: string,
    @Param('groupId') groupId: string,
    @Body() body: TransferGroupPatchDto,
  ) {
    return this.transfers.updateGroup(practiceId, groupId, body);
  }

  @NoPatientData()
  @Post('transfer-groups/:groupId/deactivate')
  @Roles(Role.Manager, Role.Admin)
  @HttpCode(200)
  deactivate(@PracticeParam() practiceId: string, @Param('groupId') groupId: string) {
    return this.transfers.deactivateGroup(practiceId, groupId);
  }

  /** The groups for the call in progress, the situation's first, each with protocol 000's scripts. */
  @NoPatientData()
  @Get('calls/:callStartId/transfer-options')
  @Roles(...CALLERS)
  options(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('callStartId') callStartId: string,
    @Query() q: OptionsQuery,
  ) {
    const situations = (q.situations ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return this.transfers.options(practiceId, callStartId, user, { situations, topic: q.topic });
  }

  @AuditedInService('call.transfer')
  @Post('calls/:callStartId/transfers')
  @Roles(...CALLERS)
  record(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('callStartId') callStartId: string,
    @Body() body: TransferDto,
  ) {
    return this.transfers.record(practiceId, callStartId, user, body);
  }

  @Audited('transfer.list', 'call_transfer', { shown: itemsBy('id', 'patientId', 'memberId') })
  @Get('transfers')
  @Roles(Role.Manager, Role.Admin)
  async list(@PracticeParam() practiceId: string) {
    return { items: await this.transfers.list(practiceId) };
  }

  @NoPatientData()
  @Get('protocol/deescalation')
  @Roles(...CALLERS)
  guide(@PracticeParam() practiceId: string) {
    return this.transfers.guide(practiceId);
  }

  @NoPatientData()
  @Put('protocol/deescalation')
  @Roles(Role.Manager, Role.Admin)
  setGuide(@PracticeParam() practiceId: string, @Body() body: DeescalationDto) {
    const { reset, ...guide } = body;
    return this.transfers.setGuide(practiceId, reset ? null : guide);
  }
}
