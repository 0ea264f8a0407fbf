import { describe, expect, it } from '@jest/globals';
import { rangePresets } from './dashboard-summary';

describe('the dashboard range buttons', () => {
  const byLabel = (today: string, launched: string | null) =>
    Object.fromEntries(rangePresets(today, launched).map((p) => [p.label, [p.from, p.to]]));

  it('gives this month to date, the whole last month, the last 28 days and since launch', () => {
    expect(byLabel('2026-12-03', '2026-11-16')).toEqual({
      'This month': ['2026-12-01', '2026-12-03'],
      'Last month': ['2026-11-01', '2026-11-30'],
      'Last 4 weeks': ['2026-11-06', '2026-12-03'],
      'Since launch': ['2026-11-16', '2026-12-03'],
    });
  });

  it('crosses a year and a leap February', () => {
    expect(byLabel('2028-01-10', null)).toEqual({
      'This month': ['2028-01-01', '2028-01-10'],
      'Last month': ['2027-12-01', '2027-12-31'],
      'Last 4 weeks': ['2027-12-14', '2028-01-10'],
    });
    expect(byLabel('2028-03-05', null)['Last month']).toEqual(['2028-02-01', '2028-02-29']);
  });

  it('offers no "since launch" for a campaign not launched or launched later', () => {
    expect(byLabel('2026-12-03', '2026-12-04')['Since launch']).toBeUndefined();
  });
});
