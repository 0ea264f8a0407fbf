import { FixedClock } from './clock';

describe('FixedClock (RECALL_NOW)', () => {
  it('stands still at the pinned instant, in UTC, until moved', () => {
    const clock = new FixedClock('2026-03-02T09:00:00-05:00');
    expect(clock.now().toISO()).toBe('2026-03-02T14:00:00.000Z');
    expect(clock.nowDate().toISOString()).toBe('2026-03-02T14:00:00.000Z');
    clock.advance({ minutes: 16 });
    expect(clock.now().toISO()).toBe('2026-03-02T14:16:00.000Z');
  });

  it('refuses something that is not an instant', () => {
    expect(() => new FixedClock('soon')).toThrow(/not an ISO instant/);
  });
});
