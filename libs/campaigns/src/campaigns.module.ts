import { Module } from '@nestjs/common';
import { PatientsModule } from '@recall/patients';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [PatientsModule],
  providers: [CampaignsService],
  exports: [CampaignsService],
})
export class CampaignsModule {}
