import { CampaignsService } from '@recall/campaigns';
import { DomainError } from '@recall/core';
import { REPORT_NAMES, ReportsService, type Report } from '@recall/reports';
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { practiceId } from './campaign-commands';
import { userIn } from './cycle-commands';
import { type Output, withApp } from './runtime';

function lines(r: Report): string[] {
  const widths = r.columns.map((c) =>
    Math.max(c.length, ...r.rows.map((row) => String(row[c] ?? '').length)),
  );
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [
    `${r.title}  (${r.filters.from} → ${r.filters.to})`,
    ...Object.entries(r.summary).map(([k, v]) => `  ${k}: ${v ?? '—'}`),
    '',
    fmt(r.columns),
    ...r.rows.map((row) => fmt(r.columns.map((c) => String(row[c] ?? '')))),
    ...r.notes.map((n) => `note: ${n}`),
  ];
}

export function registerReportCommands(program: Command, out: () => Output): void {
  program
    .command('report')
    .description(`a report: ${REPORT_NAMES.join(', ')}`)
    .argument('<name>', 'which report')
    .requiredOption('--practice <slug>', 'practice slug')
    .option('--campaign <id>', 'campaign id or name')
    .option('--agent <login>', 'one agent')
    .option('--from <day>', 'first day, YYYY-MM-DD (default: 30 days before --to)')
    .option('--to <day>', 'last day, YYYY-MM-DD (default: today)')
    .option('--csv <file>', 'also write the table as CSV')
    .action(
      async (
        name: string,
        opts: {
          practice: string;
          campaign?: string;
          agent?: string;
          from?: string;
          to?: string;
          csv?: string;
        },
      ) => {
        const report = await withApp(async (app) => {
          const pid = await practiceId(app, opts.practice);
          if (!pid) throw DomainError.notFound('practice');
          const campaignId = opts.campaign
            ? (await app.get(CampaignsService).resolveId(pid, opts.campaign)).id
            : undefined;
          const agentId = opts.agent ? await userIn(app, pid, opts.agent) : undefined;
          return app
            .get(ReportsService)
            .report(pid, name, { from: opts.from, to: opts.to, campaignId, agentId });
        });
        if (opts.csv) writeFileSync(opts.csv, `\uFEFF${ReportsService.toCsv(report)}`);
        out().result(report, lines(report));
      },
    );
}
