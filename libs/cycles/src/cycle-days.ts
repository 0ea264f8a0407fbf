import { DateTime } from 'luxon';

/**
 * The cycle's working days: `count` days on or after `start` whose ISO weekday is worked and
 * that are not holidays (practice-local calendar dates, YYYY-MM-DD).
 */
export function cycleDays(
  start: string,
  count: number,
  workingDays: readonly number[],
  holidays: readonly string[] = [],
): string[] {
  if (!workingDays.length) throw new Error('no working days');
  const off = new Set(holidays);
  const days: string[] = [];
  let d = DateTime.fromISO(start, { zone: 'utc' });
  if (!d.isValid) throw new Error(`not a date: ${start}`);
  while (days.length < count) {
    const iso = d.toISODate()!;
    if (workingDays.includes(d.weekday) && !off.has(iso)) days.push(iso);
    d = d.plus({ days: 1 });
  }
  return days;
}

/** The first working day on or after `day`. */
export function nextWorkingDay(
  day: string,
  workingDays: readonly number[],
  holidays: readonly string[] = [],
) {
  return cycleDays(day, 1, workingDays, holidays)[0];
}
