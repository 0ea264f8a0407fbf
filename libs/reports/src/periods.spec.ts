import fc from 'fast-check';
import { DateTime } from 'luxon';
import { tiers } from './periods';

/** Every day of each piece, with the piece it came from. */
function expand(from: string, to: string, months: boolean) {
  const t = tiers(from, to, months);
  const covered: { day: string; piece: string }[] = [];
  const each = (start: string, n: number, piece: string) => {
    for (let i = 0; i < n; i++) {
      covered.push({ day: DateTime.fromISO(start).plus({ days: i }).toISODate()!, piece });
    }
  };
  for (const m of t.months) each(m, DateTime.fromISO(m).daysInMonth!, `month ${m}`);
  for (const w of t.weeks) each(w, 7, `week ${w}`);
  for (const s of t.days) {
    each(s.from, DateTime.fromISO(s.to).diff(DateTime.fromISO(s.from), 'days').days + 1, `days ${s.from}`);
  }
  return { t, covered };
}

describe('tiers', () => {
  it('a year from the 1st is twelve months; a partial range uses weeks then days', () => {
    expect(tiers('2026-01-01', '2026-12-31', true)).toEqual({
      months: Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`),
      weeks: [],
      days: [],
    });
    // Wed 2026-06-03 .. Tue 2026-06-23: whole weeks from Monday the 8th to Sunday the 21st.
    expect(tiers('2026-06-03', '2026-06-23', true)).toEqual({
      months: [],
      weeks: ['2026-06-08', '2026-06-15'],
      days: [
        { from: '2026-06-03', to: '2026-06-07' },
        { from: '2026-06-22', to: '2026-06-23' },
      ],
    });
    expect(tiers('2026-06-10', '2026-06-10', false)).toEqual({
      months: [],
      weeks: [],
      days: [{ from: '2026-06-10', to: '2026-06-10' }],
    });
  });

  it('covers every day of any range exactly once, and month pieces never cross a month', () => {
    const anyDay = fc
      .integer({ min: 0, max: 800 })
      .map((n) => DateTime.fromISO('2025-11-20').plus({ days: n }).toISODate()!);
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: 400 }), fc.boolean(), (from, length, months) => {
        const to = DateTime.fromISO(from).plus({ days: length }).toISODate()!;
        const { covered } = expand(from, to, months);
        const days = covered.map((c) => c.day).sort();
        const expected = Array.from({ length: length + 1 }, (_, i) =>
          DateTime.fromISO(from).plus({ days: i }).toISODate()!,
        );
        expect(days).toEqual(expected);
        if (months) {
          const monthsOf = new Map<string, Set<string>>();
          for (const c of covered) {
            if (!monthsOf.has(c.piece)) monthsOf.set(c.piece, new Set());
            monthsOf.get(c.piece)!.add(c.day.slice(0, 7));
          }
          for (const set of monthsOf.values()) expect(set.size).toBe(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a year not aligned to months reads at most a few dozen pieces', () => {
    const { t } = expand('2026-01-15', '2027-01-14', true);
    expect(t.months).toHaveLength(11);
    expect(t.weeks.length + t.days.length).toBeLessThanOrEqual(8);
  });
});
