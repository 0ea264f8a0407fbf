import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { readFile, rm } from 'node:fs/promises';
import { ApiBody, ApiConsumes, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser, type PracticeRedFlags } from '@recall/auth';
import { DomainError, Role } from '@recall/core';
import {
  DISPOSITION_CODES,
  DISPOSITIONS,
  DispositionsService,
  DoNotCallService,
  EscalationsService,
  SheetImportService,
  WorkspaceService,
  type RecordDispositionInput,
} from '@recall/dispositions';
import {
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  IsArray,
  ArrayMaxSize,
} from 'class-validator';
import { Audited, AuditedInService, itemsBy, NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { PracticeParam } from '../http/practice-param.decorator';
import { CSV_TYPES, UploadInterceptor } from '../http/upload.interceptor';
import { AnyRole, Roles } from '../http/policy.decorators';

class OutcomeFields {
  @ApiProperty({ enum: DISPOSITION_CODES }) @IsIn(DISPOSITION_CODES) code!: string;
  @ApiPropertyOptional({ description: 'Managers: the agent who made the call (default: you)' })
  @IsOptional()
  @IsUUID()
  agentId?: string;
  @ApiPropertyOptional({
    example: '2026-12-09T10:30',
    description: 'DONE, RECONFIRMED; no offset = practice time',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  appointmentAt?: string;
  @ApiPropertyOptional({ example: '2026-12-03T17:00', description: 'CBACK; no offset = patient time' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  callbackAt?: string;
  @ApiPropertyOptional({ description: 'LOST: why' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
  @ApiPropertyOptional({ description: 'DUPLICATE: the surviving patient' })
  @IsOptional()
  @IsUUID()
  survivorId?: string;
  @ApiPropertyOptional({ description: 'DUPLICATE: the surviving patient, by MRN' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  survivorMrn?: string;
  @ApiPropertyOptional({ description: 'The number dialled (E.164)' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) remarks?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() callStartId?: string;
  @ApiPropertyOptional({ description: 'Back-office entry: when the call happened (ISO with offset)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
  @ApiPropertyOptional({ description: 'Or the Idempotency-Key header: a retry with it records nothing new' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  idempotencyKey?: string;
  @ApiPropertyOptional({ enum: ['workspace', 'api'] }) @IsOptional() @IsIn(['workspace', 'api']) source?:
    'workspace' | 'api';
}

class DispositionDto extends OutcomeFields {
  @ApiPropertyOptional({ description: 'The campaign member (from the queue)' })
  @IsOptional()
  @IsUUID()
  memberId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() campaignId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) mrn?: string;
}

class AttemptsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() memberId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() patientId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() campaignId?: string;
}

class TextDto {
  @ApiProperty() @IsString() @MaxLength(4000) text!: string;
}

class ReasonDto {
  @ApiProperty() @IsString() @MaxLength(500) reason!: string;
}

class DoNotCallDto extends ReasonDto {
  @ApiProperty() @IsUUID() patientId!: string;
}

class ResolveDto {
  @ApiProperty() @IsString() @MaxLength(2000) resolution!: string;
}

class TicketDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() patientId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() memberId?: string;
}

class EscalationsQuery {
  @ApiPropertyOptional({ enum: ['open', 'resolved', 'all'] })
  @IsOptional()
  @IsIn(['open', 'resolved', 'all'])
  status?: 'open' | 'resolved' | 'all';
}

class SheetUploadDto {
  @ApiPropertyOptional({ description: 'Managers: whose sheet it is (agents upload their own)' })
  @IsOptional()
  @IsUUID()
  agentId?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) dryRun?: string;
}

class RedFlagsDto {
  @ApiPropertyOptional({ description: 'Phrases to add, per category' })
  @IsOptional()
  @IsObject()
  add?: Record<string, string[]>;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  remove?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  except?: string[];
}

function outcome(user: AuthUser, body: OutcomeFields, headerKey: string | undefined) {
  const idempotencyKey = body.idempotencyKey ?? headerKey;
  if (!idempotencyKey) {
    throw DomainError.invalid('idempotencyKey: send an Idempotency-Key header or an idempotencyKey field', {
      field: 'idempotencyKey',
    });
  }
  const agentId = user.role === Role.Agent ? user.id : (body.agentId ?? user.id);
  const { agentId: _a, idempotencyKey: _k, source, ...rest } = body;
  return { ...rest, agentId, idempotencyKey, source: source ?? 'api' } satisfies Omit<
    RecordDispositionInput,
    'memberId'
  >;
}

/** What agents record on calls, the attempt history, and the do-not-call list. */
@ApiTags('dispositions')
@Controller('api/practices/:practiceId')
export class DispositionsController {
  constructor(
    private readonly dispositions: DispositionsService,
    private readonly dnc: DoNotCallService,
    private readonly workspace: WorkspaceService,
    private readonly sheets: SheetImportService,
  ) {}

  /** A filled-in cycle sheet (XLSX or CSV, as exported): every row recorded, or none with every problem. */
  @AuditedInService('cycle.sheet-import')
  @Post('cycles/:cycleId/sheets')
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        agentId: { type: 'string', format: 'uuid' },
        dryRun: { type: 'string', enum: ['true', 'false'] },
      },
    },
  })
  @UseInterceptors(UploadInterceptor([{ name: 'file', types: ['xlsx', ...CSV_TYPES] }], { single: true }))
  async importSheet(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('cycleId', ParseUUIDPipe) cycleId: string,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() body: SheetUploadDto,
  ) {
    if (!file)
      throw DomainError.invalid('file: upload the filled-in sheet (multipart field "file")', {
        field: 'file',
      });
    try {
      const agentId = user.role === Role.Agent ? user.id : body.agentId;
      if (!agentId) throw DomainError.invalid('agentId: whose sheet this is', { field: 'agentId' });
      return await this.sheets.import(
        practiceId,
        cycleId,
        agentId,
        { name: file.originalname, body: await readFile(file.path) },
        { dryRun: body.dryRun === 'true', actorId: user.id },
      );
    } finally {
      await rm(file.path, { force: true });
    }
  }

  /** The workspace's patient card: details, every attempt, the rendered scripts. */
  @AuditedInService('patient.view')
  @Get('members/:memberId/card')
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  async card(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('memberId', ParseUUIDPipe) memberId: string,
  ) {
    if (user.role === Role.Agent && !(await this.dispositions.agentHolds(practiceId, memberId, user.id))) {
      throw DomainError.forbidden('this patient is not in your queue');
    }
    return this.workspace.card(practiceId, memberId, user);
  }

  @NoPatientData()
  @Get('dispositions/codes')
  @AnyRole()
  codes() {
    return { items: DISPOSITION_CODES.map((c) => DISPOSITIONS[c]) };
  }

  @AuditedInService('disposition.record')
  @Post('dispositions')
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  async record(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Body() body: DispositionDto,
    @Headers('idempotency-key') key?: string,
  ) {
    const { memberId, campaignId, mrn, ...fields } = body;
    const member = await this.dispositions.resolveMember(practiceId, { memberId, campaignId, mrn });
    return this.dispositions.record(practiceId, { ...outcome(user, fields, key), memberId: member }, user);
  }

  @AuditedInService('disposition.correct')
  @Post('attempts/:attemptId/corrections')
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  correct(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('attemptId', ParseUUIDPipe) attemptId: string,
    @Body() body: OutcomeFields,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.dispositions.correct(practiceId, attemptId, outcome(user, body, key), user);
  }

  @Audited('attempt.list', 'call_attempt', { shown: itemsBy('id', 'patientId', 'memberId') })
  @Get('attempts')
  @Roles(Role.Agent, Role.Manager, Role.Admin, Role.Owner)
  async attempts(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Query() query: AttemptsQuery,
  ) {
    if (user.role === Role.Agent) {
      // Agents see the history of the patients in their hands only.
      if (!query.memberId) throw DomainError.invalid('memberId: required', { field: 'memberId' });
      if (!(await this.dispositions.agentHolds(practiceId, query.memberId, user.id))) {
        throw DomainError.forbidden('this patient is not in your queue');
      }
      const own = await this.dispositions.attempts(practiceId, { memberId: query.memberId });
      const patientId = own[0]?.patientId;
      return { items: patientId ? await this.dispositions.attempts(practiceId, { patientId }) : own };
    }
    return { items: await this.dispositions.attempts(practiceId, query) };
  }

  @AuditedInService('dnc.list')
  @Get('do-not-call')
  @Roles(Role.Manager, Role.Admin)
  async doNotCall(@PracticeParam() practiceId: string) {
    return { items: await this.dnc.list(practiceId) };
  }

  @AuditedInService('dnc.add')
  @Post('do-not-call')
  @Roles(Role.Manager, Role.Admin)
  @HttpCode(204)
  addDoNotCall(@PracticeParam() practiceId: string, @Body() body: DoNotCallDto) {
    return this.dnc.add(practiceId, body.patientId, body.reason);
  }

  @AuditedInService('dnc.lift')
  @Post('do-not-call/:patientId/lift')
  @Roles(Role.Admin)
  @HttpCode(204)
  lift(
    @PracticeParam() practiceId: string,
    @Param('patientId', ParseUUIDPipe) patientId: string,
    @Body() body: ReasonDto,
  ) {
    return this.dnc.lift(practiceId, patientId, body.reason);
  }
}

/** The managers' escalation inbox, tickets, and red-flag screening. */
@ApiTags('escalations')
@Controller('api/practices/:practiceId')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @AuditedInService('escalation.list')
  @Get('escalations')
  @Roles(Role.Manager, Role.Admin)
  async list(@PracticeParam() practiceId: string, @Query() query: EscalationsQuery) {
    return { items: await this.escalations.list(practiceId, query.status ?? 'open') };
  }

  @AuditedInService('escalation.resolve')
  @Post('escalations/:id/resolve')
  @Roles(Role.Manager, Role.Admin)
  @HttpCode(200)
  resolve(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResolveDto,
  ) {
    return this.escalations.resolve(practiceId, id, body.resolution, user.id);
  }

  @AuditedInService('escalation.ticket')
  @Post('escalations/tickets')
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  ticket(@PracticeParam() practiceId: string, @CurrentUser() user: AuthUser, @Body() body: TicketDto) {
    return this.escalations.ticket(practiceId, body, user.id);
  }

  @NoPatientData()
  @Post('remarks/screen')
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  @HttpCode(200)
  screen(@PracticeParam() practiceId: string, @Body() body: TextDto) {
    return this.escalations.screen(practiceId, body.text);
  }

  @NoPatientData()
  @Get('red-flags')
  @Roles(Role.Manager, Role.Admin)
  redFlags(@PracticeParam() practiceId: string) {
    return this.escalations.practiceLists(practiceId);
  }

  @NoPatientData()
  @Put('red-flags')
  @Roles(Role.Manager, Role.Admin)
  setRedFlags(@PracticeParam() practiceId: string, @Body() body: RedFlagsDto) {
    return this.escalations.setLists(practiceId, body as PracticeRedFlags);
  }
}
