/**
 * The owner dashboard's "in short": a few plain sentences made from the reports' own figures
 * (compared and worded, never recomputed), so every number in them is one the API returned.
 */
import { count, isNumber, money, percent, plural, points, type Cell, type Report } from './report-types';

export interface DashboardReports {
  roi?: Report;
  attempts?: Report;
  hours?: Report;
  backlog?: Report;
}

const AGE_WORDS: Record<string, string> = {
  '<18': 'patients under 18',
  '80+': 'patients 80 and over',
  unknown: 'patients of unknown age',
};
const ORDINAL = ['', '1st', '2nd', '3rd', '4th', '5th', '6th', '7th', '8th', '9th', '10th'];
const ordinal = (n: number) => ORDINAL[n] ?? `${n}th`;
const patients = (n: Cell | undefined) => `${count(n)} ${plural(n, 'patient')}`;
const calls = (n: Cell | undefined) => `${count(n)} ${plural(n, 'call')}`;

export function summarize({ roi, attempts, hours, backlog }: DashboardReports): string[] {
  const out: string[] = [];
  if (roi) {
    const s = roi.summary;
    const revenue = roi.rows.find((r) => r.metric === 'revenue');
    const name = String(s.campaign ?? 'The campaign');
    if (revenue && isNumber(revenue.vsPlan) && isNumber(revenue.planned)) {
      const v = revenue.vsPlan;
      const how = v > 0 ? `${percent(v)} ahead of plan` : v < 0 ? `${percent(-v)} behind plan` : 'on plan';
      out.push(
        `${name} is ${how}: ${money(revenue.projected)} projected revenue against ${money(revenue.planned)} planned for these ${count(s.days)} days.`,
      );
    } else if (s.planned !== 'yes') {
      out.push(`${name} has no saved plan, so there is nothing to set the results against.`);
    }
    out.push(
      `${money(s.revenue)} won so far from ${count(s.keptVisits)} kept ${plural(s.keptVisits, 'visit')}; ` +
        `net after ${money(s.agentCost)} agent cost: ${money(s.net)} projected` +
        (isNumber(s.roiPercent) ? ` (ROI ${points(s.roiPercent)}).` : '.'),
    );
    if (isNumber(s.breakEvenProgress)) {
      out.push(
        s.breakEvenProgress >= 1
          ? `Past break-even: ${count(s.projectedKeptVisits)} kept visits projected against ${count(s.breakEvenKeptVisits)} needed.`
          : `${percent(s.breakEvenProgress)} of the way to break-even: ${count(s.projectedKeptVisits)} of ${count(s.breakEvenKeptVisits)} kept visits (projected).`,
      );
    }
    const pending = s.pendingBookings;
    out.push(
      isNumber(pending) && pending > 0
        ? `${count(pending)} ${plural(pending, 'booking is', 'bookings are')} pending the next EMR import.`
        : 'No booking is waiting for an EMR import: every one has been seen kept or missed.',
    );
  }
  if (attempts) {
    const late = attempts.rows.filter((r) => isNumber(r.attempt) && r.attempt >= 4);
    if (late.length === 0) {
      out.push('No patient has had a 4th or 5th attempt in this range yet.');
    } else {
      const last = late[late.length - 1];
      out.push(
        `The ${ordinal(last.attempt as number)} attempt booked ${patients(last.bookings)} for ${calls(last.dials)}: ` +
          `${money(last.earned)} earned against ${money(last.cost)} of agent time. ` +
          `Attempts 4 and later net ${money(attempts.summary.lateAttemptNet)}.`,
      );
    }
  }
  if (hours) {
    const best = Object.entries(hours.summary).filter(([k]) => k.startsWith('best hour '));
    if (best.length > 0) {
      const [key, when] = best[0];
      const band = key.slice('best hour '.length);
      out.push(`Best hour to reach ${AGE_WORDS[band] ?? `patients aged ${band}`}: ${when}.`);
    }
  }
  const b = backlog?.rows[0];
  if (b) {
    out.push(
      `${patients(b.callableRemaining)} left to call` +
        (isNumber(b.daysToExhaust)
          ? `; at the last 14 days' pace that is ${count(b.daysToExhaust)} more ${plural(b.daysToExhaust, 'day')} of calling.`
          : '.'),
    );
  }
  return out;
}

/** The range buttons: this month to date, last month, the last 4 weeks, since the launch. */
export function rangePresets(
  today: string,
  launched: string | null,
): { label: string; from: string; to: string }[] {
  const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const presets = [
    { label: 'This month', from: day(y, m - 1, 1), to: today },
    { label: 'Last month', from: day(y, m - 2, 1), to: day(y, m - 1, 0) },
    { label: 'Last 4 weeks', from: day(y, m - 1, d - 27), to: today },
  ];
  if (launched && launched <= today) presets.push({ label: 'Since launch', from: launched, to: today });
  return presets;
}
