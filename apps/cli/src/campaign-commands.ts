import { INestApplicationContext } from '@nestjs/common';
import { PracticesService } from '@recall/auth';
import {
  CAMPAIGN_ACTIONS,
  CAMPAIGN_TYPES,
  CampaignsService,
  CONTACT_CATEGORIES,
  ContactsImportService,
  contactIssuesCsv,
  formatPlan,
  parseContactCategory,
  parseContactMapping,
  type ContactCategory,
  type CampaignView,
  type EligibilitySummary,
} from '@recall/campaigns';
import { Command, Option } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { planFlags, planInputsFromFlags } from './plan-commands';
import { auditCliRead } from './privacy-commands';
import { CliError, type Output, withApp } from './runtime';

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A settings file holds campaign settings, or `{settings, rule, script, voicemailScript}`. */
function readSettingsFile(path: string): {
  settings?: unknown;
  rule?: unknown;
  script?: string;
  voicemailScript?: string;
} {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`--settings ${path}: ${(error as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new CliError(`--settings ${path}: must hold a JSON object`);
  }
  const keys = ['settings', 'rule', 'script', 'voicemailScript'];
  return Object.keys(data).some((k) => keys.includes(k)) ? data : { settings: data };
}

/** The practice of `--practice <slug>`, or null when none is given. */
export async function practiceId(app: INestApplicationContext, slug?: string): Promise<string | null> {
  return slug ? (await app.get(PracticesService).findBySlug(slug)).id : null;
}

/** `--campaign` is an id, or a name (with `--practice` when names repeat across practices). */
async function campaignRef(app: INestApplicationContext, opts: { campaign: string; practice?: string }) {
  return app.get(CampaignsService).resolveId(await practiceId(app, opts.practice), opts.campaign);
}

const money = (n: number) => `$${n.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

function campaignLines(c: CampaignView): string[] {
  const lines = [
    `${c.name}  (${c.typeLabel}, ${c.status})  id ${c.id}`,
    `agents: ${c.agents.map((a) => a.login).join(', ') || 'none'}   members: ${c.members.open} open of ${c.members.total}`,
  ];
  if (c.planResult) {
    lines.push(
      `plan for ${c.planPatients} eligible: ${c.planResult.agents} agent(s), ${money(c.planResult.campaign.revenuePerMonth)}/month revenue, ${money(c.planResult.campaign.netPerMonth)}/month net`,
    );
  } else lines.push('no plan saved yet');
  if (c.allowedActions.length) lines.push(`next: ${c.allowedActions.join(' | ')}`);
  for (const w of c.voicemailWarnings) lines.push(`voicemail warning: ${w}`);
  return lines;
}

function eligibilityLines(e: EligibilitySummary): string[] {
  return [
    `as of ${e.asOf}: ${e.population} in the practice, ${e.candidates} in the target, ${e.eligible} eligible`,
    ...e.exclusions.map((x) => `  ${String(x.count).padStart(8)}  ${x.label}`),
  ];
}

export function registerCampaignCommands(program: Command, out: () => Output): void {
  const campaign = program.command('campaign').description('campaigns: create, plan, launch, explain');

  campaign
    .command('create')
    .description('create a campaign (a draft until its plan is saved)')
    .requiredOption('--practice <slug>', 'practice slug')
    .addOption(
      new Option('--type <type>', 'campaign type').choices([...CAMPAIGN_TYPES]).makeOptionMandatory(),
    )
    .requiredOption('--name <name>', 'campaign name (unique in the practice)')
    .option('--agents <logins>', 'agent logins, comma-separated', list)
    .option('--settings <file>', 'JSON file: settings, or {settings, rule, script, voicemailScript}')
    .action(
      async (opts: {
        practice: string;
        type: string;
        name: string;
        agents?: string[];
        settings?: string;
      }) => {
        const extra = opts.settings ? readSettingsFile(opts.settings) : {};
        const created = await withApp(async (app) =>
          app
            .get(CampaignsService)
            .create(
              (await practiceId(app, opts.practice))!,
              { type: opts.type, name: opts.name, agentLogins: opts.agents, ...extra },
              null,
            ),
        );
        out().result(created, campaignLines(created));
      },
    );

  campaign
    .command('list')
    .description("list a practice's campaigns")
    .requiredOption('--practice <slug>', 'practice slug')
    .action(async (opts: { practice: string }) => {
      const items = await withApp(async (app) =>
        app.get(CampaignsService).list((await practiceId(app, opts.practice))!),
      );
      out().result(
        items,
        items.length
          ? items.map((c) => `${c.id}  ${c.status.padEnd(9)} ${c.typeLabel.padEnd(28)} ${c.name}`)
          : 'no campaigns',
      );
    });

  campaign
    .command('show')
    .description('one campaign with its plan')
    .requiredOption('--campaign <id>', 'campaign id or name')
    .option('--practice <slug>', 'practice slug (when a name is given)')
    .action(async (opts: { campaign: string; practice?: string }) => {
      const c = await withApp(async (app) => {
        const ref = await campaignRef(app, opts);
        return app.get(CampaignsService).get(ref.practiceId, ref.id);
      });
      out().result(c, [...campaignLines(c), ...(c.planResult ? formatPlan(c.planResult) : [])]);
    });

  campaign
    .command('update')
    .description("change a campaign's name, agents, settings, rule or scripts")
    .requiredOption('--campaign <id>', 'campaign id or name')
    .option('--practice <slug>', 'practice slug (when a name is given)')
    .option('--name <name>', 'new name')
    .option('--agents <logins>', 'agent logins, comma-separated (replaces the assigned agents)', list)
    .option('--settings <file>', 'JSON file: settings, or {settings, rule, script, voicemailScript}')
    .action(
      async (opts: {
        campaign: string;
        practice?: string;
        name?: string;
        agents?: string[];
        settings?: string;
      }) => {
        const extra = opts.settings ? readSettingsFile(opts.settings) : {};
        const c = await withApp(async (app) => {
          const ref = await campaignRef(app, opts);
          return app
            .get(CampaignsService)
            .update(ref.practiceId, ref.id, { name: opts.name, agentLogins: opts.agents, ...extra });
        });
        out().result(c, campaignLines(c));
      },
    );

  planFlags(
    campaign
      .command('plan')
      .description("save a campaign's ROI plan (against its eligible population); draft → planned")
      .requiredOption('--campaign <id>', 'campaign id or name')
      .option('--practice <slug>', 'practice slug (when a name is given)'),
  ).action(async (opts: { campaign: string; practice?: string } & Record<string, unknown>) => {
    const c = await withApp(async (app) => {
      const ref = await campaignRef(app, opts);
      return app.get(CampaignsService).savePlan(ref.practiceId, ref.id, planInputsFromFlags(opts));
    });
    out().result(c, [...campaignLines(c), ...formatPlan(c.planResult!)]);
  });

  for (const action of CAMPAIGN_ACTIONS) {
    campaign
      .command(action)
      .description(`${action} a campaign`)
      .requiredOption('--campaign <id>', 'campaign id or name')
      .option('--practice <slug>', 'practice slug (when a name is given)')
      .action(async (opts: { campaign: string; practice?: string }) => {
        const c = await withApp(async (app) => {
          const ref = await campaignRef(app, opts);
          return app.get(CampaignsService).transition(ref.practiceId, ref.id, action);
        });
        out().result(c, campaignLines(c));
      });
  }

  campaign
    .command('explain')
    .description('why patients are or are not callable: the breakdown, or one patient with --mrn')
    .requiredOption('--campaign <id>', 'campaign id or name')
    .option('--practice <slug>', 'practice slug (when a name is given)')
    .option('--mrn <mrn>', 'explain one patient')
    .option('--reason <reason>', 'list the patients excluded for this reason (or "eligible")')
    .option('--limit <n>', 'rows to list with --reason', '50')
    .action(
      async (opts: { campaign: string; practice?: string; mrn?: string; reason?: string; limit: string }) => {
        await withApp(async (app) => {
          const ref = await campaignRef(app, opts);
          const service = app.get(CampaignsService);
          if (opts.mrn) {
            const e = await service.explain(ref.practiceId, ref.id, { mrn: opts.mrn });
            await auditCliRead(app, {
              action: 'campaign.explain',
              entityType: 'patient',
              practiceId: ref.practiceId,
              ids: [e.patient.id],
            });
            out().result(e, [
              `${e.patient.mrn} ${e.patient.name}: ${e.eligible ? 'eligible' : 'not callable'}`,
              `  ${e.targetDetail}`,
              ...e.reasons.map((r) => `  - ${r.label}: ${r.detail}`),
            ]);
          } else if (opts.reason) {
            const page = await service.eligibilityList(ref.practiceId, ref.id, opts.reason, {
              limit: Number(opts.limit),
            });
            await auditCliRead(app, {
              action: 'campaign.eligibility-list',
              entityType: 'patient',
              practiceId: ref.practiceId,
              ids: page.items.map((m) => m.id),
            });
            out().result(page, [
              `${page.total} patient(s): ${opts.reason}`,
              ...page.items.map((m) => `  ${String(m.mrn ?? '').padEnd(14)} ${m.name}`),
            ]);
          } else {
            const e = await service.eligibility(ref.practiceId, ref.id);
            out().result(e, eligibilityLines(e));
          }
        });
      },
    );
}

export function registerContactCommands(program: Command, out: () => Output): void {
  const contacts = program.command('contacts').description('partner and community contact lists');
  contacts
    .command('import')
    .description('import a contacts CSV (organisation, contact, role, phones, address) for contact campaigns')
    .requiredOption('--practice <slug>', 'practice slug')
    .requiredOption('--file <file>', 'the contacts CSV')
    .addOption(
      new Option('--category <category>', 'which list it is')
        .choices([...CONTACT_CATEGORIES])
        .makeOptionMandatory(),
    )
    .option('--mapping <file>', 'JSON file: {"columns": {"organisation": "Practice Name", …}}')
    .option('--dry-run', 'count everything, change nothing')
    .option(
      '--rejected-out <file>',
      'where to write the rejected rows (default ./recall-contacts-rejected.csv)',
    )
    .action(
      async (opts: {
        practice: string;
        file: string;
        category: string;
        mapping?: string;
        dryRun?: boolean;
        rejectedOut?: string;
      }) => {
        const file = resolve(opts.file);
        if (!existsSync(file)) throw new CliError(`--file: no such file: ${opts.file}`);
        const summary = await withApp(async (app) =>
          app.get(ContactsImportService).importFile(
            (await practiceId(app, opts.practice))!,
            {
              path: file,
              name: basename(file),
              category: parseContactCategory(opts.category),
              mapping: opts.mapping ? parseContactMapping(readFileSync(opts.mapping, 'utf8')) : undefined,
              dryRun: opts.dryRun,
            },
            null,
          ),
        );
        let rejectedRowsFile: string | null = null;
        if (summary.rejectedRows.length) {
          rejectedRowsFile = resolve(opts.rejectedOut ?? 'recall-contacts-rejected.csv');
          writeFileSync(rejectedRowsFile, contactIssuesCsv(summary.rejectedRows));
        }
        const { rejectedRows, warningRows, ...counts } = summary;
        out().result({ ...counts, rejectedRowsFile, warningRows }, [
          `${summary.dryRun ? 'dry run: ' : ''}${summary.totalRows} rows: ${summary.accepted} accepted, ${summary.rejected} rejected`,
          `contacts: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged; ${summary.warnings} warnings`,
          ...rejectedRows
            .slice(0, 20)
            .map((r) => `  line ${r.line}${r.column ? ` (${r.column})` : ''}: ${r.reason}`),
          ...(rejectedRowsFile ? [`rejected rows: ${rejectedRowsFile}`] : []),
        ]);
      },
    );
  contacts
    .command('list')
    .description("list a practice's contacts")
    .requiredOption('--practice <slug>', 'practice slug')
    .addOption(new Option('--category <category>', 'only this list').choices([...CONTACT_CATEGORIES]))
    .option('--search <text>', 'organisation, name, role, email, city or phone')
    .action(async (opts: { practice: string; category?: string; search?: string }) => {
      const page = await withApp(async (app) =>
        app.get(ContactsImportService).list((await practiceId(app, opts.practice))!, {
          category: opts.category as ContactCategory | undefined,
          search: opts.search,
          limit: 500,
        }),
      );
      out().result(page, [
        `${page.total} contact(s)`,
        ...page.items.map(
          (c) => `  ${c.category.padEnd(17)} ${c.organisation}${c.contactName ? ` · ${c.contactName}` : ''}`,
        ),
      ]);
    });
}
