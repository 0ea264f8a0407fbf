import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@recall/auth';
import { Role } from '@recall/core';
import { REPORT_NAMES, ReportsService } from '@recall/reports';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DISPOSITION_CODES } from '@recall/dispositions';
import type { Response } from 'express';
import { CurrentUser } from '../http/current-user.decorator';
import { PracticeParam } from '../http/practice-param.decorator';
import { AuditedInService, NoPatientData } from '../http/audit.decorators';
import { Roles } from '../http/policy.decorators';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

class ReportQuery {
  @ApiPropertyOptional({ example: '2026-06-01' })
  @IsOptional()
  @Matches(DAY, { message: 'from must be YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ example: '2026-06-30' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() campaignId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() agentId?: string;
}

class DrilldownQuery extends ReportQuery {
  @ApiPropertyOptional() @IsOptional() @IsIn(DISPOSITION_CODES) code?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50) attemptNumber?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(23) hour?: number;
}

/** Reports read from rollups; owners read, nobody changes anything here. */
@ApiTags('reports')
@Controller('api/practices/:practiceId/reports')
@Roles(Role.Owner, Role.Manager, Role.Admin)
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @NoPatientData()
  @Get()
  list() {
    return { items: REPORT_NAMES };
  }

  /** The raw attempts behind a figure (at most 500, newest first). */
  @AuditedInService('report.drilldown')
  @Get('drilldown/attempts')
  async drilldown(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Query() query: DrilldownQuery,
  ) {
    const result = await this.reports.drilldown(practiceId, query);
    // Minimum necessary: an owner reads figures, not which patient a call was to.
    if (user.role !== Role.Owner) return result;
    return { ...result, items: result.items.map(({ mrn: _mrn, ...rest }) => rest) };
  }

  /** `GET …/reports/funnel` is JSON; `GET …/reports/funnel.csv` is the same table as CSV. */
  @AuditedInService('report.view')
  @Get(':name')
  async report(
    @PracticeParam() practiceId: string,
    @Param('name') name: string,
    @Query() query: ReportQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const csv = name.endsWith('.csv');
    const report = await this.reports.report(practiceId, csv ? name.slice(0, -4) : name, query);
    if (!csv) return report;
    res
      .type('text/csv; charset=utf-8')
      .setHeader(
        'Content-Disposition',
        `attachment; filename="recall-${report.name}-${report.filters.from}-${report.filters.to}.csv"`,
      );
    return `\uFEFF${ReportsService.toCsv(report)}`;
  }
}
