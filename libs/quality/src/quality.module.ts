import { Module } from '@nestjs/common';
import { QualityJobs } from './quality-jobs';
import { QualityService } from './quality.service';

@Module({
  providers: [QualityService, QualityJobs],
  exports: [QualityService],
})
export class QualityModule {}
