import { INestApplicationContext } from '@nestjs/common';
import { CampaignsService } from '@recall/campaigns';
import { DomainError } from '@recall/core';
import { CyclesService, QueueService, type CycleSummary } from '@recall/cycles';
import { SheetImportService } from '@recall/dispositions';
import { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { practiceId } from './campaign-commands';
import { CliError, type Output, withApp } from './runtime';

export async function userIn(
  app: INestApplicationContext,
  practiceId: string,
  login: string,
): Promise<string> {
  const [u] = await app
    .get(DataSource)
    .query(
      `SELECT u.id FROM app_user u JOIN user_practice up ON up.user_id = u.id WHERE up.practice_id = $1 AND u.login = $2`,
      [practiceId, login.trim().toLowerCase()],
    );
  if (!u) throw DomainError.notFound(`user "${login}" in this practice`);
  return u.id;
}

/** A cycle belongs to one practice; find it from its id alone. */
async function cyclePractice(app: INestApplicationContext, cycleId: string): Promise<string> {
  const [c] = await app
    .get(DataSource)
    .query(`SELECT practice_id FROM call_cycle WHERE id::text = $1`, [cycleId]);
  if (!c) throw DomainError.notFound(`cycle ${cycleId}`);
  return c.practice_id;
}

export function cycleJson(c: CycleSummary) {
  return {
    cycleId: c.cycleId,
    start: c.start,
    end: c.end,
    seed: c.seed,
    agents: c.agents.map((a) => ({ agent: a.agent, assigned: a.assigned })),
    backlog: c.backlog,
  };
}

const cycleLines = (c: CycleSummary) => [
  `cycle ${c.seq} (${c.status}) ${c.start} → ${c.end}, seed ${c.seed}, id ${c.cycleId}`,
  ...c.agents.map((a) => `  ${a.agent.padEnd(24)} ${String(a.assigned).padStart(6)} assigned`),
  `  backlog ${c.backlog}${c.moved ? `, ${c.moved} moved by absences` : ''}`,
];

export function registerCycleCommands(program: Command, out: () => Output): void {
  const cycle = program.command('cycle').description('two-week call cycles');
  cycle
    .command('build')
    .description("build a campaign's next cycle (replaces one that has not started)")
    .requiredOption('--campaign <id>', 'campaign id or name')
    .option('--practice <slug>', 'practice slug (when a name is given)')
    .option('--start <date>', 'first day, YYYY-MM-DD (default: the practice today)')
    .option('--seed <n>', 'shuffle seed (default: random; stored with the cycle)')
    .action(async (opts: { campaign: string; practice?: string; start?: string; seed?: string }) => {
      if (opts.seed !== undefined && !/^\d+$/.test(opts.seed)) throw new CliError('--seed: a whole number');
      const c = await withApp(async (app) => {
        const ref = await app
          .get(CampaignsService)
          .resolveId(await practiceId(app, opts.practice), opts.campaign);
        return app.get(CyclesService).build(ref.practiceId, ref.id, {
          start: opts.start,
          seed: opts.seed === undefined ? undefined : Number(opts.seed),
        });
      });
      out().result(cycleJson(c), cycleLines(c));
    });
  cycle
    .command('show')
    .description('one cycle: per-agent counts and backlog')
    .requiredOption('--cycle <id>', 'cycle id')
    .action(async (opts: { cycle: string }) => {
      const c = await withApp(async (app) =>
        app.get(CyclesService).get(await cyclePractice(app, opts.cycle), opts.cycle),
      );
      out().result(c, cycleLines(c));
    });

  cycle
    .command('import-sheet')
    .description(
      "record an agent's filled-in cycle sheet (XLSX or CSV): every row, or none and every problem",
    )
    .requiredOption('--cycle <id>', 'cycle id')
    .requiredOption('--agent <login>', 'whose sheet it is')
    .requiredOption('--file <file>', 'the filled-in sheet')
    .option('--dry-run', 'check every row, record nothing')
    .action(async (opts: { cycle: string; agent: string; file: string; dryRun?: boolean }) => {
      const report = await withApp(async (app) => {
        const practiceId = await cyclePractice(app, opts.cycle);
        const agentId = await userIn(app, practiceId, opts.agent);
        return app
          .get(SheetImportService)
          .import(
            practiceId,
            opts.cycle,
            agentId,
            { name: path.basename(opts.file), body: readFileSync(opts.file) },
            { dryRun: opts.dryRun, actorId: agentId },
          );
      });
      const lines = [
        `${report.applied ? 'recorded' : report.dryRun && !report.problems.length ? 'would record' : 'nothing recorded'}: ` +
          `${report.recorded} new, ${report.unchanged} unchanged, ${report.blank} blank of ${report.rows} rows`,
        ...report.problems.map(
          (p) =>
            `  ${path.basename(opts.file)} line ${p.line}${p.column ? `, column "${p.column}"` : ''}${p.mrn ? ` (MRN ${p.mrn})` : ''}: ${p.message}`,
        ),
      ];
      out().result(report, lines);
      if (report.problems.length) process.exitCode = 1;
    });

  cycle
    .command('export')
    .description("write an agent's cycle as a spreadsheet")
    .requiredOption('--cycle <id>', 'cycle id')
    .requiredOption('--agent <login>', 'agent login')
    .option('--format <format>', 'xlsx or csv', 'xlsx')
    .requiredOption('--out <file>', 'where to write it')
    .action(async (opts: { cycle: string; agent: string; format: string; out: string }) => {
      if (opts.format !== 'xlsx' && opts.format !== 'csv') throw new CliError('--format: xlsx or csv');
      const sheet = await withApp(async (app) => {
        const practiceId = await cyclePractice(app, opts.cycle);
        return app
          .get(CyclesService)
          .exportSheet(
            practiceId,
            opts.cycle,
            await userIn(app, practiceId, opts.agent),
            opts.format as 'xlsx',
          );
      });
      writeFileSync(opts.out, sheet.body);
      out().result(
        { file: opts.out, bytes: sheet.body.length },
        `wrote ${opts.out} (${sheet.body.length} bytes)`,
      );
    });

  program
    .command('queue')
    .description("an agent's queue for a day: callbacks due, open windows, then those opening later")
    .requiredOption('--agent <login>', 'agent login')
    .requiredOption('--practice <slug>', 'practice slug')
    .option('--date <date>', 'YYYY-MM-DD (default: the practice today)')
    .action(async (opts: { agent: string; practice: string; date?: string }) => {
      const q = await withApp(async (app) => {
        const practice = (await practiceId(app, opts.practice))!;
        return app.get(QueueService).queue(practice, await userIn(app, practice, opts.agent), opts.date);
      });
      out().result(q, [
        `${opts.agent} on ${q.date}: ${q.items.length} item(s)`,
        ...q.items.map(
          (i) =>
            `  ${i.section.padEnd(8)} ${String(i.mrn ?? '').padEnd(12)} ${i.name.padEnd(28)} ` +
            (i.window.open ? 'window open' : `opens ${i.opensAtLocal?.practice ?? '—'}`),
        ),
      ]);
    });

  const absence = program.command('absence').description('agent absences (their items move to the others)');
  absence
    .command('add')
    .requiredOption('--practice <slug>', 'practice slug')
    .requiredOption('--agent <login>', 'agent login')
    .requiredOption('--from <date>', 'first day absent, YYYY-MM-DD')
    .option('--to <date>', 'last day absent (default: --from)')
    .option('--reason <text>', 'reason')
    .action(async (opts: { practice: string; agent: string; from: string; to?: string; reason?: string }) => {
      const r = await withApp(async (app) => {
        const practice = (await practiceId(app, opts.practice))!;
        return app.get(CyclesService).markAbsent(
          practice,
          {
            userId: await userIn(app, practice, opts.agent),
            from: opts.from,
            to: opts.to ?? opts.from,
            reason: opts.reason,
          },
          null,
        );
      });
      out().result(r, `absence recorded; ${r.moved} item(s) moved to other agents`);
    });
}
