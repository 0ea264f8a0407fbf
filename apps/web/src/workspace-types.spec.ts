import { describe, expect, it } from '@jest/globals';
import { toWallInput, wallToInstant } from './workspace-types';

describe('wall clocks in a time zone (the workspace pickers)', () => {
  it('reads a wall-clock time in the zone it names', () => {
    expect(new Date(wallToInstant('2026-06-15T14:00', 'America/Chicago')!).toISOString()).toBe(
      '2026-06-15T19:00:00.000Z',
    );
    expect(new Date(wallToInstant('2026-12-15T14:00', 'America/Chicago')!).toISOString()).toBe(
      '2026-12-15T20:00:00.000Z',
    );
    expect(new Date(wallToInstant('2026-06-15T14:00', 'Asia/Kolkata')!).toISOString()).toBe(
      '2026-06-15T08:30:00.000Z',
    );
  });

  it('refuses a time the clocks skip, and what is not a date-time', () => {
    expect(wallToInstant('2026-03-08T02:30', 'America/Chicago')).toBeNull();
    expect(wallToInstant('2026-03-08', 'America/Chicago')).toBeNull();
    expect(wallToInstant('', 'America/Chicago')).toBeNull();
  });

  it('round-trips through the picker value', () => {
    const instant = Date.parse('2026-11-01T06:30:00Z'); // 1:30 AM CDT, the first of two that night
    expect(toWallInput(instant, 'America/Chicago')).toBe('2026-11-01T01:30');
    expect(toWallInput(wallToInstant('2026-07-04T09:05', 'America/Phoenix')!, 'America/Phoenix')).toBe(
      '2026-07-04T09:05',
    );
  });
});
