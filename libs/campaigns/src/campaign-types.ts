/**
 * The campaign catalogue: every type a manager can launch, who it calls, and its default
 * targeting rule. Patient campaigns select from imported patients; partner and community
 * campaigns call organisations' contacts on a slow cadence.
 */
export const CAMPAIGN_TYPES = [
  'reactivation',
  'no_show',
  'cancelled',
  'no_encounters',
  'patient_reviews',
  'patient_referrals',
  'existing_partners',
  'new_partners',
  'community_outreach',
  'win_back',
] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

export type Audience = 'patients' | 'contacts';

/** Categories of an imported contact list; each contact campaign calls one. */
export const CONTACT_CATEGORIES = ['existing_partner', 'new_partner', 'community'] as const;
export type ContactCategory = (typeof CONTACT_CATEGORIES)[number];

/** Who a campaign targets, per type; all bounds are editable per campaign. */
export interface TargetRule {
  /** Last encounter between min and max months before today (reactivation). */
  lastEncounterMonths?: { min: number; max: number };
  /** Last appointment had this status within the last `withinDays` days and was not rebooked. */
  lastAppointment?: { status: 'no_show' | 'cancelled'; withinDays: number };
  /** Registered, never seen: no encounter and no completed appointment. */
  neverSeen?: boolean;
  /** A completed visit in the last N days (reviews, referrals). */
  completedVisitWithinDays?: number;
  /** Dispositioned LOST in another campaign of the practice at least N days ago (win-back). */
  lostAtLeastDaysAgo?: number;
  /** Contact campaigns: the contact list category they call. */
  contactCategory?: ContactCategory;
  /** Filters available on every type; empty means "any". */
  providers?: string[];
  locations?: string[];
  states?: string[];
  /** Age in whole years on the practice's today, inclusive. */
  ageMin?: number;
  ageMax?: number;
}

export interface CampaignTypeSpec {
  type: CampaignType;
  label: string;
  audience: Audience;
  description: string;
  defaultRule: TargetRule;
}

export const CAMPAIGN_TYPE_SPECS: Record<CampaignType, CampaignTypeSpec> = {
  reactivation: {
    type: 'reactivation',
    label: 'Reactivation',
    audience: 'patients',
    description: 'Patients who fell out of care: last seen between 12 and 36 months ago.',
    defaultRule: { lastEncounterMonths: { min: 12, max: 36 } },
  },
  no_show: {
    type: 'no_show',
    label: 'No-shows',
    audience: 'patients',
    description: 'Patients whose last appointment, in the last 90 days, was a no-show, not rebooked.',
    defaultRule: { lastAppointment: { status: 'no_show', withinDays: 90 } },
  },
  cancelled: {
    type: 'cancelled',
    label: 'Cancelled',
    audience: 'patients',
    description: 'Patients whose last appointment was cancelled and who have not rebooked.',
    defaultRule: { lastAppointment: { status: 'cancelled', withinDays: 365 } },
  },
  no_encounters: {
    type: 'no_encounters',
    label: 'No encounters',
    audience: 'patients',
    description: 'Registered patients who were never seen.',
    defaultRule: { neverSeen: true },
  },
  patient_reviews: {
    type: 'patient_reviews',
    label: 'Patient reviews',
    audience: 'patients',
    description: 'Patients with a completed visit in the last 30 days, asked for a review.',
    defaultRule: { completedVisitWithinDays: 30 },
  },
  patient_referrals: {
    type: 'patient_referrals',
    label: 'Existing patient referrals',
    audience: 'patients',
    description: 'Patients with a completed visit in the last 30 days, asked to refer friends and family.',
    defaultRule: { completedVisitWithinDays: 30 },
  },
  existing_partners: {
    type: 'existing_partners',
    label: 'Existing referring partners',
    audience: 'contacts',
    description: 'Offices that already refer patients: keep the relationship warm.',
    defaultRule: { contactCategory: 'existing_partner' },
  },
  new_partners: {
    type: 'new_partners',
    label: 'New referring partners',
    audience: 'contacts',
    description: 'Offices that could refer patients: introduce the practice.',
    defaultRule: { contactCategory: 'new_partner' },
  },
  community_outreach: {
    type: 'community_outreach',
    label: 'Community outreach',
    audience: 'contacts',
    description: 'Community organisations: schools, employers, churches, senior centres.',
    defaultRule: { contactCategory: 'community' },
  },
  win_back: {
    type: 'win_back',
    label: 'Win-back',
    audience: 'patients',
    description: 'Patients dispositioned LOST in another campaign at least 60 days ago.',
    defaultRule: { lostAtLeastDaysAgo: 60 },
  },
};

export function isCampaignType(value: string): value is CampaignType {
  return (CAMPAIGN_TYPES as readonly string[]).includes(value);
}

/** Disposition codes whose next step is a retry after a delay (DOMAIN.md §5). */
export const RETRY_CODES = ['NOANS', 'LVM', 'UNAVLBL', 'HUNGUP', 'CBACK', 'WNUM', 'DCONN'] as const;
export type RetryCode = (typeof RETRY_CODES)[number];

export interface CampaignSettings {
  /** Attempts per patient per campaign; the attempt that reaches it exhausts the patient. */
  attemptCap: number;
  /** Working days in one call cycle. */
  cycleWorkingDays: number;
  callsPerAgentPerDay: number;
  /** ISO weekdays the call center works (1 = Monday … 7 = Sunday). */
  workingDays: number[];
  /** Practice-local calling hours, "HH:mm"; federal and state windows still apply on top. */
  callingHours: { start: string; end: string };
  /** A patient with an appointment within this many days is not called. */
  upcomingAppointmentDays: number;
  /** Days before a patient returns after each disposition (DOMAIN.md §5). */
  retryDelayDays: Record<RetryCode, number>;
  /** The number a voicemail asks the patient to call back. */
  callbackNumber: string | null;
  /** Contact campaigns: touches per contact over `touchWindowDays`. */
  touches: number;
  touchWindowDays: number;
  /** Hours after a promised callback time when, its agent not having called, it falls to the pool. */
  callbackFallbackHours: number;
  /** A booking counts as kept when the EMR shows the visit within this many days of the call. */
  attributionDays: number;
}

export const DEFAULT_SETTINGS: CampaignSettings = {
  attemptCap: 5,
  cycleWorkingDays: 10,
  callsPerAgentPerDay: 250,
  workingDays: [1, 2, 3, 4, 5],
  callingHours: { start: '09:00', end: '19:00' },
  upcomingAppointmentDays: 28,
  retryDelayDays: { NOANS: 7, LVM: 3, UNAVLBL: 2, HUNGUP: 14, CBACK: 0, WNUM: 0, DCONN: 0 },
  callbackNumber: null,
  touches: 6,
  touchWindowDays: 90,
  callbackFallbackHours: 4,
  attributionDays: 60,
};
