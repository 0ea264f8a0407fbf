import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@recall/auth';
import { DomainError, Role } from '@recall/core';
import { FIELDS, ImportsService, type FileKind, type ImportView, type IncomingFile } from '@recall/imports';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import type { Response } from 'express';
import { Audited, AuditedInService, NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { PracticeParam } from '../http/practice-param.decorator';
import { CSV_TYPES, UploadInterceptor } from '../http/upload.interceptor';
import { Roles } from '../http/policy.decorators';

class PreviewDto {
  @ApiPropertyOptional({ description: 'Mapping to preview with (default: the suggested one)' })
  @IsOptional()
  @IsObject()
  mapping?: Record<string, unknown>;
}

class StartDto {
  @ApiProperty({ description: 'The column mapping: { patients: { columns: { patientId: "MRN", … } }, … }' })
  @IsObject()
  mapping!: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() dryRun?: boolean;
  @ApiPropertyOptional({ description: 'Save the mapping as a profile of the practice' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  saveProfileAs?: string;
  @ApiPropertyOptional({ description: 'Name of the profile the mapping came from (recorded)' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  profileName?: string;
}

class IssuesQuery {
  @ApiPropertyOptional({ enum: ['rejected', 'warning'] })
  @IsOptional()
  @IsIn(['rejected', 'warning'])
  severity?: 'rejected' | 'warning';
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5000) limit?: number;
  @ApiPropertyOptional({ description: 'Id of the last issue of the previous page' })
  @IsOptional()
  @IsString()
  after?: string;
}

const FILE_FIELDS: FileKind[] = ['patients', 'appointments', 'encounters'];

/** EMR imports of one practice: upload → preview/mapping → start → progress → summary and issues. */
@ApiTags('imports')
@Controller('api/practices/:practiceId/imports')
@Roles(Role.Manager, Role.Admin)
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Audited('imports.upload', 'patient_import')
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['patients'],
      properties: Object.fromEntries(FILE_FIELDS.map((f) => [f, { type: 'string', format: 'binary' }])),
    },
  })
  @UseInterceptors(UploadInterceptor(FILE_FIELDS.map((name) => ({ name, types: CSV_TYPES }))))
  upload(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @UploadedFiles() files: Partial<Record<FileKind, Express.Multer.File[]>> | undefined,
  ): Promise<ImportView> {
    const incoming: IncomingFile[] = FILE_FIELDS.flatMap((kind) =>
      (files?.[kind] ?? []).map((f) => ({ kind, name: f.originalname, path: f.path, owned: true })),
    );
    if (incoming.length === 0)
      throw DomainError.invalid('upload a patients file (multipart field "patients")');
    return this.imports.createDraft(practiceId, incoming, user.id);
  }

  @NoPatientData()
  @Get()
  async list(@PracticeParam() practiceId: string): Promise<{ items: ImportView[] }> {
    return { items: await this.imports.list(practiceId) };
  }

  @NoPatientData()
  @Get(':importId')
  get(@PracticeParam() practiceId: string, @Param('importId', ParseUUIDPipe) importId: string) {
    return this.imports.get(practiceId, importId);
  }

  @Audited('imports.preview', 'patient_import', { entityParam: 'importId', shown: () => [] })
  @Post(':importId/preview')
  @HttpCode(200)
  preview(
    @PracticeParam() practiceId: string,
    @Param('importId', ParseUUIDPipe) importId: string,
    @Body() body: PreviewDto,
  ) {
    return this.imports.preview(practiceId, importId, body.mapping);
  }

  @AuditedInService('imports.started')
  @Post(':importId/start')
  @HttpCode(202)
  start(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('importId', ParseUUIDPipe) importId: string,
    @Body() body: StartDto,
  ): Promise<ImportView> {
    return this.imports.start(practiceId, importId, body, user.id);
  }

  @AuditedInService('imports.cancelled')
  @Post(':importId/cancel')
  @HttpCode(200)
  cancel(@PracticeParam() practiceId: string, @Param('importId', ParseUUIDPipe) importId: string) {
    return this.imports.cancel(practiceId, importId);
  }

  @Audited('imports.issues', 'patient_import', { entityParam: 'importId', shown: () => [] })
  @Get(':importId/issues')
  async issues(
    @PracticeParam() practiceId: string,
    @Param('importId', ParseUUIDPipe) importId: string,
    @Query() query: IssuesQuery,
  ) {
    return {
      items: await this.imports.issues(practiceId, importId, {
        severity: query.severity,
        limit: query.limit,
        afterId: query.after,
      }),
    };
  }

  /** Every rejected row (or, with severity=warning, every warning) as CSV, streamed. */
  @Audited('imports.issues-export', 'patient_import', { entityParam: 'importId' })
  @Get(':importId/rejected.csv')
  async rejectedCsv(
    @PracticeParam() practiceId: string,
    @Param('importId', ParseUUIDPipe) importId: string,
    @Query() query: IssuesQuery,
    @Res() res: Response,
  ): Promise<void> {
    const severity = query.severity ?? 'rejected';
    const rows = this.imports.rejectedCsv(practiceId, importId, severity);
    const first = await rows.next(); // fails (404) before any header is sent
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="import-${importId.slice(0, 8)}-${severity === 'rejected' ? 'rejected' : 'warnings'}.csv"`,
    );
    res.write(first.value ?? '');
    for await (const chunk of rows) {
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  }
}

/** The fields a mapping can use, per file kind, with their labels and header synonyms. */
@ApiTags('imports')
@NoPatientData()
@Controller('api/import-fields')
@Roles(Role.Manager, Role.Admin)
export class ImportFieldsController {
  @Get()
  fields() {
    return FIELDS;
  }
}
