import { rollup } from './rollup-read';

describe('rollup(): a range read from the coarsest rollup tables', () => {
  it('reads the agent rollup as whole months, whole weeks and the days left over', () => {
    const sql = rollup('agent', { from: '2025-06-16', to: '2026-06-15' });
    expect(sql).toContain(
      `FROM report_agent_day WHERE practice_id = $1 AND (day BETWEEN '2025-06-30' AND '2025-06-30'`,
    );
    expect(sql).toMatch(
      /FROM report_agent_period\s+WHERE practice_id = \$1 AND grain = 'week' AND period = ANY\('\{2025-06-16,2025-06-23,2026-06-01,2026-06-08\}'/,
    );
    expect(sql).toMatch(/grain = 'month' AND period = ANY\('\{2025-07-01,.*,2026-05-01\}'/);
    expect(sql).toContain('first_contacts, first_contact_bookings, identity_verified, identity_failed');
  });

  it('by week, no row spans more than a week', () => {
    const sql = rollup('agent', { from: '2026-05-01', to: '2026-06-30' }, false);
    expect(sql).not.toContain("grain = 'month'");
    expect(sql).toContain("grain = 'week'");
  });
});
