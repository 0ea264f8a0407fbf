import { DateTime } from 'luxon';

/** Practice-local days, inclusive, as YYYY-MM-DD. */
export interface DaySpan {
  from: string;
  to: string;
}

/** A range cut into whole months, whole weeks (Monday first) and the days left over. */
export interface Tiers {
  months: string[];
  weeks: string[];
  days: DaySpan[];
}

const day = (d: DateTime) => d.toISODate()!;

/**
 * Cuts [from, to] so each day is covered exactly once, by the coarsest rollup that fits:
 * whole calendar months (when `months`; every week then lies inside one month, so month
 * buckets stay exact), otherwise whole weeks, and single days at the edges.
 */
export function tiers(from: string, to: string, months: boolean): Tiers {
  const out: Tiers = { months: [], weeks: [], days: [] };
  const end = DateTime.fromISO(to, { zone: 'utc' });
  let start = DateTime.fromISO(from, { zone: 'utc' });
  if (!months) {
    weeksAndDays(start, end, out);
    return out;
  }
  while (start <= end) {
    const monthEnd = start.endOf('month').startOf('day');
    const segmentEnd = monthEnd < end ? monthEnd : end;
    if (start.day === 1 && segmentEnd.equals(monthEnd)) out.months.push(day(start));
    else weeksAndDays(start, segmentEnd, out);
    start = segmentEnd.plus({ days: 1 });
  }
  return out;
}

function weeksAndDays(start: DateTime, end: DateTime, out: Tiers): void {
  const firstMonday = start.weekday === 1 ? start : start.plus({ days: 8 - start.weekday });
  let week = firstMonday;
  while (week.plus({ days: 6 }) <= end) {
    out.weeks.push(day(week));
    week = week.plus({ days: 7 });
  }
  if (week.equals(firstMonday)) {
    out.days.push({ from: day(start), to: day(end) });
    return;
  }
  if (firstMonday > start) out.days.push({ from: day(start), to: day(firstMonday.minus({ days: 1 })) });
  if (week <= end) out.days.push({ from: day(week), to: day(end) });
}
