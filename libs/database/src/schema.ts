import { AuditEvent } from '../../audit/src/audit-event.entity';
import { Practice, Session, User } from '../../auth/src/entities';
import { ImportIssue, MappingProfile, PatientImport } from '../../imports/src/entities';
import { DuplicateCandidate, Patient, Visit } from '../../patients/src/entities';
import { Campaign, CampaignAgent, CampaignMember, Contact } from '../../campaigns/src/entities';
import { AgentAbsence, CallCycle, CallStart, CycleAssignment } from '../../cycles/src/entities';
import {
  BadNumber,
  CallAttempt,
  CallProtocol,
  CallTransfer,
  Escalation,
  TransferGroup,
} from '../../dispositions/src/entities';
import {
  ReportAgentDay,
  ReportAgentPeriod,
  ReportAttemptDay,
  ReportAttemptPeriod,
  ReportBacklog,
  ReportBookingPeriod,
  ReportBookingDay,
  ReportDirty,
  ReportHourDay,
  ReportState,
  ReportTransferDay,
} from '../../reports/src/entities';
import { QaReview, QaSample, QaSetting } from '../../quality/src/entities';
import { migrations } from '../../../migrations';

/** Every entity of the one data source; migrations are generated from this list. */
export const entities = [
  Practice,
  User,
  Session,
  AuditEvent,
  Patient,
  Visit,
  DuplicateCandidate,
  PatientImport,
  ImportIssue,
  MappingProfile,
  Campaign,
  CampaignAgent,
  CampaignMember,
  Contact,
  CallCycle,
  CycleAssignment,
  AgentAbsence,
  CallStart,
  CallAttempt,
  BadNumber,
  Escalation,
  CallProtocol,
  TransferGroup,
  CallTransfer,
  ReportAttemptDay,
  ReportHourDay,
  ReportBookingDay,
  ReportDirty,
  ReportState,
  ReportBacklog,
  ReportAttemptPeriod,
  ReportBookingPeriod,
  ReportAgentDay,
  ReportAgentPeriod,
  ReportTransferDay,
  QaSetting,
  QaSample,
  QaReview,
];

export { migrations };
