import { Module } from '@nestjs/common';
import { RollupRefreshService } from './refresh.service';
import { ReportJobs } from './report-jobs';
import { ReportsService } from './reports.service';

@Module({
  providers: [RollupRefreshService, ReportsService, ReportJobs],
  exports: [RollupRefreshService, ReportsService],
})
export class ReportsModule {}
