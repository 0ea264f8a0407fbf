import type { Cell, Report } from '@recall/reports';
import type { DemoResult } from './demo-simulator';

const show = (v: Cell | undefined) => (v === null || v === undefined ? '—' : String(v));

function table(r: Report): string[] {
  const widths = r.columns.map((c) => Math.max(c.length, ...r.rows.map((row) => show(row[c]).length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [fmt(r.columns), ...r.rows.map((row) => fmt(r.columns.map((c) => show(row[c]))))];
}

/** The demo's terminal summary: what was simulated, then each campaign's ROI (planned vs actual) and funnel. */
export function demoSummaryLines(r: DemoResult): string[] {
  const lines = [
    `Demo practice ${r.practice}: ${r.patients} patients, ${r.agents} agents, ${r.weeks} weeks, seed ${r.seed}` +
      ` (${r.from} → ${r.to})${r.reused ? ' — already simulated, reports read again' : ''}`,
  ];
  if (!r.reused) {
    lines.push(
      `  import: ${r.import.accepted} of ${r.import.totalRows} rows accepted, ${r.import.rejected} rejected;` +
        ` follow-up import: ${r.followUp.bookingsSettled} bookings settled`,
      `  calls: ${r.calls}${r.skippedCalls ? ` (${r.skippedCalls} refused)` : ''}, escalations: ${r.escalations}`,
    );
  }
  for (const c of r.campaigns) {
    const s = c.funnel.summary;
    lines.push(
      '',
      `${c.roi.title} — ${c.eligible} patients eligible at launch`,
      `  funnel: ${show(s.dials)} dials → ${show(s.contacts)} contacts → ${show(s.bookings)} bookings → ` +
        `${show(s.keptVisits)} kept visits → $${show(s.revenue)}`,
      `  ROI: ${show(c.roi.summary.roiPercent)} % (net $${show(c.roi.summary.net)} on agent cost $${show(c.roi.summary.agentCost)})`,
      ...table(c.roi).map((l) => `  ${l}`),
    );
  }
  return lines;
}
