import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { CampaignsService } from '@recall/campaigns';
import { DomainError } from '@recall/core';
import { PatientsService, type StoredPhone, type VisitStatus } from '@recall/patients';
import { DataSource } from 'typeorm';
import { DispositionsService, type AttemptView } from './dispositions.service';

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
}

@Injectable()
export class WorkspaceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispositions: DispositionsService,
    private readonly patients: PatientsService,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditService,
  ) {}

  async card(practiceId: string, memberId: string, agent: { displayName: string }): Promise<WorkspaceCard> {
    const [m] = await this.db.query(
      `SELECT m.id, m.campaign_id, c.name AS campaign_name, m.state, m.attempts, m.attempt_cap, m.last_code,
              m.callback_at, m.callback_agent_id, m.patient_id
       FROM campaign_member m JOIN campaign c ON c.id = m.campaign_id
       WHERE m.id = $1 AND m.practice_id = $2`,
      [memberId, practiceId],
    );
    if (!m) throw DomainError.notFound('campaign member');
    const p = m.patient_id ? await this.patients.findById(practiceId, m.patient_id) : null;
    const attempts = await this.dispositions.attempts(
      practiceId,
      m.patient_id ? { patientId: m.patient_id } : { memberId },
    );
    const scripts = await this.campaigns.renderScripts(practiceId, m.campaign_id, {
      patientId: m.patient_id ?? undefined,
      agent,
    });
    await this.audit.record({
      action: 'patient.view',
      practiceId,
      entityType: 'campaign_member',
      entityId: memberId,
      details: { patientId: m.patient_id, view: 'workspace' },
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
        timeZone: p.timeZone,
        phones: [...p.phones].sort((a, b) => Number(b.valid) - Number(a.valid)),
        lastVisitOn: p.lastEncounterOn,
        lastAppointment: p.lastAppointment,
        nextAppointmentOn: p.nextAppointmentOn,
        doNotCall: p.doNotCall !== null,
      },
      attempts,
      script: scripts.script,
      voicemail: scripts.voicemail,
    };
  }
}
