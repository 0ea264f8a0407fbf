import { Module } from '@nestjs/common';
import { PatientsModule } from '@recall/patients';
import { DispositionJobs } from './disposition-jobs';
import { DispositionsService } from './dispositions.service';
import { DoNotCallService } from './do-not-call.service';
import { EscalationsService } from './escalations.service';

@Module({
  imports: [PatientsModule],
  providers: [DispositionsService, EscalationsService, DoNotCallService, DispositionJobs],
  exports: [DispositionsService, EscalationsService, DoNotCallService],
})
export class DispositionsModule {}
