import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { CampaignsService } from '@recall/campaigns';
import { DomainError, Role } from '@recall/core';
import { PatientsService, type StoredPhone, type VisitStatus } from '@recall/patients';
import { DataSource } from 'typeorm';
import { DispositionsService, type AttemptView } from './dispositions.service';
import { IdentityService, type CallIdentity } from './identity.service';

/** What the agent's workspace shows for the patient on the call: no more than the call needs. */
export interface WorkspaceCard {
  member: {
    id: string;
    campaignId: string;
    campaignName: string;
    state: string;
    attempts: number;
    attemptCap: number;
    lastCode: string | null;
    callbackAt: string | null;
    callbackAgentId: string | null;
  };
  patient: {
    id: string;
    mrn: string;
    name: { first: string | null; last: string | null };
    birthDate: string | null;
    state: string | null;
    /** Shown for the identity check when the practice verifies it. */
    zip: string | null;
    timeZone: string;
    /** Valid numbers first, then the rest (bad or invalid, shown struck through). */
    phones: StoredPhone[];
    lastVisitOn: string | null;
    lastAppointment: { on: string; status: VisitStatus } | null;
    nextAppointmentOn: string | null;
    doNotCall: boolean;
  } | null;
  /** Every attempt on the patient, in every campaign, newest first. */
  attempts: AttemptView[];
  script: string;
  voicemail: string;
  /** The identity check of the viewer's current call on this patient (protocol 001). */
  identity: CallIdentity;
  /**
   * True until that check passes: the card holds what the agent needs to dial and to ask (name,
   * date of birth, phones, ZIP state, the attempts' codes), not visits, reasons or remarks.
   */
  redacted: boolean;
}

/** The viewer of a card: an agent on a call, or a manager looking from the back office. */
export interface CardViewer {
  id: string;
  role: Role;
  displayName: string;
}

@Injectable()
export class WorkspaceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispositions: DispositionsService,
    private readonly patients: PatientsService,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditService,
    private readonly identity: IdentityService,
  ) {}

  /**
   * Details wait for the identity check: while the viewer has a call in progress on the patient
   * they show once it is verified; an agent with no call in progress sees the redacted card too
   * (a manager or admin without a call sees it all, as the back office does).
   */
  async card(practiceId: string, memberId: string, viewer: CardViewer): Promise<WorkspaceCard> {
    const [m] = await this.db.query(
      `SELECT m.id, m.campaign_id, c.name AS campaign_name, m.state, m.attempts, m.attempt_cap, m.last_code,
              m.callback_at, m.callback_agent_id, m.patient_id
       FROM campaign_member m JOIN campaign c ON c.id = m.campaign_id
       WHERE m.id = $1 AND m.practice_id = $2`,
      [memberId, practiceId],
    );
    if (!m) throw DomainError.notFound('campaign member');
    const identity = await this.identity.currentCall(practiceId, memberId, viewer.id);
    const redacted = identity.callStartId ? identity.status !== 'verified' : viewer.role === Role.Agent;
    const p = m.patient_id ? await this.patients.findById(practiceId, m.patient_id) : null;
    const history = await this.dispositions.attempts(
      practiceId,
      m.patient_id ? { patientId: m.patient_id } : { memberId },
    );
    const attempts = redacted
      ? history.map((a) => ({ ...a, appointmentAt: null, reason: null, remarks: null }))
      : history;
    const scripts = await this.campaigns.renderScripts(practiceId, m.campaign_id, {
      patientId: m.patient_id ?? undefined,
      agent: viewer,
      nameOnly: redacted,
    });
    await this.audit.record({
      action: 'patient.view',
      practiceId,
      entityType: 'campaign_member',
      entityId: memberId,
      details: { patientId: m.patient_id, view: 'workspace', redacted, callStartId: identity.callStartId },
    });
    return {
      member: {
        id: m.id,
        campaignId: m.campaign_id,
        campaignName: m.campaign_name,
        state: m.state,
        attempts: m.attempts,
        attemptCap: m.attempt_cap,
        lastCode: m.last_code,
        callbackAt: m.callback_at?.toISOString() ?? null,
        callbackAgentId: m.callback_agent_id,
      },
      patient: p && {
        id: p.id,
        mrn: p.mrn,
        name: { first: p.name.first, last: p.name.last },
        birthDate: p.birthDate,
        state: p.state,
        zip: p.zip,
        timeZone: p.timeZone,
        phones: [...p.phones].sort((a, b) => Number(b.valid) - Number(a.valid)),
        lastVisitOn: redacted ? null : p.lastEncounterOn,
        lastAppointment: redacted ? null : p.lastAppointment,
        nextAppointmentOn: redacted ? null : p.nextAppointmentOn,
        doNotCall: p.doNotCall !== null,
      },
      attempts,
      script: scripts.script,
      voicemail: scripts.voicemail,
      identity,
      redacted,
    };
  }
}
