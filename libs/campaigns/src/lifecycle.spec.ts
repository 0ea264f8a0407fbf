import { DomainError, DomainErrorCode } from '@recall/core';
import { CAMPAIGN_STATUSES, type CampaignStatus } from './entities/campaign.entity';
import { allowedActions, CAMPAIGN_ACTIONS, nextStatus, ruleEditable, type CampaignAction } from './lifecycle';

const ready = { hasPlan: true, agents: 2 };

/** The whole table: where each action leads from each status, or undefined when refused. */
const EXPECTED: Record<CampaignStatus, Partial<Record<CampaignAction, CampaignStatus>>> = {
  draft: {},
  planned: { launch: 'active' },
  active: { pause: 'paused', complete: 'completed' },
  paused: { resume: 'active', complete: 'completed' },
  completed: {},
};

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, got none');
}

describe('campaign lifecycle', () => {
  describe.each(CAMPAIGN_STATUSES)('from %s', (status) => {
    it.each(CAMPAIGN_ACTIONS)('%s', (action) => {
      const to = EXPECTED[status][action];
      if (to) {
        expect(nextStatus(status, action, ready)).toBe(to);
      } else {
        const e = refusal(() => nextStatus(status, action, ready));
        expect(e.code).toBe(DomainErrorCode.Conflict);
        expect(e.message).toContain(
          `${status === 'active' ? 'an' : 'a'} ${status} campaign cannot ${action}`,
        );
      }
    });

    it('allowedActions lists exactly the actions nextStatus accepts, in a fixed order', () => {
      expect(allowedActions(status)).toEqual(CAMPAIGN_ACTIONS.filter((a) => EXPECTED[status][a]));
    });
  });

  it('a refusal says what the campaign can do instead', () => {
    expect(refusal(() => nextStatus('active', 'resume', ready)).message).toBe(
      'an active campaign cannot resume; it can pause or complete',
    );
    expect(refusal(() => nextStatus('paused', 'pause', ready)).message).toBe(
      'a paused campaign cannot pause; it can resume or complete',
    );
    expect(refusal(() => nextStatus('completed', 'resume', ready)).message).toBe(
      'a completed campaign cannot resume; it can no longer change',
    );
    // A draft is not finished: its next step is saving the plan.
    expect(refusal(() => nextStatus('draft', 'pause', ready)).message).toBe(
      'a draft campaign cannot pause; save its ROI plan first',
    );
  });

  it('a draft cannot launch before its plan is saved, whatever its agents', () => {
    for (const agents of [0, 1, 5]) {
      const e = refusal(() => nextStatus('draft', 'launch', { hasPlan: false, agents }));
      expect(e.code).toBe(DomainErrorCode.Conflict);
      expect(e.message).toBe('save the ROI plan before launching the campaign');
    }
  });

  it('a planned campaign cannot launch without an agent, and launches with one', () => {
    const e = refusal(() => nextStatus('planned', 'launch', { hasPlan: true, agents: 0 }));
    expect(e.code).toBe(DomainErrorCode.Conflict);
    expect(e.message).toBe('assign at least one agent before launching the campaign');
    expect(nextStatus('planned', 'launch', { hasPlan: true, agents: 1 })).toBe('active');
  });

  it('the agent check only guards a launch', () => {
    const none = { hasPlan: true, agents: 0 };
    expect(nextStatus('active', 'pause', none)).toBe('paused');
    expect(nextStatus('paused', 'resume', none)).toBe('active');
    expect(nextStatus('paused', 'complete', none)).toBe('completed');
  });

  it('targeting may change only before launch', () => {
    expect(CAMPAIGN_STATUSES.filter(ruleEditable)).toEqual(['draft', 'planned']);
  });
});
