import { Body, Controller, Get, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@recall/auth';
import {
  CONTACT_CATEGORIES,
  ContactsImportService,
  parseContactCategory,
  parseContactMapping,
} from '@recall/campaigns';
import { DomainError, Role } from '@recall/core';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { rm } from 'node:fs/promises';
import { Audited, AuditedInService } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { PracticeParam } from '../http/practice-param.decorator';
import { CSV_TYPES, UploadInterceptor } from '../http/upload.interceptor';
import { Roles } from '../http/policy.decorators';

class ContactImportDto {
  @ApiPropertyOptional({ enum: CONTACT_CATEGORIES }) @IsString() category!: string;
  @ApiPropertyOptional({ description: 'JSON: { "columns": { "organisation": "Practice Name", … } }' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  mapping?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) dryRun?: string;
}

class ContactListQuery {
  @ApiPropertyOptional({ enum: CONTACT_CATEGORIES })
  @IsOptional()
  @IsIn(CONTACT_CATEGORIES)
  category?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) search?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

/** Partner and community contact lists: imported like EMR exports, called by contact campaigns. */
@ApiTags('campaigns')
@Controller('api/practices/:practiceId/contacts')
@Roles(Role.Manager, Role.Admin)
export class ContactsController {
  constructor(private readonly contacts: ContactsImportService) {}

  @AuditedInService('contacts.import')
  @Post('import')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'category'],
      properties: {
        file: { type: 'string', format: 'binary' },
        category: { type: 'string', enum: [...CONTACT_CATEGORIES] },
        mapping: { type: 'string' },
        dryRun: { type: 'string', enum: ['true', 'false'] },
      },
    },
  })
  @UseInterceptors(UploadInterceptor([{ name: 'file', types: CSV_TYPES }], { single: true }))
  async import(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() body: ContactImportDto,
  ) {
    if (!file) throw DomainError.invalid('upload a contacts file (multipart field "file")');
    try {
      return await this.contacts.importFile(
        practiceId,
        {
          path: file.path,
          name: file.originalname,
          category: parseContactCategory(body.category),
          mapping: body.mapping ? parseContactMapping(body.mapping) : undefined,
          dryRun: body.dryRun === 'true',
        },
        user.id,
      );
    } finally {
      await rm(file.path, { force: true });
    }
  }

  @Audited('contact.list', 'contact')
  @Get()
  list(@PracticeParam() practiceId: string, @Query() query: ContactListQuery) {
    return this.contacts.list(practiceId, query as Parameters<ContactsImportService['list']>[1]);
  }
}
