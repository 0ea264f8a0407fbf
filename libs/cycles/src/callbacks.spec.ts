import { callbackDueFor } from './callbacks';

describe('callbackDueFor', () => {
  const at = new Date('2026-06-15T15:00:00Z');
  const callback = { at, agentId: 'ann' };
  const hoursLater = (h: number) => new Date(at.getTime() + h * 3_600_000);

  it("is the promising agent's from the promised time on, and no one's before it", () => {
    expect(callbackDueFor(callback, 'ann', hoursLater(-0.5), 4)).toBe(false);
    expect(callbackDueFor(callback, 'ann', at, 4)).toBe(true);
    expect(callbackDueFor(callback, 'ann', hoursLater(30), 4)).toBe(true);
  });

  it('falls to the pool once it is the fallback hours late', () => {
    expect(callbackDueFor(callback, 'bob', at, 4)).toBe(false);
    expect(callbackDueFor(callback, 'bob', hoursLater(3.99), 4)).toBe(false);
    expect(callbackDueFor(callback, 'bob', hoursLater(4), 4)).toBe(true);
    expect(callbackDueFor(callback, 'bob', hoursLater(1), 1)).toBe(true);
    expect(callbackDueFor(callback, 'bob', at, 0)).toBe(true);
  });

  it('without a promised time there is no callback', () => {
    expect(callbackDueFor({ at: null, agentId: 'ann' }, 'ann', at, 4)).toBe(false);
    expect(callbackDueFor({ at: null, agentId: null }, 'bob', hoursLater(10), 4)).toBe(false);
  });
});
