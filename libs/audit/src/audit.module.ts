import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from './audit-event.entity';
import { AuditJobs } from './audit-jobs';
import { AuditService } from './audit.service';
import { PracticeDataService } from './practice-data.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  providers: [AuditService, AuditJobs, PracticeDataService],
  exports: [AuditService, PracticeDataService],
})
export class AuditModule {}
