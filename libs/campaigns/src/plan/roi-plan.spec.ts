import { DomainError } from '@recall/core';
import fc from 'fast-check';
import {
  computePlan,
  DEFAULT_PLAN_INPUTS,
  formatPlan,
  type PlanInputs,
  planInputsSchema,
  resolvePlanInputs,
} from './roi-plan';

const plan = (over: Partial<PlanInputs>, patients = 4000) => computePlan(resolvePlanInputs(over), patients);

function invalidMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).message;
  }
  throw new Error('expected a DomainError');
}

describe('ROI plan: the worked example of DOMAIN.md §8', () => {
  it('counts per agent as the text does at 4 weeks per month', () => {
    const r = plan({ weeksPerMonth: 4 });
    expect(r).toMatchObject({
      patients: 4000,
      contactsPerDay: 40,
      bookingsPerDay: 25,
      conversionRate: 0.125,
      dailyListReduction: 40,
      weeklyListSize: 1000,
      bookingsPerWeek: 125,
      keptVisitsPerWeek: 87.5,
      revenuePerWeek: 8750,
      revenuePerMonth: 35000,
      costPerMonth: 1760,
      netPerMonth: 33240,
      roiPercent: 1888.64,
      breakEvenKeptVisitsPerMonth: 18,
      breakEvenBookingsPerMonth: 26,
      agentsNeeded: 2,
      agents: 2,
      daysToExhaust: 50,
    });
  });

  it('uses 52/12 weeks per month by default', () => {
    const r = computePlan(DEFAULT_PLAN_INPUTS, 4000);
    expect(r.inputs.weeksPerMonth).toBe(52 / 12);
    expect(r.revenuePerMonth).toBe(37916.67);
    expect(r.netPerMonth).toBe(36156.67);
    expect(r.roiPercent).toBe(2054.36);
    expect(r.breakEvenBookingsPerMonth).toBe(26);
  });

  it('scales to the campaign with the agents staffed', () => {
    const { campaign } = plan({ weeksPerMonth: 4 });
    expect(campaign).toEqual({
      agents: 2,
      contactsPerDay: 80,
      bookingsPerDay: 50,
      dailyListReduction: 80,
      weeklyListSize: 2000,
      bookingsPerWeek: 250,
      keptVisitsPerWeek: 175,
      revenuePerWeek: 17500,
      revenuePerMonth: 70000,
      costPerMonth: 3520,
      netPerMonth: 66480,
      roiPercent: 1888.64,
      breakEvenKeptVisitsPerMonth: 36,
      breakEvenBookingsPerMonth: 51,
    });
  });

  it('prints a table with the example’s figures', () => {
    const lines = formatPlan(plan({ weeksPerMonth: 4 }));
    const row = (label: string) => lines.find((l) => l.startsWith(label))?.split(/\s{2,}/);
    expect(row('Contacts per day')).toEqual(['Contacts per day', '40', '80']);
    expect(row('Conversion')).toEqual(['Conversion (bookings per dial)', '12.5%', '12.5%']);
    expect(row('Kept visits per week')).toEqual(['Kept visits per week', '87.5', '175']);
    expect(row('Revenue per month')).toEqual(['Revenue per month', '$35,000.00', '$70,000.00']);
    expect(row('Net per month')).toEqual(['Net per month', '$33,240.00', '$66,480.00']);
    expect(row('Break-even bookings')).toEqual(['Break-even bookings per month', '26', '51']);
    expect(lines.join('\n')).toMatch(/pickup 20%, booking 62\.5%, show 70%/);
    expect(lines.join('\n')).toMatch(/agents needed 2, staffed 2/);
    expect(lines.at(-1)).toBe('Days to exhaust the list: 50 working days');
    // Columns line up: every value row is as wide as the header row.
    const table = lines.filter((l) => /\d$/.test(l) && !l.startsWith('Inputs') && !l.startsWith('Patients'));
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });
});

describe('ROI plan: edge cases', () => {
  it('zero pickup: nothing booked, the list is never exhausted, the loss is the cost', () => {
    const r = plan({ pickupRate: 0, weeksPerMonth: 4 });
    expect(r.contactsPerDay).toBe(0);
    expect(r.bookingsPerDay).toBe(0);
    expect(r.conversionRate).toBe(0);
    expect(r.revenuePerMonth).toBe(0);
    expect(r.netPerMonth).toBe(-1760);
    expect(r.roiPercent).toBe(-100);
    expect(r.daysToExhaust).toBeNull();
    expect(r.campaign.netPerMonth).toBe(-3520);
    // Break-even depends on visit value, not on pickup.
    expect(r.breakEvenBookingsPerMonth).toBe(26);
    expect(formatPlan(r).at(-1)).toBe('Days to exhaust the list: never (no contacts)');
    expect(formatPlan(r).find((l) => l.startsWith('Net per month'))).toMatch(/-\$1,760\.00\s+-\$3,520\.00$/);
  });

  it('zero revenue per visit or zero show rate: break-even can never be reached', () => {
    const free = plan({ revenuePerVisit: 0 });
    expect(free.breakEvenKeptVisitsPerMonth).toBeNull();
    expect(free.breakEvenBookingsPerMonth).toBeNull();
    expect(free.campaign.breakEvenBookingsPerMonth).toBeNull();
    expect(free.revenuePerMonth).toBe(0);
    expect(formatPlan(free).find((l) => l.startsWith('Break-even bookings'))).toMatch(/never\s+never$/);

    const noShows = plan({ showRate: 0 });
    expect(noShows.keptVisitsPerWeek).toBe(0);
    expect(noShows.breakEvenKeptVisitsPerMonth).toBe(18);
    expect(noShows.breakEvenBookingsPerMonth).toBeNull();
  });

  it('zero cost: no ROI percentage, break-even at zero, net is the revenue', () => {
    const r = plan({ agentMonthlyCost: 0, weeksPerMonth: 4 });
    expect(r.roiPercent).toBeNull();
    expect(r.campaign.roiPercent).toBeNull();
    expect(r.netPerMonth).toBe(35000);
    expect(r.breakEvenKeptVisitsPerMonth).toBe(0);
    expect(r.breakEvenBookingsPerMonth).toBe(0);
    expect(formatPlan(r).find((l) => l.startsWith('ROI'))).toMatch(/never\s+never$/);
  });

  it('no patients: no agents needed, one staffed, nothing to exhaust', () => {
    const r = plan({}, 0);
    expect(r.agentsNeeded).toBe(0);
    expect(r.agents).toBe(1);
    expect(r.daysToExhaust).toBe(0);
    expect(r.campaign.costPerMonth).toBe(1760);
  });

  it('tiny lists: one patient needs one agent and one day', () => {
    expect(plan({}, 1)).toMatchObject({ agentsNeeded: 1, agents: 1, daysToExhaust: 1 });
    expect(plan({}, 40)).toMatchObject({ agentsNeeded: 1, daysToExhaust: 1 });
    expect(plan({}, 41)).toMatchObject({ agentsNeeded: 1, daysToExhaust: 2 });
    expect(plan({}, 2000)).toMatchObject({ agentsNeeded: 1, daysToExhaust: 50 });
    expect(plan({}, 2001)).toMatchObject({ agentsNeeded: 2, daysToExhaust: 26 });
  });

  it('agents given override the derived number, which stays reported', () => {
    const r = plan({ agents: 5 }, 4000);
    expect(r.agentsNeeded).toBe(2);
    expect(r.agents).toBe(5);
    expect(r.campaign.agents).toBe(5);
    expect(r.daysToExhaust).toBe(20);
    expect(r.campaign.costPerMonth).toBe(8800);
    const understaffed = plan({ agents: 1 }, 4000);
    expect(understaffed.agents).toBe(1);
    expect(understaffed.daysToExhaust).toBe(100);
  });

  it('does not round float noise up', () => {
    // Each ratio is an exact integer that floats compute a hair above it (e.g. 10.000000000000002).
    expect(290 / (100 * 0.29)).toBeGreaterThan(10);
    expect(plan({ dialsPerAgentPerDay: 100, pickupRate: 0.29, agents: 1 }, 290).daysToExhaust).toBe(10);
    expect(
      plan({ revenuePerVisit: 100, showRate: 0.29, agentMonthlyCost: 290 }).breakEvenBookingsPerMonth,
    ).toBe(10);
    expect(plan({ revenuePerVisit: 0.7, agentMonthlyCost: 4.2 }).breakEvenKeptVisitsPerMonth).toBe(6);
    expect(plan({ numbersPerAgentPerMonth: 3 }, 9).agentsNeeded).toBe(3);
    // …while a genuine remainder still rounds up.
    expect(plan({ dialsPerAgentPerDay: 100, pickupRate: 0.29, agents: 1 }, 291).daysToExhaust).toBe(11);
    expect(plan({ revenuePerVisit: 0.7, agentMonthlyCost: 4.21 }).breakEvenKeptVisitsPerMonth).toBe(7);
  });

  it('rounds money to cents and rates to 4 decimals only in the output', () => {
    const r = plan({ pickupRate: 1 / 3, bookingRate: 1 / 3, revenuePerVisit: 10, weeksPerMonth: 4 });
    expect(r.contactsPerDay).toBe(66.67);
    expect(r.bookingsPerDay).toBe(22.22);
    expect(r.conversionRate).toBe(0.1111);
    // Full precision: 200/9 × 5 × 0.7 × 10 = 777.777…, not 22.22 × 5 × 0.7 × 10 = 777.70.
    expect(r.revenuePerWeek).toBe(777.78);
    expect(r.revenuePerMonth).toBe(3111.11);
  });

  it('refuses a bad population size', () => {
    expect(invalidMessage(() => computePlan(DEFAULT_PLAN_INPUTS, -1))).toBe(
      'patients: must be a whole number, 0 or more (got -1)',
    );
    expect(invalidMessage(() => computePlan(DEFAULT_PLAN_INPUTS, 2.5))).toMatch(/patients: .*\(got 2\.5\)/);
  });
});

describe('ROI plan inputs', () => {
  it('fills the defaults of DOMAIN.md §8 and keeps what is given', () => {
    expect(resolvePlanInputs({})).toEqual(DEFAULT_PLAN_INPUTS);
    expect(resolvePlanInputs({ pickupRate: 0.3, agents: 3 })).toEqual({
      ...DEFAULT_PLAN_INPUTS,
      pickupRate: 0.3,
      agents: 3,
    });
    expect(resolvePlanInputs({ pickupRate: undefined })).toEqual(DEFAULT_PLAN_INPUTS);
    expect(resolvePlanInputs({ agents: null } as never)).toEqual(DEFAULT_PLAN_INPUTS);
    expect(planInputsSchema.safeParse(DEFAULT_PLAN_INPUTS).success).toBe(true);
  });

  it('accepts the boundaries', () => {
    const edge = {
      dialsPerAgentPerDay: 1000,
      pickupRate: 1,
      bookingRate: 0,
      showRate: 1,
      revenuePerVisit: 0,
      agentMonthlyCost: 0,
      weeksPerMonth: 5,
      numbersPerAgentPerMonth: 1,
      workingDaysPerWeek: 7,
      agents: 1000,
    };
    expect(resolvePlanInputs(edge)).toEqual(edge);
    expect(resolvePlanInputs({ dialsPerAgentPerDay: 1, workingDaysPerWeek: 1, agents: 1 })).toMatchObject({
      dialsPerAgentPerDay: 1,
    });
  });

  it('names every bad field with the rule and the value', () => {
    const message = invalidMessage(() =>
      resolvePlanInputs({
        pickupRate: 1.5,
        bookingRate: -0.1,
        showRate: Number.NaN,
        revenuePerVisit: -1,
        dialsPerAgentPerDay: 0,
        weeksPerMonth: 0,
        numbersPerAgentPerMonth: 2.5,
        workingDaysPerWeek: 8,
        agents: 0,
      }),
    );
    for (const expected of [
      'pickupRate: must be between 0 and 1 (got 1.5)',
      'bookingRate: must be between 0 and 1 (got -0.1)',
      'showRate: must be between 0 and 1 (got NaN)',
      'revenuePerVisit: must be 0 or more (got -1)',
      'dialsPerAgentPerDay: must be a whole number between 1 and 1000 (got 0)',
      'weeksPerMonth: must be more than 0 and at most 5 (got 0)',
      'numbersPerAgentPerMonth: must be a whole number, 1 or more (got 2.5)',
      'workingDaysPerWeek: must be a whole number between 1 and 7 (got 8)',
      'agents: must be a whole number between 1 and 1000 (got 0)',
    ])
      expect(message).toContain(expected);
    expect(message).not.toMatch(/agentMonthlyCost/);
  });

  it('refuses wrong types, other bounds and unknown fields', () => {
    expect(invalidMessage(() => resolvePlanInputs({ pickupRate: '20%' } as never))).toBe(
      'invalid plan: pickupRate: must be between 0 and 1 (got "20%")',
    );
    expect(invalidMessage(() => resolvePlanInputs({ dialsPerAgentPerDay: 1001 }))).toMatch(/\(got 1001\)/);
    expect(invalidMessage(() => resolvePlanInputs({ weeksPerMonth: 5.01 }))).toMatch(/weeksPerMonth/);
    expect(invalidMessage(() => resolvePlanInputs({ agentMonthlyCost: Infinity }))).toMatch(
      /agentMonthlyCost: must be 0 or more \(got Infinity\)/,
    );
    expect(invalidMessage(() => resolvePlanInputs({ pickup_rate: 0.3 } as never))).toBe(
      'invalid plan: pickup_rate: not a plan input',
    );
    expect(invalidMessage(() => resolvePlanInputs(null as never))).toBe('plan inputs must be an object');
  });
});

describe('ROI plan: properties', () => {
  const inputs = fc.record({
    dialsPerAgentPerDay: fc.integer({ min: 1, max: 1000 }),
    pickupRate: fc.double({ min: 0, max: 1, noNaN: true }),
    bookingRate: fc.double({ min: 0, max: 1, noNaN: true }),
    showRate: fc.double({ min: 0, max: 1, noNaN: true }),
    revenuePerVisit: fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
    agentMonthlyCost: fc.integer({ min: 0, max: 2_000_000 }).map((c) => c / 100),
    weeksPerMonth: fc.constantFrom(4, 52 / 12, 4.5, 5),
    numbersPerAgentPerMonth: fc.integer({ min: 1, max: 10_000 }),
    workingDaysPerWeek: fc.integer({ min: 1, max: 7 }),
    agents: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
  });
  const patients = fc.integer({ min: 0, max: 2_000_000 });

  it('net is revenue minus cost, per agent and for the campaign', () => {
    fc.assert(
      fc.property(inputs, patients, (i, n) => {
        const r = computePlan(i, n);
        expect(r.netPerMonth).toBeCloseTo(r.revenuePerMonth - r.costPerMonth, 2);
        expect(r.campaign.netPerMonth).toBeCloseTo(r.campaign.revenuePerMonth - r.campaign.costPerMonth, 2);
        if (r.costPerMonth > 0) expect(Math.sign(r.roiPercent!)).toBe(Math.sign(r.netPerMonth));
      }),
    );
  });

  it('campaign figures are the per-agent figures times the agents staffed', () => {
    fc.assert(
      fc.property(inputs, patients, (i, n) => {
        const r = computePlan(i, n);
        const c = r.campaign;
        expect(r.agents).toBe(i.agents ?? Math.max(1, r.agentsNeeded));
        expect(c.agents).toBe(r.agents);
        const slack = 0.005 * r.agents + 0.005;
        for (const key of [
          'bookingsPerWeek',
          'keptVisitsPerWeek',
          'revenuePerWeek',
          'revenuePerMonth',
        ] as const)
          expect(Math.abs(c[key] - r[key] * r.agents)).toBeLessThanOrEqual(slack);
        expect(c.costPerMonth).toBeCloseTo(i.agentMonthlyCost * r.agents, 2);
        expect(c.weeklyListSize).toBe(r.weeklyListSize * r.agents);
      }),
    );
  });

  /** `n` is the fewest whole units of `perUnit` covering `total` (or null when no number can). */
  function expectFewestCovering(n: number | null, total: number, perUnit: number): void {
    if (perUnit === 0 || !Number.isFinite(total / perUnit)) return expect(n).toBeNull();
    expect(Number.isInteger(n)).toBe(true);
    expect(n! * perUnit).toBeGreaterThanOrEqual(total * (1 - 2e-9));
    if (n! > 0) expect((n! - 1) * perUnit).toBeLessThan(total);
  }

  it('break-even is the fewest bookings (and kept visits) that cover the cost', () => {
    fc.assert(
      fc.property(inputs, patients, (i, n) => {
        const r = computePlan(i, n);
        expectFewestCovering(r.breakEvenBookingsPerMonth, i.agentMonthlyCost, i.revenuePerVisit * i.showRate);
        expectFewestCovering(r.breakEvenKeptVisitsPerMonth, i.agentMonthlyCost, i.revenuePerVisit);
        expectFewestCovering(
          r.campaign.breakEvenBookingsPerMonth,
          i.agentMonthlyCost * r.agents,
          i.revenuePerVisit * i.showRate,
        );
      }),
    );
  });

  it('the staffed agents contact every patient within daysToExhaust days, and not a day sooner', () => {
    fc.assert(
      fc.property(inputs, patients, (i, n) => {
        const r = computePlan(i, n);
        if (n === 0) expect(r.daysToExhaust).toBe(0);
        else expectFewestCovering(r.daysToExhaust, n, i.dialsPerAgentPerDay * i.pickupRate * r.agents);
        expectFewestCovering(r.agentsNeeded, n, i.numbersPerAgentPerMonth);
      }),
    );
  });
});
