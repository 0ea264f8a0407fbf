import { Module } from '@nestjs/common';
import { CampaignsModule } from '@recall/campaigns';
import { PatientsModule } from '@recall/patients';
import { DispositionJobs } from './disposition-jobs';
import { DispositionsService } from './dispositions.service';
import { DoNotCallService } from './do-not-call.service';
import { EscalationsService } from './escalations.service';
import { IdentityService } from './identity.service';
import { SheetImportService } from './sheets/sheet-import.service';
import { TransfersService } from './transfers.service';
import { WorkspaceService } from './workspace.service';

@Module({
  imports: [PatientsModule, CampaignsModule],
  providers: [
    DispositionsService,
    EscalationsService,
    DoNotCallService,
    WorkspaceService,
    SheetImportService,
    DispositionJobs,
    IdentityService,
    TransfersService,
  ],
  exports: [
    DispositionsService,
    EscalationsService,
    DoNotCallService,
    WorkspaceService,
    SheetImportService,
    IdentityService,
    TransfersService,
  ],
})
export class DispositionsModule {}
