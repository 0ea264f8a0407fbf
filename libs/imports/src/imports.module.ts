import { Module } from '@nestjs/common';
import { PatientsModule } from '@recall/patients';
import { ImportJobs } from './import-jobs';
import { ImportRunner } from './pipeline/import-runner';
import { ImportsService } from './services/imports.service';
import { MappingProfilesService } from './services/mapping-profiles.service';

@Module({
  imports: [PatientsModule],
  providers: [ImportRunner, ImportsService, MappingProfilesService, ImportJobs],
  exports: [ImportRunner, ImportsService, MappingProfilesService],
})
export class ImportsModule {}
