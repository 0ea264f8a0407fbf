import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@recall/auth';
import { Role } from '@recall/core';
import { MappingProfilesService } from '@recall/imports';
import { DuplicatesService, PatientsService, type DuplicateStatus } from '@recall/patients';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Audited, AuditedInService, idsIn, NoPatientData, type ShownRecords } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { PracticeParam } from '../http/practice-param.decorator';
import { Roles } from '../http/policy.decorators';

class ListQuery {
  @ApiPropertyOptional({ description: 'MRN, or part of a name or phone' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

class DuplicatesQuery {
  @ApiPropertyOptional({ enum: ['open', 'merged', 'dismissed'] })
  @IsOptional()
  @IsIn(['open', 'merged', 'dismissed'])
  status?: DuplicateStatus;
}

class MergeDto {
  @ApiProperty({ description: 'The patient that stays; the other is merged into it' })
  @IsUUID()
  survivorId!: string;
}

class ProfileDto {
  @ApiProperty() @IsObject() mapping!: Record<string, unknown>;
}

/** Both patients of every pair shown. */
const duplicatePatients: ShownRecords = (body) =>
  ((body as { items?: { patients: ({ id: string } | null)[] }[] }).items ?? []).flatMap((d) =>
    d.patients.flatMap((p) => (p ? [p.id] : [])),
  );

@ApiTags('patients')
@Controller('api/practices/:practiceId/patients')
@Roles(Role.Manager, Role.Admin)
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Audited('patient.list', 'patient', { shown: idsIn('patients', 'id') })
  @Get()
  list(@PracticeParam() practiceId: string, @Query() query: ListQuery) {
    return this.patients.list(practiceId, query);
  }

  @Audited('patient.view', 'patient')
  @Get('by-mrn/:mrn')
  byMrn(@PracticeParam() practiceId: string, @Param('mrn') mrn: string) {
    return this.patients.findByMrn(practiceId, mrn);
  }

  @Audited('patient.view', 'patient', { entityParam: 'patientId' })
  @Get(':patientId')
  get(@PracticeParam() practiceId: string, @Param('patientId', ParseUUIDPipe) id: string) {
    return this.patients.findById(practiceId, id);
  }
}

/** Possible duplicates flagged by imports, for a manager to merge or dismiss. */
@ApiTags('patients')
@Controller('api/practices/:practiceId/duplicates')
@Roles(Role.Manager, Role.Admin)
export class DuplicatesController {
  constructor(private readonly duplicates: DuplicatesService) {}

  @Audited('duplicate.list', 'patient', { shown: duplicatePatients })
  @Get()
  async list(@PracticeParam() practiceId: string, @Query() query: DuplicatesQuery) {
    return { items: await this.duplicates.list(practiceId, query.status) };
  }

  @AuditedInService('patients.duplicate-merged')
  @Post(':duplicateId/merge')
  @HttpCode(200)
  merge(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('duplicateId', ParseUUIDPipe) id: string,
    @Body() body: MergeDto,
  ) {
    return this.duplicates.merge(practiceId, id, body.survivorId, user.id);
  }

  @AuditedInService('patients.duplicate-dismissed')
  @Post(':duplicateId/dismiss')
  @HttpCode(204)
  dismiss(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('duplicateId', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.duplicates.dismiss(practiceId, id, user.id);
  }
}

/** Saved column mappings ("profiles") of a practice, plus the built-in ones. */
@ApiTags('imports')
@NoPatientData()
@Controller('api/practices/:practiceId/mapping-profiles')
@Roles(Role.Manager, Role.Admin)
export class MappingProfilesController {
  constructor(private readonly profiles: MappingProfilesService) {}

  @Get()
  async list(@PracticeParam() practiceId: string) {
    return { items: await this.profiles.list(practiceId) };
  }

  @Put(':name')
  save(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('name') name: string,
    @Body() body: ProfileDto,
  ) {
    return this.profiles.save(practiceId, name, body.mapping, user.id);
  }

  @Delete(':name')
  @HttpCode(204)
  remove(@PracticeParam() practiceId: string, @Param('name') name: string): Promise<void> {
    return this.profiles.remove(practiceId, name);
  }
}
