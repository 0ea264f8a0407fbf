import { tiers } from './periods';
import { AGENT_MEASURES } from './rollup-sql';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Report filters as the rollup readers need them (practice-local days, inclusive). */
export interface RollupRange {
  from: string;
  to: string;
}

/** The filter as SQL over a rollup aliased `r`: $1 practice, $2 from, $3 to, $4 campaign, $5 agent. */
export const WHERE = (agent = true) =>
  `r.practice_id = $1 AND r.day BETWEEN $2::date AND $3::date AND ($4::uuid IS NULL OR r.campaign_id = $4)` +
  (agent ? ` AND ($5::uuid IS NULL OR r.agent_id = $5)` : '');

const COLUMNS = {
  attempt: 'campaign_id, agent_id, code, attempt_number, practice_id, dials, handled, handle_seconds',
  booking: 'campaign_id, agent_id, attempt_number, lead_bucket, status, practice_id, bookings',
  agent: `campaign_id, agent_id, practice_id, ${AGENT_MEASURES.join(', ')}`,
};

/**
 * A day rollup over the filter's range read from the coarsest tables that cover it exactly
 * (whole months, whole weeks, then days; see tiers()), as one relation whose `day` is each
 * row's first day, so the usual WHERE() applies unchanged. With `months` false, no row spans
 * more than a week (what by-week grouping needs).
 */
export function rollup(kind: keyof typeof COLUMNS, f: RollupRange, months = true): string {
  const t = tiers(f.from, f.to, months);
  const all = [...t.months, ...t.weeks, ...t.days.flatMap((d) => [d.from, d.to])];
  if (!all.every((d) => DAY.test(d))) throw new Error('unexpected day in a report range');
  const cols = COLUMNS[kind];
  const days = t.days.map((d) => `day BETWEEN '${d.from}' AND '${d.to}'`).join(' OR ') || 'false';
  const parts = [`SELECT ${cols}, day FROM report_${kind}_day WHERE practice_id = $1 AND (${days})`];
  for (const [grain, list] of [
    ['week', t.weeks],
    ['month', t.months],
  ] as const) {
    if (list.length === 0) continue;
    parts.push(
      `SELECT ${cols}, period AS day FROM report_${kind}_period
       WHERE practice_id = $1 AND grain = '${grain}' AND period = ANY('{${list.join(',')}}'::date[])`,
    );
  }
  return `(${parts.join(' UNION ALL ')})`;
}
