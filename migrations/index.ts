// Every migration, in order. `npm run migration:generate -- <Name>` appends to this list.
import { Initial1795408389410 } from './1795408389410-Initial';
import { AuditAppendOnly1795408394675 } from './1795408394675-AuditAppendOnly';
import { PatientsAndImports1795410804984 } from './1795410804984-PatientsAndImports';
import { ImportIndexes1795413783720 } from './1795413783720-ImportIndexes';
import { Campaigns1796175046492 } from './1796175046492-Campaigns';
import { Cycles1796178236588 } from './1796178236588-Cycles';
import { Dispositions1796189919900 } from './1796189919900-Dispositions';
import { AssignmentMemberIndex1796191409170 } from './1796191409170-AssignmentMemberIndex';
import { Reports1796192683296 } from './1796192683296-Reports';
import { ReportBacklog1796194347984 } from './1796194347984-ReportBacklog';
import { ReportPeriods1796210946913 } from './1796210946913-ReportPeriods';
import { QualityReviews1796211158605 } from './1796211158605-QualityReviews';
import { AuditRetention1796211163830 } from './1796211163830-AuditRetention';
import { PracticeRowSecurity1796216725511 } from './1796216725511-PracticeRowSecurity';
import { AnalyzeAsApp1796239569976 } from './1796239569976-AnalyzeAsApp';
import { CallProtocol1796243801911 } from './1796243801911-CallProtocol';
import { QualityRollups1796298214070 } from './1796298214070-QualityRollups';
import { AccessMfa1796298243299 } from './1796298243299-AccessMfa';
import { CallTransferIntegrity1796298345742 } from './1796298345742-CallTransferIntegrity';

export const migrations = [
  Initial1795408389410,
  AuditAppendOnly1795408394675,
  PatientsAndImports1795410804984,
  ImportIndexes1795413783720,
  Campaigns1796175046492,
  Cycles1796178236588,
  Dispositions1796189919900,
  AssignmentMemberIndex1796191409170,
  Reports1796192683296,
  ReportBacklog1796194347984,
  ReportPeriods1796210946913,
  QualityReviews1796211158605,
  AuditRetention1796211163830,
  PracticeRowSecurity1796216725511,
  AnalyzeAsApp1796239569976,
  CallProtocol1796243801911,
  QualityRollups1796298214070,
  AccessMfa1796298243299,
  CallTransferIntegrity1796298345742,
];
