import { DomainError } from '@recall/core';
import type { CampaignStatus } from './entities/campaign.entity';

export type CampaignAction = 'launch' | 'pause' | 'resume' | 'complete';
export const CAMPAIGN_ACTIONS: readonly CampaignAction[] = ['launch', 'pause', 'resume', 'complete'];

/** draft → planned → active ⇄ paused → completed; saving a plan moves draft to planned. */
const TRANSITIONS: Record<CampaignAction, { from: readonly CampaignStatus[]; to: CampaignStatus }> = {
  launch: { from: ['planned'], to: 'active' },
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  complete: { from: ['active', 'paused'], to: 'completed' },
};

export interface LaunchReadiness {
  hasPlan: boolean;
  agents: number;
}

export function allowedActions(status: CampaignStatus): CampaignAction[] {
  return CAMPAIGN_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status));
}

/**
 * The status an action leads to, or a DomainError saying why not. A launch needs a saved
 * plan and at least one agent: no agent hour is spent before the numbers are seen.
 */
export function nextStatus(
  status: CampaignStatus,
  action: CampaignAction,
  readiness: LaunchReadiness,
): CampaignStatus {
  if (action === 'launch' && status === 'draft' && !readiness.hasPlan) {
    throw DomainError.conflict('save the ROI plan before launching the campaign');
  }
  const t = TRANSITIONS[action];
  if (!t.from.includes(status)) {
    const can = allowedActions(status);
    // A draft has no action yet, but it is not finished: saving the plan moves it on.
    const instead = can.length
      ? `it can ${can.join(' or ')}`
      : status === 'draft'
        ? 'save its ROI plan first'
        : 'it can no longer change';
    throw DomainError.conflict(
      `${status === 'active' ? 'an' : 'a'} ${status} campaign cannot ${action}; ${instead}`,
    );
  }
  if (action === 'launch' && readiness.agents === 0) {
    throw DomainError.conflict('assign at least one agent before launching the campaign');
  }
  return t.to;
}

/** Statuses in which targeting (the rule) may still change. */
export function ruleEditable(status: CampaignStatus): boolean {
  return status === 'draft' || status === 'planned';
}
