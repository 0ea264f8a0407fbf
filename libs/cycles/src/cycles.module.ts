import { Module } from '@nestjs/common';
import { PatientsModule } from '@recall/patients';
import { CycleJobs } from './cycle-jobs';
import { CyclesService } from './cycles.service';
import { QueueService } from './queue.service';

@Module({
  imports: [PatientsModule],
  providers: [CyclesService, QueueService, CycleJobs],
  exports: [CyclesService, QueueService],
})
export class CyclesModule {}
