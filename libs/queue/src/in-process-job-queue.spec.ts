import { nextDelayMs } from './in-process-job-queue';

describe('schedule timing (single-process mode)', () => {
  it('waits until the next cron occurrence in the schedule time zone', () => {
    const now = new Date('2026-03-02T14:00:00Z'); // 09:00 in New York
    expect(nextDelayMs({ pattern: '0 0 * * *', tz: 'America/New_York' }, now)).toBe(15 * 3600_000); // local midnight
    expect(nextDelayMs({ pattern: '17 * * * *' }, now)).toBe(17 * 60_000);
  });

  it('uses a fixed interval when given one, and refuses an empty spec', () => {
    expect(nextDelayMs({ everyMs: 5000 }, new Date())).toBe(5000);
    expect(() => nextDelayMs({}, new Date())).toThrow(/pattern or everyMs/);
  });
});
