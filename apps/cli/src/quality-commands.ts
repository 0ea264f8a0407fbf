import { INestApplicationContext } from '@nestjs/common';
import { DomainError } from '@recall/core';
import { QualityService } from '@recall/quality';
import { Command } from 'commander';
import { practiceId } from './campaign-commands';
import { userIn } from './cycle-commands';
import { CliError, type Output, withApp } from './runtime';

async function practiceOf(app: INestApplicationContext, slug: string): Promise<string> {
  const id = await practiceId(app, slug);
  if (!id) throw DomainError.notFound('practice');
  return id;
}

/** `15%`, `0.15` → 0.15. */
function share(v: string): number {
  const s = v.trim();
  const n = s.endsWith('%') ? Number(s.slice(0, -1)) / 100 : Number(s);
  if (!(n >= 0 && n <= 1)) throw new CliError('--share: a share from 0 to 1 or 0% to 100%');
  return n;
}

export function registerQualityCommands(program: Command, out: () => Output): void {
  const qa = program.command('qa').description('QA: the daily call sample and the review queue');
  qa.command('sample')
    .description(
      "draw a day's QA sample (default: the practice's yesterday); a sampled day is shown as stored",
    )
    .requiredOption('--practice <slug>', 'practice slug')
    .option('--day <day>', 'practice-local day, YYYY-MM-DD')
    .option('--seed <n>', 're-draw with a known seed (default: random, stored with the sample)')
    .action(async (opts: { practice: string; day?: string; seed?: string }) => {
      const seed = opts.seed === undefined ? undefined : Number(opts.seed);
      if (seed !== undefined && !Number.isSafeInteger(seed)) throw new CliError('--seed: a whole number');
      const r = await withApp(async (app) =>
        app.get(QualityService).sampleDay(await practiceOf(app, opts.practice), { day: opts.day, seed }),
      );
      out().result(r, [
        `${r.created ? 'sampled' : 'already sampled'} ${r.day}: ${r.sampled} of ${r.contacts} contact(s) at ${Math.round(r.share * 1000) / 10}% (seed ${r.seed})`,
        ...r.agents.map((a) => `  ${a.agent.padEnd(24)} ${a.sampled} of ${a.contacts}`),
      ]);
    });
  qa.command('list')
    .description('the review queue (pending first), or scored reviews')
    .requiredOption('--practice <slug>', 'practice slug')
    .option('--state <state>', 'pending | scored | all', 'pending')
    .option('--agent <login>', 'one agent')
    .action(async (opts: { practice: string; state: string; agent?: string }) => {
      if (!['pending', 'scored', 'all'].includes(opts.state)) {
        throw new CliError('--state: pending, scored or all');
      }
      const items = await withApp(async (app) => {
        const pid = await practiceOf(app, opts.practice);
        const agentId = opts.agent ? await userIn(app, pid, opts.agent) : undefined;
        return app.get(QualityService).queue(pid, { state: opts.state as 'pending', agentId });
      });
      out().result(
        { items },
        items.length
          ? items.map(
              (r) =>
                `${r.endedAt.slice(0, 16).replace('T', ' ')}  ${r.agent.padEnd(20)} ${r.code.padEnd(11)} ${r.mrn ?? '-'}  ${r.state}${r.score === null ? '' : ` ${r.score}`}  (${r.source}, id ${r.id})`,
            )
          : ['nothing to review'],
      );
    });
  qa.command('settings')
    .description("show or change the practice's daily sample share")
    .requiredOption('--practice <slug>', 'practice slug')
    .option('--share <share>', 'e.g. 10% or 0.1')
    .action(async (opts: { practice: string; share?: string }) => {
      const r = await withApp(async (app) => {
        const pid = await practiceOf(app, opts.practice);
        const quality = app.get(QualityService);
        return opts.share === undefined
          ? quality.settings(pid)
          : quality.updateSettings(pid, { sampleShare: share(opts.share) }, null);
      });
      out().result(r, `daily QA sample: ${Math.round(r.sampleShare * 1000) / 10}% of each agent's contacts`);
    });
}
