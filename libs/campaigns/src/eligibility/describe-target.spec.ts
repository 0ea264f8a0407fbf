import { CAMPAIGN_TYPE_SPECS } from '../campaign-types';
import { describeTarget, type TargetFacts } from './describe-target';

const facts = (change: Partial<TargetFacts> = {}): TargetFacts => ({
  last_seen_on: null,
  last_appt_on: null,
  last_appt_status: null,
  next_appt_on: null,
  age: null,
  in_target: false,
  ...change,
});

describe('describeTarget', () => {
  it('reactivation: the bounds wanted, and when this patient was last seen', () => {
    const rule = CAMPAIGN_TYPE_SPECS.reactivation.defaultRule;
    expect(describeTarget(rule, facts({ last_seen_on: '2024-01-10', in_target: true }))).toBe(
      'in the target (last seen 12–36 months ago); this one: last seen 2024-01-10',
    );
    expect(describeTarget(rule, facts())).toBe(
      'outside the target (last seen 12–36 months ago); this one: never seen',
    );
  });

  it('no-shows: the last appointment with its status, and a rebooking', () => {
    const rule = CAMPAIGN_TYPE_SPECS.no_show.defaultRule;
    expect(
      describeTarget(
        rule,
        facts({ last_appt_on: '2026-05-01', last_appt_status: 'no_show', in_target: true }),
      ),
    ).toBe(
      'in the target (last appointment a no-show within 90 days, not rebooked); this one: last appointment 2026-05-01 a no-show',
    );
    expect(
      describeTarget(
        rule,
        facts({ last_appt_on: '2026-05-01', last_appt_status: 'no_show', next_appt_on: '2026-07-01' }),
      ),
    ).toBe(
      'outside the target (last appointment a no-show within 90 days, not rebooked); this one: last appointment 2026-05-01 a no-show, rebooked for 2026-07-01',
    );
    expect(describeTarget(rule, facts())).toContain('this one: no past appointment');
  });

  it('cancelled: an appointment of another, unknown or unmapped status is named as such', () => {
    const rule = CAMPAIGN_TYPE_SPECS.cancelled.defaultRule;
    expect(describeTarget(rule, facts())).toMatch(
      /^outside the target \(last appointment cancelled within 365 days/,
    );
    const detail = (status: string | null) =>
      describeTarget(rule, facts({ last_appt_on: '2026-01-02', last_appt_status: status }));
    expect(detail('completed')).toContain('last appointment 2026-01-02 completed');
    expect(detail('unknown')).toContain('last appointment 2026-01-02 of unknown status');
    expect(detail(null)).toContain('last appointment 2026-01-02 of unknown status');
    expect(detail('rescheduled')).toContain('last appointment 2026-01-02 rescheduled');
  });

  it('never seen, recent visits and win-back', () => {
    expect(describeTarget({ neverSeen: true }, facts({ in_target: true }))).toBe(
      'in the target (never seen); this one: never seen',
    );
    expect(describeTarget({ neverSeen: true }, facts({ last_seen_on: '2026-06-01' }))).toBe(
      'outside the target (never seen); this one: last seen 2026-06-01',
    );
    expect(describeTarget({ completedVisitWithinDays: 30 }, facts({ last_seen_on: '2026-06-01' }))).toBe(
      'outside the target (a visit within the last 30 days); this one: last seen 2026-06-01',
    );
    expect(describeTarget({ completedVisitWithinDays: 0 }, facts())).toBe(
      'outside the target (a visit within the last 0 days); this one: never seen',
    );
    // The LOST membership is not among the facts: the wanted part alone is shown.
    expect(describeTarget({ lostAtLeastDaysAgo: 60 }, facts())).toBe(
      'outside the target (LOST in another campaign at least 60 days ago)',
    );
  });

  it('filters follow the criteria, with the age band open-ended when one side is missing', () => {
    const rule = {
      lastEncounterMonths: { min: 6, max: 12 },
      providers: ['Dr. Lee', 'Dr. Ng'],
      locations: ['North'],
      states: ['IL', 'WI'],
      ageMin: 18,
      ageMax: 65,
    };
    expect(describeTarget(rule, facts({ last_seen_on: '2025-09-01', age: 40, in_target: true }))).toBe(
      'in the target (last seen 6–12 months ago, provider Dr. Lee/Dr. Ng, location North, state IL/WI, age 18–65); this one: last seen 2025-09-01, age 40',
    );
    expect(describeTarget({ ageMin: 18 }, facts({ age: 17 }))).toBe(
      'outside the target (age 18–∞); this one: age 17',
    );
    expect(describeTarget({ ageMax: 12 }, facts())).toBe(
      'outside the target (age 0–12); this one: age unknown',
    );
    expect(describeTarget({ ageMax: 12 }, facts({ age: undefined }))).toContain('age unknown');
    // An age of 0 is known.
    expect(describeTarget({ ageMax: 12 }, facts({ age: 0 }))).toContain('this one: age 0');
  });

  it('empty filter lists are "any" and do not show', () => {
    expect(describeTarget({ neverSeen: true, providers: [], locations: [], states: [] }, facts())).toBe(
      'outside the target (never seen); this one: never seen',
    );
    expect(describeTarget({}, facts({ in_target: true }))).toBe('in the target (everyone)');
  });

  it('contact campaigns name their category', () => {
    expect(
      describeTarget(CAMPAIGN_TYPE_SPECS.existing_partners.defaultRule, facts({ in_target: true })),
    ).toBe('in the target (an existing partner contact)');
    expect(describeTarget(CAMPAIGN_TYPE_SPECS.new_partners.defaultRule, facts())).toBe(
      'outside the target (a new partner contact)',
    );
    expect(
      describeTarget({ ...CAMPAIGN_TYPE_SPECS.community_outreach.defaultRule, states: ['TX'] }, facts()),
    ).toBe('outside the target (a community contact, state TX)');
  });
});
