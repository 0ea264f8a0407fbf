import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { PracticeDataService } from '@recall/audit';
import { Role } from '@recall/core';
import { IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { createGzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AuditedInService } from '../http/audit.decorators';
import { PracticeParam } from '../http/practice-param.decorator';
import { Roles } from '../http/policy.decorators';

class EraseDto {
  @ApiProperty({ description: "The practice's slug, typed again" })
  @IsString()
  @MaxLength(100)
  confirm!: string;
}

/** A practice's own data: all of it exported, or all of it erased. */
@ApiTags('privacy')
@Controller('api/practices/:practiceId')
export class PrivacyController {
  constructor(private readonly data: PracticeDataService) {}

  /** Every row the practice owns, as gzipped NDJSON (`{"table": …, "row": …}` per line), streamed. */
  @Get('export')
  @Roles(Role.Admin, Role.Manager)
  @AuditedInService('practice.export')
  async export(@PracticeParam() practiceId: string, @Res() res: Response): Promise<void> {
    const practice = await this.data.findPractice({ id: practiceId });
    res.setHeader('Content-Type', 'application/gzip');
    res.setHeader('Content-Disposition', `attachment; filename="recall-${practice.slug}-export.ndjson.gz"`);
    await pipeline(Readable.from(this.data.exportLines(practiceId)), createGzip(), res);
  }

  /** Deletes everything of the practice in one transaction; the audit log keeps that it happened. */
  @Post('erase')
  @Roles(Role.Admin)
  @AuditedInService('practice.erased')
  @HttpCode(200)
  erase(@PracticeParam() practiceId: string, @Body() body: EraseDto) {
    return this.data.erase(practiceId, body.confirm);
  }
}
