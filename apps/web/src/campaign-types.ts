/**
 * Shapes of the campaigns API as the server sends them; they mirror libs/campaigns
 * (campaign-types.ts, plan/roi-plan.ts), which the browser does not import.
 */

export type CampaignType =
  | 'reactivation'
  | 'no_show'
  | 'cancelled'
  | 'no_encounters'
  | 'patient_reviews'
  | 'patient_referrals'
  | 'existing_partners'
  | 'new_partners'
  | 'community_outreach'
  | 'win_back';

export type Audience = 'patients' | 'contacts';

export type ContactCategory = 'existing_partner' | 'new_partner' | 'community';

export const CONTACT_CATEGORY_LABELS: Record<ContactCategory, string> = {
  existing_partner: 'Existing referring partners',
  new_partner: 'New referring partners',
  community: 'Community organisations',
};

export interface TargetRule {
  lastEncounterMonths?: { min: number; max: number };
  lastAppointment?: { status: 'no_show' | 'cancelled'; withinDays: number };
  neverSeen?: boolean;
  completedVisitWithinDays?: number;
  lostAtLeastDaysAgo?: number;
  contactCategory?: ContactCategory;
  providers?: string[];
  locations?: string[];
  states?: string[];
  ageMin?: number;
  ageMax?: number;
}

export const RETRY_CODES = ['NOANS', 'LVM', 'UNAVLBL', 'HUNGUP', 'CBACK', 'WNUM', 'DCONN'] as const;
export type RetryCode = (typeof RETRY_CODES)[number];

export const RETRY_CODE_LABELS: Record<RetryCode, string> = {
  NOANS: 'No answer',
  LVM: 'Left voicemail',
  UNAVLBL: 'Not available',
  HUNGUP: 'Hung up',
  CBACK: 'Callback',
  WNUM: 'Wrong number',
  DCONN: 'Disconnected',
};

export interface CampaignSettings {
  attemptCap: number;
  cycleWorkingDays: number;
  callsPerAgentPerDay: number;
  /** ISO weekdays (1 = Monday … 7 = Sunday). */
  workingDays: number[];
  /** Practice-local "HH:mm". */
  callingHours: { start: string; end: string };
  upcomingAppointmentDays: number;
  retryDelayDays: Record<RetryCode, number>;
  callbackNumber: string | null;
  touches: number;
  touchWindowDays: number;
}

export interface CampaignTypeInfo {
  type: CampaignType;
  label: string;
  audience: Audience;
  description: string;
  defaultRule: TargetRule;
  defaultScript: string;
  defaultVoicemailScript: string;
}

export type CampaignStatus = 'draft' | 'planned' | 'active' | 'paused' | 'completed';
export type CampaignAction = 'launch' | 'pause' | 'resume' | 'complete';

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: 'Draft',
  planned: 'Planned',
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
};

export interface AgentRef {
  id: string;
  login: string;
  displayName: string;
}

export interface CampaignView {
  id: string;
  practiceId: string;
  type: CampaignType;
  typeLabel: string;
  audience: Audience;
  name: string;
  status: CampaignStatus;
  rule: TargetRule;
  settings: CampaignSettings;
  plan: PlanInputs | null;
  planResult: PlanResult | null;
  planPatients: number | null;
  planSavedAt: string | null;
  agents: AgentRef[];
  script: string;
  voicemailScript: string;
  voicemailWarnings: string[];
  members: { open: number; total: number };
  allowedActions: CampaignAction[];
  createdAt: string;
  launchedAt: string | null;
  completedAt: string | null;
  updatedAt: string;
}

// Eligibility ----------------------------------------------------------------------------------

export type ExclusionReason =
  | 'do_not_call'
  | 'deceased'
  | 'inactive'
  | 'no_valid_phone'
  | 'upcoming_appointment'
  | 'other_campaign'
  | 'attempts_exhausted'
  | 'finished_in_campaign'
  | 'booked_since_import';

/** What a member list can be asked for: the eligible, one exclusion, or the rest of the population. */
export type MemberListReason = 'eligible' | 'not_target' | ExclusionReason;

export interface EligibilitySummary {
  /** Practice-local date the rules were evaluated for. */
  asOf: string;
  population: number;
  candidates: number;
  eligible: number;
  /** Each reason counted separately: one candidate can have several. */
  exclusions: { reason: ExclusionReason; label: string; count: number }[];
  elapsedMs: number;
}

export interface MemberRow {
  id: string;
  mrn: string | null;
  name: string;
  birthDate: string | null;
  lastEncounterOn: string | null;
  lastAppointment: { on: string; status: string } | null;
  nextAppointmentOn: string | null;
  reasons: ExclusionReason[];
}

export interface MemberPage {
  reason: MemberListReason;
  total: number;
  items: MemberRow[];
}

export interface PatientExplanation {
  patient: { id: string; mrn: string | null; name: string };
  inTarget: boolean;
  targetDetail: string;
  eligible: boolean;
  reasons: { reason: ExclusionReason | 'not_target'; label: string; detail: string }[];
}

// Plan -----------------------------------------------------------------------------------------

/** Rates are fractions 0–1. */
export interface PlanInputs {
  dialsPerAgentPerDay: number;
  pickupRate: number;
  bookingRate: number;
  showRate: number;
  revenuePerVisit: number;
  agentMonthlyCost: number;
  weeksPerMonth: number;
  numbersPerAgentPerMonth: number;
  workingDaysPerWeek: number;
  agents?: number;
}

export const DEFAULT_PLAN_INPUTS: PlanInputs = {
  dialsPerAgentPerDay: 200,
  pickupRate: 0.2,
  bookingRate: 0.625,
  showRate: 0.7,
  revenuePerVisit: 100,
  agentMonthlyCost: 1760,
  weeksPerMonth: 52 / 12,
  numbersPerAgentPerMonth: 2000,
  workingDaysPerWeek: 5,
};

/** Top-level figures are per agent; `campaign` multiplies by the agents staffed. */
export interface PlanResult {
  inputs: PlanInputs;
  patients: number;
  contactsPerDay: number;
  bookingsPerDay: number;
  conversionRate: number;
  dailyListReduction: number;
  weeklyListSize: number;
  bookingsPerWeek: number;
  keptVisitsPerWeek: number;
  revenuePerWeek: number;
  revenuePerMonth: number;
  costPerMonth: number;
  netPerMonth: number;
  roiPercent: number | null;
  breakEvenKeptVisitsPerMonth: number | null;
  breakEvenBookingsPerMonth: number | null;
  agentsNeeded: number;
  agents: number;
  daysToExhaust: number | null;
  campaign: {
    agents: number;
    contactsPerDay: number;
    bookingsPerDay: number;
    dailyListReduction: number;
    weeklyListSize: number;
    bookingsPerWeek: number;
    keptVisitsPerWeek: number;
    revenuePerWeek: number;
    revenuePerMonth: number;
    costPerMonth: number;
    netPerMonth: number;
    roiPercent: number | null;
    breakEvenKeptVisitsPerMonth: number | null;
    breakEvenBookingsPerMonth: number | null;
  };
}

// Scripts and contacts -------------------------------------------------------------------------

export interface ScriptPreview {
  script: string;
  voicemail: string;
  warnings: string[];
}

export const SCRIPT_PLACEHOLDERS = [
  '{patient.firstName}',
  '{patient.lastName}',
  '{patient.fullName}',
  '{patient.age}',
  '{practice.name}',
  '{campaign.callbackNumber}',
  '{agent.firstName}',
  '{agent.name}',
  '{lastAppointment.date}',
  '{lastAppointment.status}',
  '{lastVisit.date}',
  '{nextAppointment.date}',
  '{provider.name}',
  '{location.name}',
  '{contact.organisation}',
  '{contact.name}',
] as const;

export interface ContactImportIssue {
  file: string;
  line: number;
  /** Header of the column at fault; null when the row as a whole is. */
  column: string | null;
  reason: string;
  originalRow: string;
}

/** POST …/contacts/import (libs/campaigns/src/contacts/contacts-import.service.ts). */
export interface ContactImportSummary {
  file: string;
  category: ContactCategory;
  dryRun: boolean;
  totalRows: number;
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  mergedRows: number;
  warnings: number;
  rejectedRows: ContactImportIssue[];
  warningRows: ContactImportIssue[];
}

// Display helpers ------------------------------------------------------------------------------

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function money(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : USD.format(value);
}
