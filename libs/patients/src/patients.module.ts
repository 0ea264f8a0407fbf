import { Module } from '@nestjs/common';
import { DuplicatesService } from './duplicates.service';
import { PatientsService } from './patients.service';

@Module({
  providers: [PatientsService, DuplicatesService],
  exports: [PatientsService, DuplicatesService],
})
export class PatientsModule {}
